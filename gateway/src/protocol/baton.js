// Stream batons bound to the client's token: `<stream id>.<HMAC(stream id, SHA-256(token))>`.
// Why: a later request on a stream may execute SQL by `sql_id`, stored by an earlier request
// whose text the gateway no longer sees. Every store_sql is checked when stored, so SQL
// stored on a stream is SQL the stream's token may run; binding the baton to that token
// keeps it that way (and a leaked baton is useless without the token).
// Keyed by BATON_SECRET; without it, a random key per isolate (streams then survive only
// within one isolate: set BATON_SECRET in production).

import { fromBase64, toBase64Url } from './base64.js';

const enc = new TextEncoder();
let isolateKey = null; // used when BATON_SECRET is not set: batons then work within one isolate only
let secretKey = null,
  secretKeyFor = null;

async function macKey(env) {
  if (env.BATON_SECRET) {
    if (secretKeyFor !== env.BATON_SECRET) {
      secretKey = await crypto.subtle.importKey(
        'raw',
        enc.encode(env.BATON_SECRET),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign', 'verify'],
      );
      secretKeyFor = env.BATON_SECRET;
    }
    return secretKey;
  }
  isolateKey ??= await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  return isolateKey;
}

/** The bytes of base64url text, or null for any other text. */
const fromBase64UrlOrNull = (s) => (/^[A-Za-z0-9_-]*$/.test(s) ? fromBase64(s) : null);

async function macInput(payload, token) {
  const th = await crypto.subtle.digest('SHA-256', enc.encode(token));
  return enc.encode(`libsql-authz-gateway baton v1\u0000${toBase64Url(th)}\u0000${payload}`);
}

/**
 * Binds a stream id to `token`: `<id>.<stale sql_ids>.<mac>`. "Stale" sql_ids are those a
 * denied request stored or closed on the client's side only (nothing of a denied request
 * reaches the database): the database may still hold an older SQL text under such an id,
 * so a later reference to it is refused until the id is stored again.
 */
export async function wrapBaton(env, id, token, stale = new Set()) {
  if (id == null) return null;
  const payload = `${id}.${[...stale].sort((x, y) => x - y).join('-')}`;
  const sig = await crypto.subtle.sign('HMAC', await macKey(env), await macInput(payload, token));
  return `${payload}.${toBase64Url(sig)}`;
}

/** `{ id, stale }` if `baton` was issued by this gateway to `token`, else null. */
export async function unwrapBaton(env, baton, token) {
  const dot = baton.lastIndexOf('.');
  if (dot <= 0) return null;
  const payload = baton.slice(0, dot);
  const sig = fromBase64UrlOrNull(baton.slice(dot + 1));
  if (!sig) return null;
  const ok = await crypto.subtle.verify(
    'HMAC',
    await macKey(env),
    sig,
    await macInput(payload, token),
  );
  if (!ok) return null;
  const sep = payload.lastIndexOf('.');
  if (sep <= 0) return null;
  const list = payload.slice(sep + 1);
  if (!/^(\d+(-\d+)*)?$/.test(list)) return null;
  return { id: payload.slice(0, sep), stale: new Set(list ? list.split('-').map(Number) : []) };
}

/** The stale set after `requests` ran (forwarded/executed): ids stored or closed are fresh again. */
export function staleAfterRun(stale, requests) {
  const out = new Set(stale);
  for (const r of requests)
    if (r.type === 'store_sql' || r.type === 'close_sql') out.delete(r.sql_id);
  return out;
}

/** The stale set after `requests` were denied: every id they stored or closed is stale. */
export function staleAfterDenial(stale, requests) {
  const out = new Set(stale);
  for (const r of requests) if (r.type === 'store_sql' || r.type === 'close_sql') out.add(r.sql_id);
  return out;
}
