// Forwarding to an upstream without streams: a server that answers `POST /v2/pipeline`
// with `execute` and `batch` only, every request on a connection of its own, no batons
// (the Turso engine's `turso FILE --sync-server`). The gateway keeps each request
// self-contained: SQL stored with `store_sql` is resolved into the statements that use
// it, `close`, `store_sql`, `close_sql` and `get_autocommit` are answered here, and a
// `sequence` goes as a batch of its statements, each run only if the one before it
// succeeded (SQLite's own rule for a sequence), answered as the sequence. What cannot be
// carried this way is refused before anything is sent, never silently changed: a stream
// continued from an earlier request, or a transaction still open at the end of the
// request, refuse the whole request (protocol/hrana.js `refusedResults`); a `describe`
// fails alone.
import { analyzeStatement } from 'libsql-authz';
import { hranaError } from '../protocol/hrana.js';
import { controlOf, mayControlTransaction } from './transaction.js';

/** Thrown by `planStateless` for a request this kind of upstream cannot serve. */
export class Unsupported extends Error {
  constructor(message) {
    super(message);
    this.code = 'GATEWAY_UPSTREAM_UNSUPPORTED';
  }
}

const ok = (type, extra = {}) => ({ type: 'ok', response: { type, ...extra } });

/**
 * How to serve `requests` (already checked) on a stream-less upstream: `{ upstream, answer }`
 * where `upstream` are the `execute` / `batch` requests to send, and `answer(results)` turns
 * their results into the results of `requests`. Throws `Unsupported`.
 */
export function planStateless(requests, streamId) {
  if (streamId !== null)
    throw new Unsupported(
      'the upstream (LIBSQL_URL) keeps no streams: a baton cannot continue one',
    );
  const stored = new Map();
  const upstream = [];
  const plan = []; // per request: a local result, or how to read its upstream result
  const transaction = { open: false };
  const sqlOf = (o) => {
    const sql = o.sql ?? stored.get(o.sql_id);
    if (typeof sql !== 'string')
      throw new Unsupported(`sql_id ${o.sql_id} was not stored in this request`);
    return sql;
  };
  const resolve = (stmt) => {
    const sql = sqlOf(stmt);
    if (mayControlTransaction(sql)) follow(transaction, analyzeStatement(sql).statements);
    const { sql_id: _, ...rest } = stmt;
    return { ...rest, sql };
  };
  for (const r of requests) {
    switch (r.type) {
      case 'close':
      case 'store_sql':
      case 'close_sql':
        if (r.type === 'store_sql') stored.set(r.sql_id, r.sql);
        if (r.type === 'close_sql') stored.delete(r.sql_id);
        plan.push({ local: ok(r.type) });
        break;
      case 'get_autocommit':
        plan.push({ local: ok('get_autocommit', { is_autocommit: !transaction.open }) });
        break;
      case 'execute':
        plan.push({ upstream: upstream.length });
        upstream.push({ type: 'execute', stmt: resolve(r.stmt) });
        break;
      case 'batch': {
        const steps = r.batch.steps.map((step) => ({ ...step, stmt: resolve(step.stmt) }));
        plan.push({ upstream: upstream.length });
        upstream.push({ type: 'batch', batch: { ...r.batch, steps } });
        break;
      }
      case 'sequence': {
        const statements = analyzeStatement(sqlOf(r)).statements;
        follow(transaction, statements);
        if (statements.length === 0) {
          plan.push({ local: ok('sequence') });
          break;
        }
        const steps = statements.map((s, i) => ({
          stmt: { sql: s.sql, want_rows: false },
          ...(i > 0 ? { condition: { type: 'ok', step: i - 1 } } : {}),
        }));
        plan.push({ upstream: upstream.length, sequence: true });
        upstream.push({ type: 'batch', batch: { steps } });
        break;
      }
      case 'describe':
        // Runs nothing: the rest of the pipeline goes on, as after any failed request.
        plan.push({
          local: {
            type: 'error',
            error: hranaError(
              'describe is not supported by the upstream (LIBSQL_URL)',
              'GATEWAY_UPSTREAM_UNSUPPORTED',
            ),
          },
        });
        break;
      default:
        throw new Unsupported(`${r.type} is not supported by the upstream (LIBSQL_URL)`);
    }
  }
  if (transaction.open)
    throw new Unsupported(
      'a transaction left open at the end of a request needs a stream, and the upstream ' +
        '(LIBSQL_URL) keeps none: end it (COMMIT or ROLLBACK) in the same request',
    );
  return {
    upstream,
    answer: (results) =>
      plan.map((p) => {
        if (p.local) return p.local;
        const result = results[p.upstream];
        return p.sequence ? sequenceResult(result) : result;
      }),
  };
}

/** Tracks BEGIN / COMMIT / ROLLBACK over `statements` (an analysis's), in order. */
function follow(transaction, statements) {
  for (const { kind } of statements) {
    const control = controlOf(kind);
    if (control === 'begin' || control === 'begin-readonly') transaction.open = true;
    if (control === 'commit' || control === 'rollback') transaction.open = false;
  }
}

/** A sequence's result from the batch of its statements: ok, or the first error. */
function sequenceResult(result) {
  if (result?.type !== 'ok') return result;
  const error = result.response.result.step_errors.find((e) => e);
  return error ? { type: 'error', error: hranaError(error.message, error.code) } : ok('sequence');
}
