// Forwarding backend: the checked requests go to a real libSQL server (sqld, Turso) at
// LIBSQL_URL, as a pipeline of the client's Hrana version (`/v2/pipeline` or
// `/v3/pipeline`: sqld refuses v3 requests such as `get_autocommit` on v2). Streams pass
// through: the upstream's baton is the stream id the gateway binds to the client's token
// (protocol/baton.js). The body sent upstream is the validated requests re-serialized
// (what was checked is exactly what is sent: no JSON parser differences such as
// duplicate keys).
import { failure } from '../http.js';

/**
 * Runs `requests` upstream on the stream `streamId` (the upstream baton, or null), with
 * the client's `encryptionKey` if any. Returns `{ streamId, results }`, or `{ response }`
 * (a failure to send back as is).
 */
export async function forwardPipeline(env, { requests, streamId, version, encryptionKey }) {
  const headers = { 'content-type': 'application/json' };
  if (encryptionKey) headers['x-turso-encryption-key'] = encryptionKey; // the client's remoteEncryptionKey
  if (env.LIBSQL_AUTH_TOKEN) headers.authorization = `Bearer ${env.LIBSQL_AUTH_TOKEN}`;
  const base = env.LIBSQL_URL.endsWith('/') ? env.LIBSQL_URL : `${env.LIBSQL_URL}/`;
  const target = new URL(`v${version}/pipeline`, base.replace(/^libsql:/, 'https:'));
  let resp;
  try {
    resp = await fetch(target, {
      method: 'POST',
      headers,
      body: JSON.stringify({ baton: streamId, requests }),
    });
  } catch (e) {
    return {
      response: failure(502, 'GATEWAY_UPSTREAM_ERROR', `upstream unreachable: ${e.message}`),
    };
  }
  if (resp.status === 401 || resp.status === 403) {
    await resp.body?.cancel();
    return {
      response: failure(
        502,
        'GATEWAY_UPSTREAM_AUTH',
        `upstream refused the gateway's credentials (HTTP ${resp.status}); check LIBSQL_AUTH_TOKEN`,
      ),
    };
  }
  if (!resp.ok) {
    return {
      response: new Response(resp.body, {
        status: resp.status,
        headers: { 'content-type': resp.headers.get('content-type') ?? 'text/plain' },
      }),
    };
  }
  let out;
  try {
    out = await resp.json();
  } catch (e) {
    return {
      response: failure(502, 'GATEWAY_UPSTREAM_ERROR', `upstream sent invalid JSON: ${e.message}`),
    };
  }
  if (!Array.isArray(out?.results) || out.results.length !== requests.length)
    return {
      response: failure(
        502,
        'GATEWAY_UPSTREAM_ERROR',
        'upstream answered another number of results',
      ),
    };
  // `base_url` is dropped: the client keeps talking to the gateway.
  return { streamId: out.baton ?? null, results: out.results };
}
