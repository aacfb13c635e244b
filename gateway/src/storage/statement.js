// One statement on the Durable Object's SQLite: running it, its result and errors as
// Hrana shapes, what the client was told of it (compared on replay), and the READONLY
// transaction's refusal of writes.
import { analyzeStatement } from 'libsql-authz';
import { decodeValue, encodeValue, hranaError } from '../protocol/hrana.js';
import { controlOf } from './transaction.js';

/** A statement's own error, with its Hrana code. */
export class StatementError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** Any error of a statement as Hrana's Error. */
export function sqliteError(e) {
  if (e instanceof StatementError) return hranaError(e.message, e.code);
  const message = e?.message ?? String(e);
  const m = /\b(SQLITE_[A-Z_]+)\b/.exec(message);
  return hranaError(
    message,
    e?.code && typeof e.code === 'string' ? e.code : m ? m[1] : 'SQLITE_ERROR',
  );
}

/** Runs one statement with Hrana arguments on `sql` (ctx.storage.sql): its Hrana result. */
export function execute(sql, sqlText, hranaArgs, wantRows) {
  const args = hranaArgs.map(decodeValue);
  const [before] = sql.exec('SELECT total_changes()').raw().next().value;
  const cursor = sql.exec(sqlText, ...args);
  const rows = [];
  for (const row of cursor.raw()) rows.push(row.map(encodeValue));
  const cols = cursor.columnNames.map((name) => ({ name, decltype: null }));
  const [changes, after, rowid] = sql
    .exec('SELECT changes(), total_changes(), last_insert_rowid()')
    .raw()
    .next().value;
  return {
    cols,
    rows: wantRows ? rows : [],
    affected_row_count: after !== before ? changes : 0,
    last_insert_rowid: rowid == null ? null : String(rowid),
    rows_read: cursor.rowsRead,
    rows_written: cursor.rowsWritten,
  };
}

// What the client was told about a statement: compared on replay.
export function outcomeOf(result, error) {
  if (error !== undefined) return `error:${error?.message ?? String(error)}`;
  if (result == null) return 'ok';
  return JSON.stringify([
    result.cols,
    result.rows,
    result.affected_row_count,
    result.last_insert_rowid,
  ]);
}

// Inside a READONLY transaction: only what the package's analyser finds to be reads.
export function refuseWrites(sqlText) {
  const analysis = analyzeStatement(sqlText);
  const write =
    analysis.error ??
    analysis.statements.flatMap((s) => s.needs).find((n) => n.action !== 'data_read');
  if (write) {
    throw new StatementError(
      `attempt to write in a READONLY transaction (${write.message ?? `${write.action} on ${write.table}`})`,
      'SQLITE_READONLY',
    );
  }
}

export function drain(cursor) {
  for (const _ of cursor.raw());
}
export const emptyResult = () => ({
  cols: [],
  rows: [],
  affected_row_count: 0,
  last_insert_rowid: null,
});

const DESCRIBED = Symbol('described');

/**
 * Hrana's DescribeResult of the first statement of `sqlText`, on `storage` (the Durable
 * Object's). A Durable Object cannot prepare without running, so the statement runs with
 * every parameter NULL inside a `transactionSync` that is always rolled back, for its
 * column names (`decltype` is null: workerd does not expose it). Parameters are numbered
 * as SQLite numbers them (the package's analysis); `is_readonly` is true when the
 * analysis needs nothing but reads; `is_explain` when the text starts with EXPLAIN.
 * The text has been checked like any statement before it gets here (authz/authorize.js).
 */
export function describe(storage, sqlText) {
  const analysis = analyzeStatement(sqlText);
  if (analysis.error) throw new StatementError(analysis.error.message, analysis.error.code);
  const [statement] = analysis.statements;
  if (!statement) throw new StatementError('no statement to describe', 'SQLITE_MISUSE');
  let cols = [];
  // BEGIN, COMMIT, ROLLBACK cannot run as SQL in a Durable Object; they have no columns.
  if (controlOf(statement.kind) === null) {
    try {
      storage.transactionSync(() => {
        const cursor = storage.sql.exec(statement.sql, ...statement.parameters.map(() => null));
        drain(cursor);
        cols = cursor.columnNames.map((name) => ({ name, decltype: null }));
        throw DESCRIBED;
      });
    } catch (e) {
      // A statement that fails with NULL parameters (a NOT NULL column, a CHECK) is
      // described without its columns; one SQLite cannot prepare fails the describe.
      if (e !== DESCRIBED && !/constraint failed/i.test(e?.message ?? '')) throw e;
    }
  }
  return {
    params: statement.parameters.map((name) => ({ name })),
    cols,
    is_explain: /^explain\b/i.test(withoutLeadingComments(statement.sql)),
    is_readonly: statement.needs.every((need) => need.action === 'data_read'),
  };
}

/** `sql` without the spaces and comments before its first token. */
const withoutLeadingComments = (sql) =>
  sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?(?:\*\/|$))*/, '');
