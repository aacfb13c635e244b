// The gate: every SQL text a pipeline could run is checked with the package's
// checkStatement() before any of the pipeline is sent to the database. One denied
// statement denies the whole pipeline (nothing of it runs): a pipeline is often a
// transaction (BEGIN ... COMMIT), and running "the allowed part" of it would commit
// something the client never asked for on its own.
import { checkStatement } from 'libsql-authz';
import { hranaError, refusedResults } from '../protocol/hrana.js';

/** Every SQL text in `requests` with the index of the request that carries it. */
export function statementsOf(requests, { streamBound = false, stale = new Set() } = {}) {
  const stored = new Map(); // sql_id -> sql, as the pipeline stores and closes them in order
  const closed = new Set();
  const out = [];
  const ref = (i, o) => {
    if (typeof o.sql === 'string') return out.push({ request: i, sql: o.sql });
    const sql = stored.get(o.sql_id);
    if (sql !== undefined) return out.push({ request: i, sql });
    // Stored by an earlier request on the same stream: it was checked when stored, for the
    // token the stream is bound to (baton.js). Otherwise nothing can vouch: deny. Stale ids
    // (stored or closed by a denied request, so not on the database) are refused as well.
    if (streamBound && !closed.has(o.sql_id) && !stale.has(o.sql_id)) return;
    out.push({ request: i, sql, unknownId: o.sql_id });
  };
  for (const [i, r] of requests.entries()) {
    switch (r.type) {
      case 'execute':
        ref(i, r.stmt);
        break;
      case 'batch':
        for (const step of r.batch.steps) ref(i, step.stmt);
        break;
      case 'sequence':
      case 'describe':
        ref(i, r);
        break;
      case 'store_sql':
        stored.set(r.sql_id, r.sql);
        closed.delete(r.sql_id);
        out.push({ request: i, sql: r.sql });
        break;
      case 'close_sql':
        stored.delete(r.sql_id);
        closed.add(r.sql_id);
        break;
    }
  }
  return out;
}

/**
 * Checks every statement of the pipeline against `grant`. Returns null when everything is
 * allowed, otherwise the pipeline results to send back instead of running anything.
 */
export function authorizePipeline(grant, requests, options) {
  const denials = new Map(); // request index -> Hrana error
  for (const { request, sql, unknownId } of statementsOf(requests, options)) {
    if (denials.has(request)) continue;
    const err =
      unknownId !== undefined
        ? hranaError(
            `sql_id ${unknownId} was not stored on this stream by this token; the gateway cannot check it`,
            'ERR_SQL_ID_UNKNOWN',
          )
        : denial(grant, sql);
    if (err) denials.set(request, err);
  }
  if (denials.size === 0) return null;
  const [first] = denials.values();
  const notExecuted = hranaError(
    `not executed: another statement in this request was denied (${first.message})`,
    'ERR_PIPELINE_DENIED',
  );
  return refusedResults(requests, (i) => denials.get(i) ?? notExecuted);
}

// Every text goes through checkStatement, BEGIN / COMMIT / libSQL's
// `BEGIN TRANSACTION READONLY` included (the package parses them; they need no table).
// No text is let through by the gateway's own judgement: fail closed.
function denial(grant, sql) {
  let decision;
  try {
    decision = checkStatement(grant, sql);
  } catch (e) {
    return hranaError(e?.message ?? String(e), e?.code ?? 'ERR_PERMISSION_DENIED');
  }
  if (decision?.allowed === true) return null;
  if (decision?.error) return hranaError(decision.error.message, decision.error.code);
  const reasons = (decision?.denied ?? [])
    .map((a) => `${a.action} on ${a.table}${a.reason ? ` (${a.reason})` : ''}`)
    .join('; ');
  return hranaError(`not authorized: ${reasons || 'statement denied'}`, 'ERR_PERMISSION_DENIED');
}
