// The local database: a SQLite-backed Durable Object (real SQLite inside workerd, the same
// engine local D1 runs on). It executes an already-authorized Hrana pipeline. It never
// authorizes anything: the Worker in index.js does that before calling it.
//
// SQLite-backed Durable Objects refuse BEGIN/COMMIT/ROLLBACK and SAVEPOINT in SQL; atomic
// work goes through ctx.storage.transactionSync(). So the runner interprets transaction
// control itself: a BEGIN opens transactionSync() and the statements up to the matching
// COMMIT (or ROLLBACK, which throws to undo) run inside it. A transaction must end in the
// same HTTP request: this backend issues no batons, so interactive transactions that span
// requests are refused (rolled back, error INTERACTIVE_TRANSACTION_UNSUPPORTED).
import { DurableObject } from "cloudflare:workers";
import { decodeValue, encodeValue, hranaError, transactionControl } from "./hrana.js";

const ROLLBACK = Symbol("rollback");

export class SqliteDatabase extends DurableObject {
  /** RPC from the Worker: runs the requests, returns the Hrana pipeline results. */
  pipeline(requests) {
    return new Runner(this.ctx.storage, requests).run();
  }
}

class StatementError extends Error {
  constructor(message, code) { super(message); this.code = code; }
}

function sqliteError(e) {
  if (e instanceof StatementError) return hranaError(e.message, e.code);
  const message = e?.message ?? String(e);
  const m = /\b(SQLITE_[A-Z_]+)\b/.exec(message);
  return hranaError(message, e?.code && typeof e.code === "string" ? e.code : m ? m[1] : "SQLITE_ERROR");
}

class Runner {
  constructor(storage, requests) {
    this.storage = storage;
    this.sql = storage.sql;
    this.requests = requests;
    this.inTxn = false;
    this.stored = new Map();
    this.results = requests.map(() => null);
    this.ops = [];
    // Flatten: one op per request, one per batch step, so a BEGIN in one request and the
    // COMMIT in a later request of the same pipeline work like on a real connection.
    requests.forEach((r, i) => {
      if (r.type === "batch") {
        const batch = { stepResults: r.batch.steps.map(() => null), stepErrors: r.batch.steps.map(() => null), ran: r.batch.steps.map(() => false) };
        this.results[i] = { type: "ok", response: { type: "batch", result: { step_results: batch.stepResults, step_errors: batch.stepErrors } } };
        r.batch.steps.forEach((step, s) => this.ops.push({ request: i, batch, step: s, stmt: step.stmt, condition: step.condition }));
      } else {
        this.ops.push({ request: i, req: r, stmt: r.type === "execute" ? r.stmt : undefined });
      }
    });
  }

  run() {
    const out = this.runFrom(0);
    if (out.end === "open") {
      // unreachable at depth 0 (runFrom returns "open" only inside a BEGIN); kept for safety
      throw new Error("transaction left open");
    }
    return this.results;
  }

  // Runs ops from index i; returns where it stopped and why ("commit", "rollback",
  // "open" = ran out of ops inside a transaction, "done").
  runFrom(i) {
    while (i < this.ops.length) {
      const op = this.ops[i];
      if (op.batch && !this.evalCond(op.condition, op.batch)) { i++; continue; }
      const sqlText = op.stmt ? this.sqlOf(op.stmt) : undefined;
      const tc = sqlText !== undefined ? transactionControl(sqlText) : null;
      if (tc === "begin") {
        if (this.inTxn) { this.fail(op, new StatementError("cannot start a transaction within a transaction", "SQLITE_ERROR")); i++; continue; }
        this.succeed(op, emptyResult());
        this.inTxn = true;
        let out;
        try {
          this.storage.transactionSync(() => {
            out = this.runFrom(i + 1);
            if (out.end !== "commit") throw ROLLBACK;
          });
        } catch (e) {
          if (e !== ROLLBACK) throw e;
        } finally {
          this.inTxn = false;
        }
        if (out.end === "open") {
          this.refuseFrom(op.request);
          return { next: this.ops.length, end: "done" };
        }
        i = out.next;
        continue;
      }
      if (tc === "commit" || tc === "rollback") {
        if (!this.inTxn) { this.fail(op, new StatementError(`cannot ${tc} - no transaction is active`, "SQLITE_ERROR")); i++; continue; }
        this.succeed(op, emptyResult());
        return { next: i + 1, end: tc };
      }
      this.runOp(op, sqlText);
      i++;
    }
    return { next: i, end: this.inTxn ? "open" : "done" };
  }

  refuseFrom(request) {
    const error = hranaError("this gateway backend runs a transaction only within one HTTP request (no batons): " +
      "use client.batch() instead of client.transaction(); the transaction was rolled back", "INTERACTIVE_TRANSACTION_UNSUPPORTED");
    for (let i = request; i < this.results.length; i++) {
      if (this.requests[i].type !== "close") this.results[i] = { type: "error", error };
    }
  }

  sqlOf(o) {
    if (typeof o.sql === "string") return o.sql;
    return this.stored.get(o.sql_id); // checked to exist by the gate; undefined -> error in runOp
  }

  evalCond(c, batch) {
    if (c == null) return true;
    switch (c.type) {
      case "ok": return batch.ran[c.step] && batch.stepErrors[c.step] === null;
      case "error": return batch.ran[c.step] && batch.stepErrors[c.step] !== null;
      case "not": return !this.evalCond(c.cond, batch);
      case "and": return c.conds.every((x) => this.evalCond(x, batch));
      case "or": return c.conds.some((x) => this.evalCond(x, batch));
      case "is_autocommit": return !this.inTxn;
      default: return false;
    }
  }

  succeed(op, result) {
    if (op.batch) { op.batch.ran[op.step] = true; op.batch.stepResults[op.step] = result; return; }
    this.results[op.request] = { type: "ok", response: { type: op.req.type, result } };
  }

  fail(op, e) {
    const error = sqliteError(e);
    if (op.batch) { op.batch.ran[op.step] = true; op.batch.stepErrors[op.step] = error; return; }
    this.results[op.request] = { type: "error", error };
  }

  runOp(op, sqlText) {
    const r = op.req;
    if (op.batch || r.type === "execute") {
      try { this.succeed(op, this.execute(op.stmt, sqlText)); } catch (e) { this.fail(op, e); }
      return;
    }
    const ok = (extra = {}) => { this.results[op.request] = { type: "ok", response: { type: r.type, ...extra } }; };
    try {
      switch (r.type) {
        case "close": return ok();
        case "store_sql": this.stored.set(r.sql_id, r.sql); return ok();
        case "close_sql": this.stored.delete(r.sql_id); return ok();
        case "get_autocommit": return ok({ is_autocommit: !this.inTxn });
        case "sequence": {
          const text = this.sqlOf(r);
          if (text === undefined) throw new StatementError(`unknown sql_id ${r.sql_id}`, "SQL_NOT_FOUND");
          if (transactionControl(text)) throw new StatementError("transaction control in a sequence is not supported by this backend; use execute or batch", "SQLITE_ERROR");
          drain(this.sql.exec(text));
          return ok();
        }
        case "describe":
          throw new StatementError("describe is not supported by the Durable Object backend", "DESCRIBE_UNSUPPORTED");
      }
    } catch (e) { this.fail(op, e); }
  }

  execute(stmt, sqlText) {
    if (sqlText === undefined) throw new StatementError(`unknown sql_id ${stmt.sql_id}`, "SQL_NOT_FOUND");
    if (stmt.named_args?.length) throw new StatementError("named arguments are not supported by the Durable Object backend; use positional ?", "ARGS_INVALID");
    const args = (stmt.args ?? []).map(decodeValue);
    const [before] = this.sql.exec("SELECT total_changes()").raw().next().value;
    const cursor = this.sql.exec(sqlText, ...args);
    const rows = [];
    for (const row of cursor.raw()) rows.push(row.map(encodeValue));
    const cols = cursor.columnNames.map((name) => ({ name, decltype: null }));
    const [changes, after, rowid] = this.sql.exec("SELECT changes(), total_changes(), last_insert_rowid()").raw().next().value;
    return {
      cols,
      rows: stmt.want_rows === false ? [] : rows,
      affected_row_count: after !== before ? changes : 0,
      last_insert_rowid: rowid == null ? null : String(rowid),
      rows_read: cursor.rowsRead,
      rows_written: cursor.rowsWritten,
    };
  }
}

function drain(cursor) { for (const _ of cursor.raw()); }
const emptyResult = () => ({ cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null });
