// The local database: a SQLite-backed Durable Object (real SQLite inside workerd, the same
// engine local D1 runs on). It executes an already-authorized Hrana pipeline. It never
// authorizes anything: the Worker in index.js does that before calling it.
//
// SQLite-backed Durable Objects refuse BEGIN/COMMIT/ROLLBACK and SAVEPOINT in SQL; atomic
// work goes through ctx.storage.transactionSync(), which cannot stay open between calls.
// So the runner interprets transaction control itself:
//  - within one request, BEGIN opens transactionSync() and the statements up to the
//    matching COMMIT (or ROLLBACK, which throws to undo) run inside it;
//  - a transaction still open at the end of a request (client.transaction()) is rolled
//    back, and its statements and their results are kept with the stream (baton). The next
//    request on the stream replays them inside a new transactionSync(), and if any result
//    differs from what the client was told, the database changed underneath: the
//    transaction fails with SQLITE_BUSY (optimistic concurrency; nothing is committed).
//    Only a COMMIT makes it durable, replay and all, in one synchronous step.
//
// READONLY transactions (libSQL's `BEGIN TRANSACTION READONLY`, client.transaction("read")):
// a statement the package's analyser finds needing anything but data_read (or cannot
// analyse) fails with SQLITE_READONLY before it runs, and such a transaction is never
// committed: its COMMIT rolls back, so no write can become durable through it even if the
// analyser missed one (fail closed).
import { DurableObject } from 'cloudflare:workers';
import { analyzeStatement } from 'libsql-authz';
import { decodeValue, encodeValue, hranaError, transactionControl } from './hrana.js';

const ROLLBACK = Symbol('rollback');
const ABORTED = 'aborted'; // stream log of a transaction that hit a conflict: only ROLLBACK/COMMIT end it
const STREAM_IDLE_MS = 60_000;
const MAX_STREAMS = 1000;

export class SqliteDatabase extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.streams = new Map(); // stream id -> { stored, log, lastUsed }; in memory: lost on eviction
  }

  /**
   * RPC from the Worker: runs the requests on a new stream (streamId null) or continues one.
   * Returns `{ results, streamId }` (streamId null when the stream closed) or `{ error }`.
   */
  pipeline(requests, streamId = null) {
    const now = Date.now();
    for (const [id, s] of this.streams)
      if (now - s.lastUsed > STREAM_IDLE_MS) this.streams.delete(id);
    let stream = null;
    if (streamId !== null) {
      stream = this.streams.get(streamId);
      if (!stream)
        return {
          error: hranaError(
            'stream expired or unknown (idle for more than 60 s, or the database restarted)',
            'STREAM_EXPIRED',
          ),
        };
      this.streams.delete(streamId); // a baton is good for one request
    }
    const runner = new Runner(this.ctx.storage, requests, stream);
    const results = runner.run();
    if (requests.some((r) => r.type === 'close')) return { results, streamId: null };
    while (this.streams.size >= MAX_STREAMS) this.streams.delete(this.streams.keys().next().value);
    const id = crypto.randomUUID();
    this.streams.set(id, {
      stored: runner.stored,
      log: runner.openLog,
      readonly: runner.openLog !== null && runner.readonly,
      lastUsed: now,
    });
    return { results, streamId: id };
  }
}

class StatementError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}
class Conflict extends Error {}

function sqliteError(e) {
  if (e instanceof StatementError) return hranaError(e.message, e.code);
  const message = e?.message ?? String(e);
  const m = /\b(SQLITE_[A-Z_]+)\b/.exec(message);
  return hranaError(
    message,
    e?.code && typeof e.code === 'string' ? e.code : m ? m[1] : 'SQLITE_ERROR',
  );
}

class Runner {
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
        if (op.batch && !this.evalCond(op.condition, op.batch)) continue;
        const sqlText = op.stmt ? this.sqlOf(op.stmt) : undefined;
        const tc = sqlText !== undefined ? transactionControl(sqlText) : null;
        if (tc === 'rollback') {
          this.succeed(op, emptyResult());
          return { next: i + 1, ended: true };
        }
        if (op.stmt || op.req.type === 'sequence') {
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
      if (op.batch && !this.evalCond(op.condition, op.batch)) {
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
    if (op.batch) {
      op.batch.ran[op.step] = true;
      op.batch.stepResults[op.step] = result;
      return;
    }
    this.results[op.request] = { type: 'ok', response: { type: op.req.type, result } };
  }

  fail(op, e) {
    const error = sqliteError(e);
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
      if (this.inTxn && this.readonly) refuseWrites(entry.sql ?? entry.sequence);
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
      if (this.readonly) refuseWrites(entry.sql ?? entry.sequence);
      return outcomeOf(this.apply(entry));
    } catch (e) {
      return outcomeOf(undefined, e);
    }
  }

  apply(entry) {
    if (entry.sequence !== undefined) {
      drain(this.sql.exec(entry.sequence));
      return null;
    }
    return this.execute(entry.sql, entry.args, entry.wantRows);
  }

  runOp(op, sqlText) {
    const r = op.req;
    if (op.batch || r.type === 'execute') {
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
        case 'sequence': {
          const text = this.sqlOf(r);
          if (text === undefined)
            throw new StatementError(`unknown sql_id ${r.sql_id}`, 'SQL_NOT_FOUND');
          if (transactionControl(text))
            throw new StatementError(
              'transaction control in a sequence is not supported by this backend; use execute or batch',
              'SQLITE_ERROR',
            );
          this.record({ sequence: text });
          return ok();
        }
        case 'describe':
          throw new StatementError(
            'describe is not supported by the Durable Object backend',
            'DESCRIBE_UNSUPPORTED',
          );
      }
    } catch (e) {
      this.fail(op, e);
    }
  }

  execute(sqlText, hranaArgs, wantRows) {
    const args = hranaArgs.map(decodeValue);
    const [before] = this.sql.exec('SELECT total_changes()').raw().next().value;
    const cursor = this.sql.exec(sqlText, ...args);
    const rows = [];
    for (const row of cursor.raw()) rows.push(row.map(encodeValue));
    const cols = cursor.columnNames.map((name) => ({ name, decltype: null }));
    const [changes, after, rowid] = this.sql
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
}

// What the client was told about a statement: compared on replay.
function outcomeOf(result, error) {
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
function refuseWrites(sqlText) {
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

function drain(cursor) {
  for (const _ of cursor.raw());
}
const emptyResult = () => ({ cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null });
