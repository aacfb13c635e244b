// Forwarding backend: the checked requests go to a real database server at LIBSQL_URL.
// A server with streams (sqld, Turso) gets a pipeline of the client's Hrana version
// (`/v2/pipeline` or `/v3/pipeline`: sqld refuses v3 requests such as `get_autocommit` on
// v2), and its baton is the stream id the gateway binds to the client's token
// (protocol/baton.js). A server without streams is served as stateless.js says. The body sent upstream is the validated requests re-serialized
// (what was checked is exactly what is sent: no JSON parser differences such as
// duplicate keys).
import { failure } from '../http.js';
import { hranaError, refusedResults } from '../protocol/hrana.js';
import { planStateless, Unsupported } from './stateless.js';

// Whether each upstream keeps streams, found once per isolate: sqld (and Turso) answer
// `GET /v3` (Hrana 3 over HTTP, streams and batons); a server that does not is served
// as a stream-less one (stateless.js).
const streamsOf = new Map();

async function keepsStreams(base) {
  if (!streamsOf.has(base)) {
    const probe = await fetch(new URL('v3', base), { method: 'GET' });
    await probe.body?.cancel();
    streamsOf.set(base, probe.ok);
  }
  return streamsOf.get(base);
}

/**
 * Runs `requests` upstream on the stream `streamId` (the upstream baton, or null), with
 * the client's `encryptionKey` if any. Returns `{ streamId, results }`, or `{ response }`
 * (a failure to send back as is).
 */
export async function forwardPipeline(env, { requests, streamId, version, encryptionKey }) {
  const base = `${env.LIBSQL_URL.replace(/\/+$/, '')}/`.replace(/^libsql:/, 'https:');
  let streams;
  try {
    streams = await keepsStreams(base);
  } catch (e) {
    return {
      response: failure(502, 'GATEWAY_UPSTREAM_ERROR', `upstream unreachable: ${e.message}`),
    };
  }
  if (streams) return send(env, { base, requests, streamId, version, encryptionKey });
  let plan;
  try {
    plan = planStateless(requests, streamId);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    const error = hranaError(e.message, e.code);
    return { streamId: null, results: refusedResults(requests, () => error) };
  }
  if (plan.upstream.length === 0) return { streamId: null, results: plan.answer([]) };
  const sent = await send(env, {
    base,
    requests: plan.upstream,
    streamId: null,
    version: 2,
    encryptionKey,
  });
  if (sent.response) return sent;
  // Every request is a stream of its own there: the client's stream ends with it.
  return { streamId: null, results: plan.answer(sent.results) };
}

/** One pipeline request upstream: `{ streamId, results }` or `{ response }`. */
async function send(env, { base, requests, streamId, version, encryptionKey }) {
  const headers = { 'content-type': 'application/json' };
  if (encryptionKey) headers['x-turso-encryption-key'] = encryptionKey; // the client's remoteEncryptionKey
  if (env.LIBSQL_AUTH_TOKEN) headers.authorization = `Bearer ${env.LIBSQL_AUTH_TOKEN}`;
  const target = new URL(`v${version}/pipeline`, base);
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
