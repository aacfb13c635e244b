// Hrana over HTTP, JSON encoding, versions 2 and 3 (libSQL's docs/HRANA_3_SPEC.md): the
// pipeline body of `POST /v2/pipeline` and `/v3/pipeline`, the cursor body of
// `POST /v3/cursor`, and values. The shapes `@libsql/client` 0.18 (v2) and
// `@tursodatabase/serverless` 1.4 (v3) send. This file only validates and converts; it
// never executes or authorizes anything.
import { fromBase64, toBase64 } from './base64.js';

export class ProtocolError extends Error {
  constructor(message) {
    super(message);
    this.code = 'HRANA_PROTO_ERROR';
  }
}

const REQUEST_TYPES = new Set([
  'close',
  'execute',
  'batch',
  'sequence',
  'describe',
  'store_sql',
  'close_sql',
  'get_autocommit',
]);

/**
 * Validates a pipeline body `{ baton?, requests }` (a new stream has a null or no baton);
 * returns `{ baton, requests, body }` or throws ProtocolError.
 */
export function parsePipeline(body) {
  const baton = parseBaton(body);
  const { requests } = body;
  if (!Array.isArray(requests)) throw new ProtocolError('requests must be an array');
  for (const r of requests) {
    if (r === null || typeof r !== 'object' || !REQUEST_TYPES.has(r.type)) {
      throw new ProtocolError(`unknown stream request type ${JSON.stringify(r?.type)}`);
    }
    if (r.type === 'execute') checkStmt(r.stmt);
    if (r.type === 'batch') checkBatch(r.batch);
    if (r.type === 'sequence' || r.type === 'describe') checkSqlRef(r);
    if (r.type === 'store_sql' && (!Number.isInteger(r.sql_id) || typeof r.sql !== 'string'))
      throw new ProtocolError('store_sql needs sql_id and sql');
    if (r.type === 'close_sql' && !Number.isInteger(r.sql_id))
      throw new ProtocolError('close_sql needs sql_id');
  }
  return { baton, requests, body };
}

/**
 * Validates a cursor body `{ baton?, batch }` (`POST /v3/cursor`); returns
 * `{ baton, batch, body }` or throws ProtocolError.
 */
export function parseCursor(body) {
  const baton = parseBaton(body);
  checkBatch(body.batch);
  return { baton, batch: body.batch, body };
}

function parseBaton(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ProtocolError('body must be a JSON object');
  const { baton = null } = body;
  if (baton !== null && typeof baton !== 'string')
    throw new ProtocolError('baton must be a string or null');
  return baton;
}

function checkBatch(batch) {
  if (!batch || typeof batch !== 'object' || !Array.isArray(batch.steps))
    throw new ProtocolError('batch.steps must be an array');
  batch.steps.forEach((s, i) => {
    if (!s || typeof s !== 'object') throw new ProtocolError('a batch step must be an object');
    checkStmt(s.stmt);
    if (s.condition != null) checkCond(s.condition, i);
  });
}

function checkSqlRef(o) {
  const hasSql = typeof o.sql === 'string',
    hasId = Number.isInteger(o.sql_id);
  if (hasSql === hasId) throw new ProtocolError('exactly one of sql and sql_id is required');
}

function checkStmt(stmt) {
  if (!stmt || typeof stmt !== 'object') throw new ProtocolError('stmt must be an object');
  checkSqlRef(stmt);
  if (stmt.args != null && !Array.isArray(stmt.args))
    throw new ProtocolError('args must be an array');
  if (stmt.named_args != null && !Array.isArray(stmt.named_args))
    throw new ProtocolError('named_args must be an array');
}

function checkCond(c, stepIndex) {
  if (!c || typeof c !== 'object') throw new ProtocolError('condition must be an object');
  switch (c.type) {
    case 'ok':
    case 'error':
      if (!Number.isInteger(c.step) || c.step < 0 || c.step >= stepIndex)
        throw new ProtocolError('condition refers to a later step');
      return;
    case 'not':
      return checkCond(c.cond, stepIndex);
    case 'and':
    case 'or':
      if (!Array.isArray(c.conds)) throw new ProtocolError('conds must be an array');
      for (const cond of c.conds) checkCond(cond, stepIndex);
      return;
    case 'is_autocommit':
      return;
    default:
      throw new ProtocolError(`unknown condition type ${JSON.stringify(c.type)}`);
  }
}

/** Hrana value → a JS value a SQLite binding accepts. */
export function decodeValue(v) {
  switch (v?.type) {
    case 'null':
      return null;
    case 'integer': {
      if (typeof v.value !== 'string' || !/^-?\d+$/.test(v.value))
        throw new ProtocolError('integer value must be a decimal string');
      const n = Number(v.value);
      if (!Number.isSafeInteger(n))
        throw Object.assign(
          new Error(`integer ${v.value} is outside the range this backend binds exactly (±2^53)`),
          { code: 'ARGS_INVALID' },
        );
      return n;
    }
    case 'float': {
      if (typeof v.value !== 'number') throw new ProtocolError('float value must be a number');
      return v.value;
    }
    case 'text':
      if (typeof v.value !== 'string') throw new ProtocolError('text value must be a string');
      return v.value;
    case 'blob': {
      if (typeof v.base64 !== 'string') throw new ProtocolError('blob needs base64');
      return fromBase64(v.base64).buffer;
    }
    default:
      throw new ProtocolError(`unknown value type ${JSON.stringify(v?.type)}`);
  }
}

/** A SQLite result value (as workerd returns it) → Hrana value. */
export function encodeValue(x) {
  if (x === null || x === undefined) return { type: 'null' };
  if (typeof x === 'bigint') return { type: 'integer', value: x.toString() };
  if (typeof x === 'number') {
    // workerd returns INTEGER and REAL both as JS numbers: a whole number is reported as an
    // integer. (The client's default intMode "number" makes the two indistinguishable anyway.)
    return Number.isInteger(x)
      ? { type: 'integer', value: String(x) }
      : { type: 'float', value: x };
  }
  if (typeof x === 'string') return { type: 'text', value: x };
  if (x instanceof ArrayBuffer || ArrayBuffer.isView(x))
    return { type: 'blob', base64: toBase64(x) };
  return { type: 'text', value: String(x) };
}

/** `{ message, code }` as Hrana's Error. */
export const hranaError = (message, code) => ({ message: String(message), code: code ?? null });

/**
 * The results of a pipeline refused whole (nothing of it runs): request `i` fails with
 * `errorOf(i)`, except `close`, `store_sql` and `close_sql`, answered ok. Storing is not
 * running, and a client closes its stream when a `store_sql` fails; the requests that
 * would run stored SQL carry the refusal.
 */
export function refusedResults(requests, errorOf) {
  return requests.map((r, i) =>
    r.type === 'close' || r.type === 'store_sql' || r.type === 'close_sql'
      ? { type: 'ok', response: { type: r.type } }
      : { type: 'error', error: errorOf(i) },
  );
}
