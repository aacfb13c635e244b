// Transaction control for the SQLite Durable Object backend (sqlite-do.js, runner.js).
import { analyzeStatement } from 'libsql-authz';

/**
 * How a statement controls a transaction, for the SQLite Durable Object backend, which
 * runs transactions itself (sqlite-do.js): "begin", "begin-readonly" (libSQL's
 * `BEGIN ... TRANSACTION READONLY`, sent by `client.transaction("read")`), "commit",
 * "rollback", or null. Read off the package's analysis (`StatementKind`), so the
 * statement is parsed as SQLite parses it: only a text that is one such statement
 * counts (`ROLLBACK TO sp` and anything else run as SQL). Not an authorization
 * decision: every statement, these included, goes through checkStatement first
 * (authorize.js).
 */
export function transactionControl(sql) {
  if (!mayControlTransaction(sql)) return null;
  const { statements, error } = analyzeStatement(sql);
  if (error || statements.length !== 1) return null;
  return controlOf(statements[0].kind);
}

/**
 * Whether `sql` may hold a statement that controls a transaction. Each of them holds its
 * keyword as plain text (SQLite has no other way to write a keyword), so a text without
 * one holds none of them: the Worker has already parsed it once, and a large INSERT is
 * not parsed a second time for this.
 */
export const mayControlTransaction = (sql) => CONTROL_KEYWORD.test(sql);

/** How a statement of `kind` (the package's `StatementKind`) controls a transaction, or null. */
export const controlOf = (kind) => TRANSACTION_CONTROL[kind] ?? null;

const CONTROL_KEYWORD = /begin|commit|end|rollback/i;

const TRANSACTION_CONTROL = {
  begin: 'begin',
  begin_readonly: 'begin-readonly',
  commit: 'commit',
  rollback: 'rollback',
};
