// Forwarding backend: the checked pipeline goes to a real libSQL server (sqld, Turso) at
// LIBSQL_URL. Streams (batons) pass through, so interactive transactions work; the
// upstream baton reaches the client bound to the client's token (baton.js).
// The body sent upstream is the validated JSON re-serialized (what was checked is exactly
// what is sent: no JSON parser differences such as duplicate keys).
import { wrapBaton } from './baton.js';
import { failure, json } from './responses.js';

/**
 * Sends the checked pipeline `body` upstream, on the stream `upstreamBaton` (already
 * unwrapped), with the client's `encryptionKey` if any; the upstream's baton goes back
 * bound to the client's `token`, with the sql_ids `stale`. Returns a Response.
 */
export async function forwardPipeline(env, { body, upstreamBaton, token, stale, encryptionKey }) {
  const headers = { 'content-type': 'application/json' };
  if (encryptionKey) headers['x-turso-encryption-key'] = encryptionKey; // the client's remoteEncryptionKey
  if (env.LIBSQL_AUTH_TOKEN) headers.authorization = `Bearer ${env.LIBSQL_AUTH_TOKEN}`;
  const base = env.LIBSQL_URL.endsWith('/') ? env.LIBSQL_URL : `${env.LIBSQL_URL}/`;
  const target = new URL('v2/pipeline', base.replace(/^libsql:/, 'https:'));
  let resp;
  try {
    resp = await fetch(target, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...body, baton: upstreamBaton }),
    });
  } catch (e) {
    return failure(502, 'GATEWAY_UPSTREAM_ERROR', `upstream unreachable: ${e.message}`);
  }
  if (resp.status === 401 || resp.status === 403) {
    await resp.body?.cancel();
    return failure(
      502,
      'GATEWAY_UPSTREAM_AUTH',
      `upstream refused the gateway's credentials (HTTP ${resp.status}); check LIBSQL_AUTH_TOKEN`,
    );
  }
  if (!resp.ok) {
    return new Response(resp.body, {
      status: resp.status,
      headers: { 'content-type': resp.headers.get('content-type') ?? 'text/plain' },
    });
  }
  let out;
  try {
    out = await resp.json();
  } catch (e) {
    return failure(502, 'GATEWAY_UPSTREAM_ERROR', `upstream sent invalid JSON: ${e.message}`);
  }
  out.baton = await wrapBaton(env, out.baton ?? null, token, stale);
  out.base_url = null; // keep the client talking to the gateway
  return json(200, out);
}
