// The pipeline interpreter of the Durable Object backend (sqlite-do.js): runs a Hrana
// pipeline's requests and batch steps in order, and runs transactions itself, as the
// header of sqlite-do.js describes (transactionSync, replay of a stream's open
// transaction, READONLY transactions).
import { analyzeStatement } from 'libsql-authz';
import { transactionControl } from './transaction.js';
import {
  StatementError,
  describe,
  emptyResult,
  execute,
  outcomeOf,
  refuseWrites,
  sqliteError,
} from './statement.js';

const ROLLBACK = Symbol('rollback');
const sequenceDone = { type: 'ok', response: { type: 'sequence' } };
const ABORTED = 'aborted'; // stream log of a transaction that hit a conflict: only ROLLBACK/COMMIT end it

class Conflict extends Error {}

/** One request's run over a stream (`stored` sql_ids, an open transaction's `log`). */
export class Runner {
  constructor(storage, requests, stream) {
    this.storage = storage;
    this.sql = storage.sql;
    this.requests = requests;
    this.stored = new Map(stream?.stored ?? []);
    this.priorLog = stream?.log ?? null; // non-null: the stream is inside a transaction
    this.readonly = this.priorLog !== null && stream?.readonly === true; // that transaction is READONLY
    this.inTxn = false;
    this.log = null; // statements run in the current transaction, with their outcomes
    this.openLog = null; // what to keep with the stream after this request
    this.results = requests.map(() => null);
    this.ops = [];
    // Flatten: one op per request, one per batch step, so a BEGIN in one request and the
    // COMMIT in a later request of the same pipeline work like on a real connection.
    requests.forEach((r, i) => {
      if (r.type === 'batch') {
        const batch = {
          stepResults: r.batch.steps.map(() => null),
          stepErrors: r.batch.steps.map(() => null),
          ran: r.batch.steps.map(() => false),
        };
        this.results[i] = {
          type: 'ok',
          response: {
            type: 'batch',
            result: { step_results: batch.stepResults, step_errors: batch.stepErrors },
          },
        };
        for (const [s, step] of r.batch.steps.entries()) {
          this.ops.push({ request: i, batch, step: s, stmt: step.stmt, condition: step.condition });
        }
      } else {
        this.ops.push({ request: i, req: r, stmt: r.type === 'execute' ? r.stmt : undefined });
      }
    });
  }

  run() {
    let start = 0;
    if (this.priorLog !== null) {
      // Continue the stream's transaction: replay it, then this request, in one transactionSync.
      const out = this.priorLog === ABORTED ? null : this.transaction(0, this.priorLog);
      if (out === null) {
        const aborted = this.runAborted(0);
        if (!aborted.ended) {
          this.openLog = ABORTED;
          return this.results;
        }
        start = aborted.next;
      } else if (out.end === 'open') {
        this.openLog = this.log;
        return this.results;
      } else {
        start = out.next;
      }
    }
    const out = this.runFrom(start);
    if (out.end === 'open') throw new Error('transaction left open at top level'); // unreachable
    return this.results;
  }

  // A transaction that hit a conflict is dead, as in SQLite after a failed COMMIT: every
  // statement fails with SQLITE_BUSY until ROLLBACK (ok) or COMMIT (SQLITE_BUSY) ends it.
  runAborted(i) {
    const error = new StatementError(
      'transaction conflict: the database changed since this transaction read it; ' +
        'the transaction was rolled back, retry it',
      'SQLITE_BUSY',
    );
    this.inTxn = true;
    try {
      for (; i < this.ops.length; i++) {
        const op = this.ops[i];
        if (op.req?.type === 'sequence') {
          this.expandSequence(i--);
          continue;
        }
        if (op.group?.failed || (op.batch && !this.evalCond(op.condition, op.batch))) continue;
        const sqlText = op.stmt ? this.sqlOf(op.stmt) : undefined;
        const tc = sqlText !== undefined ? transactionControl(sqlText) : null;
        if (tc === 'rollback') {
          this.succeed(op, emptyResult());
          return { next: i + 1, ended: true };
        }
        if (op.stmt) {
          this.fail(op, error);
          if (tc === 'commit') return { next: i + 1, ended: true };
          continue;
        }
        this.runOp(op, sqlText); // store_sql, close_sql, close, get_autocommit, describe
      }
      return { next: i, ended: false };
    } finally {
      this.inTxn = false;
    }
  }

  // Runs ops from `start` inside transactionSync (after replaying `prior`), until COMMIT,
  // ROLLBACK or the end of the request. Returns runFrom's answer, or null on a conflict.
  transaction(start, prior) {
    this.inTxn = true;
    this.log = [...prior];
    let out;
    try {
      this.storage.transactionSync(() => {
        for (const entry of prior) {
          if (this.outcome(entry) !== entry.outcome) throw new Conflict();
        }
        out = this.runFrom(start);
        if (out.end !== 'commit' || this.readonly) throw ROLLBACK; // a READONLY one never commits
      });
    } catch (e) {
      if (e instanceof Conflict) {
        // thrown only while replaying: this request has not run yet
        this.log = null;
        return null;
      }
      if (e !== ROLLBACK) throw e;
    } finally {
      this.inTxn = false;
    }
    if (out.end !== 'open') {
      this.log = null;
      this.readonly = false;
    }
    return out;
  }

  // Runs ops from index i; returns where it stopped and why ("commit", "rollback",
  // "open" = ran out of ops inside a transaction, "done").
  runFrom(i) {
    while (i < this.ops.length) {
      const op = this.ops[i];
      if (op.req?.type === 'sequence') {
        this.expandSequence(i);
        continue;
      }
      if (op.group?.failed || (op.batch && !this.evalCond(op.condition, op.batch))) {
        i++;
        continue;
      }
      const sqlText = op.stmt ? this.sqlOf(op.stmt) : undefined;
      const tc = sqlText !== undefined ? transactionControl(sqlText) : null;
      if (tc === 'begin' || tc === 'begin-readonly') {
        if (this.inTxn) {
          this.fail(
            op,
            new StatementError('cannot start a transaction within a transaction', 'SQLITE_ERROR'),
          );
          i++;
          continue;
        }
        this.succeed(op, emptyResult());
        this.readonly = tc === 'begin-readonly';
        const out = this.transaction(i + 1, []);
        if (out === null) return { next: this.ops.length, end: 'done' };
        if (out.end === 'open') {
          this.openLog = this.log;
          return { next: this.ops.length, end: 'done' };
        }
        i = out.next;
        continue;
      }
      if (tc === 'commit' || tc === 'rollback') {
        if (!this.inTxn) {
          this.fail(
            op,
            new StatementError(`cannot ${tc} - no transaction is active`, 'SQLITE_ERROR'),
          );
          i++;
          continue;
        }
        this.succeed(op, emptyResult());
        return { next: i + 1, end: tc };
      }
      this.runOp(op, sqlText);
      i++;
    }
    return { next: i, end: this.inTxn ? 'open' : 'done' };
  }

  /**
   * Replaces the `sequence` op at `i` by one op per statement of its text (the package's
   * analysis splits it as SQLite does), so that BEGIN / COMMIT in a sequence (what
   * `exec("BEGIN")` sends) control the transaction like any statement. Its statements
   * run in order; the first that fails ends the sequence with its error.
   */
  expandSequence(i) {
    const op = this.ops[i];
    const text = this.sqlOf(op.req);
    const analysis = text === undefined ? null : analyzeStatement(text);
    if (analysis === null || analysis.error) {
      this.fail(
        op,
        analysis === null
          ? new StatementError(`unknown sql_id ${op.req.sql_id}`, 'SQL_NOT_FOUND')
          : new StatementError(analysis.error.message, analysis.error.code),
      );
      this.ops.splice(i, 1);
      return;
    }
    const group = { remaining: analysis.statements.length, failed: false };
    if (group.remaining === 0) this.results[op.request] = sequenceDone;
    const statements = analysis.statements.map((statement) => ({
      request: op.request,
      group,
      stmt: { sql: statement.sql, args: [], want_rows: false },
    }));
    this.ops.splice(i, 1, ...statements);
  }

  sqlOf(o) {
    if (typeof o.sql === 'string') return o.sql;
    return this.stored.get(o.sql_id); // checked to exist by the gate; undefined -> error in runOp
  }

  evalCond(c, batch) {
    if (c == null) return true;
    switch (c.type) {
      case 'ok':
        return batch.ran[c.step] && batch.stepErrors[c.step] === null;
      case 'error':
        return batch.ran[c.step] && batch.stepErrors[c.step] !== null;
      case 'not':
        return !this.evalCond(c.cond, batch);
      case 'and':
        return c.conds.every((x) => this.evalCond(x, batch));
      case 'or':
        return c.conds.some((x) => this.evalCond(x, batch));
      case 'is_autocommit':
        return !this.inTxn;
      default:
        return false;
    }
  }

  succeed(op, result) {
    if (op.group) {
      op.group.remaining -= 1;
      if (op.group.remaining === 0 && !op.group.failed) this.results[op.request] = sequenceDone;
      return;
    }
    if (op.batch) {
      op.batch.ran[op.step] = true;
      op.batch.stepResults[op.step] = result;
      return;
    }
    this.results[op.request] = { type: 'ok', response: { type: op.req.type, result } };
  }

  fail(op, e) {
    const error = sqliteError(e);
    if (op.group) op.group.failed = true;
    if (op.batch) {
      op.batch.ran[op.step] = true;
      op.batch.stepErrors[op.step] = error;
      return;
    }
    this.results[op.request] = { type: 'error', error };
  }

  // Runs a statement (or a sequence) and, inside a transaction, logs it with its outcome.
  record(entry) {
    let result, error;
    try {
      if (this.inTxn && this.readonly) refuseWrites(entry.sql);
      result = this.apply(entry);
    } catch (e) {
      error = e;
    }
    if (this.inTxn) this.log.push({ ...entry, outcome: outcomeOf(result, error) });
    if (error !== undefined) throw error;
    return result;
  }

  outcome(entry) {
    try {
      if (this.readonly) refuseWrites(entry.sql);
      return outcomeOf(this.apply(entry));
    } catch (e) {
      return outcomeOf(undefined, e);
    }
  }

  apply(entry) {
    return execute(this.sql, entry.sql, entry.args, entry.wantRows);
  }

  runOp(op, sqlText) {
    const r = op.req;
    if (op.stmt) {
      try {
        if (sqlText === undefined)
          throw new StatementError(`unknown sql_id ${op.stmt.sql_id}`, 'SQL_NOT_FOUND');
        if (op.stmt.named_args?.length)
          throw new StatementError(
            'named arguments are not supported by the Durable Object backend; use positional ?',
            'ARGS_INVALID',
          );
        this.succeed(
          op,
          this.record({
            sql: sqlText,
            args: op.stmt.args ?? [],
            wantRows: op.stmt.want_rows !== false,
          }),
        );
      } catch (e) {
        this.fail(op, e);
      }
      return;
    }
    const ok = (extra = {}) => {
      this.results[op.request] = { type: 'ok', response: { type: r.type, ...extra } };
    };
    try {
      switch (r.type) {
        case 'close':
          return ok();
        case 'store_sql':
          this.stored.set(r.sql_id, r.sql);
          return ok();
        case 'close_sql':
          this.stored.delete(r.sql_id);
          return ok();
        case 'get_autocommit':
          return ok({ is_autocommit: !this.inTxn });
        case 'describe': {
          const text = this.sqlOf(r);
          if (text === undefined)
            throw new StatementError(`unknown sql_id ${r.sql_id}`, 'SQL_NOT_FOUND');
          return ok({ result: describe(this.storage, text) });
        }
      }
    } catch (e) {
      this.fail(op, e);
    }
  }
}
