// libsql-authz edge gateway: a Cloudflare Worker that speaks Hrana over HTTP (what
// `@libsql/client` speaks for http:// and https:// URLs), verifies the bearer token and
// checks every statement with libsql-authz, and only then forwards to the database.
//
//   GET  /            , /health  -> 200 "ok"
//   GET  /v2                     -> 200 (Hrana 2 over JSON is what this gateway speaks)
//   GET  /v3, /v3-protobuf       -> 404 (clients asking for v3 fall back to v2)
//   POST /v2/pipeline            -> verify token -> check every statement -> database
//
// Configuration (wrangler.jsonc vars / secrets):
//   AUTHZ_JWKS       secret: the public keys (JWKS JSON, or anything the package's KeyInput takes)
//   DATABASE_NAME    the database this gateway fronts (token scope `id`, `p` namespaces)
//   DATABASE_GROUP   its group (token scope `gid`)
//   LIBSQL_URL       optional: forward the checked Hrana request (re-serialized) to this libSQL
//                    server (sqld / Turso) instead of the local Durable Object database
//   LIBSQL_AUTH_TOKEN optional: the token the gateway presents to LIBSQL_URL
//   BATON_SECRET     HMAC key binding stream batons to the client's token (without it, a
//                    random per-isolate key: streams then survive only within one isolate)
//   CORS_ALLOW_ORIGIN optional: "*" or one origin, for browser clients (@libsql/client/web)
//   DB               Durable Object namespace binding (SqliteDatabase), used without LIBSQL_URL
import { Verifier } from 'libsql-authz';
import { authorizePipeline } from './authorize.js';
import { ProtocolError, parsePipeline } from './hrana.js';
import { forwardPipeline } from './forward.js';
import { failure, json } from './responses.js';
import { staleAfterDenial, staleAfterRun, unwrapBaton, wrapBaton } from './baton.js';

export { SqliteDatabase } from './sqlite-do.js';

const MAX_BODY = 4 * 1024 * 1024;

// One Verifier per isolate (the JWKS is parsed once), rebuilt only if the config changes.
let verifier = null;
let verifierConfig = null;
function getVerifier(env) {
  const config = [
    env.AUTHZ_JWKS,
    env.DATABASE_NAME,
    env.DATABASE_ID,
    env.DATABASE_GROUP,
    env.DATABASE_GROUP_ID,
  ].join('\u0000');
  if (verifier === null || verifierConfig !== config) {
    const options = {};
    if (env.DATABASE_NAME) options.database = env.DATABASE_NAME;
    // Turso Cloud tokens name the database and group by id.
    if (env.DATABASE_ID) options.databaseId = env.DATABASE_ID;
    if (env.DATABASE_GROUP) options.group = env.DATABASE_GROUP;
    if (env.DATABASE_GROUP_ID) options.groupId = env.DATABASE_GROUP_ID;
    verifier = new Verifier(env.AUTHZ_JWKS, options);
    verifierConfig = config;
  }
  return verifier;
}

export default {
  async fetch(request, env) {
    const response = await route(request, env);
    return env.CORS_ALLOW_ORIGIN ? withCors(response, env) : response;
  },
};

// Tokens travel in the Authorization header, never in cookies, so allowing an origin lets
// its pages use tokens they already hold, nothing more.
function withCors(response, env) {
  const r = new Response(response.body, response);
  r.headers.set('access-control-allow-origin', env.CORS_ALLOW_ORIGIN);
  r.headers.set('access-control-allow-methods', 'GET, POST, OPTIONS');
  r.headers.set(
    'access-control-allow-headers',
    'authorization, content-type, x-turso-encryption-key',
  );
  r.headers.set('access-control-max-age', '86400');
  if (env.CORS_ALLOW_ORIGIN !== '*') r.headers.append('vary', 'origin');
  return r;
}

async function route(request, env) {
  if (request.method === 'OPTIONS')
    return new Response(null, { status: env.CORS_ALLOW_ORIGIN ? 204 : 405 });
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (request.method === 'GET') {
    if (path === '/' || path === '/health' || path === '/v2')
      return new Response('ok\n', { headers: { 'content-type': 'text/plain' } });
    return failure(404, 'NOT_FOUND', `no such endpoint: ${path}`);
  }
  if (request.method !== 'POST') return failure(405, 'METHOD_NOT_ALLOWED', 'method not allowed');
  if (path !== '/v2/pipeline')
    return failure(
      404,
      'NOT_FOUND',
      `no such endpoint: ${path} (this gateway speaks Hrana 2 over JSON: POST /v2/pipeline)`,
    );
  return pipeline(request, env);
}

async function pipeline(request, env) {
  // 1. Who is asking. Fail closed on any misconfiguration.
  if (!env.AUTHZ_JWKS) return failure(500, 'GATEWAY_MISCONFIGURED', 'AUTHZ_JWKS is not set');
  const auth = request.headers.get('authorization') ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m)
    return failure(401, 'ERR_TOKEN_MISSING', 'an Authorization: Bearer <token> header is required');
  let grant;
  try {
    grant = getVerifier(env).verify(m[1]);
  } catch (e) {
    // The gateway's own configuration (AUTHZ_JWKS, the scope options): a 500 for the
    // operator, not a 401 for the client. Every other code is the token's.
    if (e?.code === 'ERR_KEY_INVALID')
      return failure(500, 'GATEWAY_MISCONFIGURED', `AUTHZ_JWKS: ${e.message}`);
    if (e?.code === 'ERR_OPTIONS_INVALID') return failure(500, 'GATEWAY_MISCONFIGURED', e.message);
    return failure(401, e?.code ?? 'ERR_TOKEN_INVALID', e?.message ?? 'invalid token');
  }

  // 2. What is asked.
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_BODY) return failure(413, 'HRANA_PROTO_ERROR', 'request body too large');
  const text = await request.text();
  if (text.length > MAX_BODY) return failure(413, 'HRANA_PROTO_ERROR', 'request body too large');
  let parsed;
  try {
    parsed = parsePipeline(JSON.parse(text));
  } catch (e) {
    return failure(
      400,
      'HRANA_PROTO_ERROR',
      e instanceof ProtocolError ? e.message : `invalid JSON: ${e.message}`,
    );
  }

  // 3. A stream continued from an earlier request must have been opened by this gateway
  //    for this very token: SQL stored on it was checked for it (baton.js).
  let stream = null;
  if (parsed.baton !== null) {
    stream = await unwrapBaton(env, parsed.baton, m[1]);
    if (stream === null)
      return failure(
        400,
        'ERR_BATON_INVALID',
        'this baton was not issued by this gateway for this token',
      );
  }

  // 4. Every statement checked before anything reaches the database. A denied request
  //    leaves the stream as it was (the client goes on with it), except that sql_ids the
  //    client believes it stored or closed are marked stale.
  const denied = authorizePipeline(grant, parsed.requests, {
    streamBound: stream !== null,
    stale: stream?.stale,
  });
  if (denied) {
    const baton =
      stream &&
      (await wrapBaton(env, stream.id, m[1], staleAfterDenial(stream.stale, parsed.requests)));
    return json(200, { baton, base_url: null, results: denied });
  }
  const stale = staleAfterRun(stream?.stale ?? [], parsed.requests);

  // 5. The database.
  if (env.LIBSQL_URL) {
    return forwardPipeline(env, {
      body: parsed.body,
      upstreamBaton: stream?.id ?? null,
      token: m[1],
      stale,
      encryptionKey: request.headers.get('x-turso-encryption-key'),
    });
  }
  if (!env.DB)
    return failure(
      500,
      'GATEWAY_MISCONFIGURED',
      'neither LIBSQL_URL nor the DB Durable Object binding is configured',
    );
  const stub = env.DB.get(env.DB.idFromName(env.DATABASE_NAME || 'default'));
  try {
    const out = await stub.pipeline(parsed.requests, stream?.id ?? null);
    if (out.error) return failure(400, out.error.code, out.error.message);
    return json(200, {
      baton: await wrapBaton(env, out.streamId, m[1], stale),
      base_url: null,
      results: out.results,
    });
  } catch (e) {
    if (e?.code === 'ARGS_INVALID' || e instanceof ProtocolError)
      return failure(400, e.code, e.message);
    return failure(500, 'GATEWAY_DATABASE_ERROR', e?.message ?? String(e));
  }
}
