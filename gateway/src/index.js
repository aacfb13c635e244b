// libsql-authz gateway: a Cloudflare Worker that speaks Hrana over HTTP (what
// `@libsql/client` and `@tursodatabase/serverless` speak for http:// and https:// URLs),
// verifies the bearer token and checks every statement with libsql-authz, and only then
// runs it on the database. This file only routes; README.md describes the layers:
//
//   GET  /health                          -> 200, empty (as sqld)
//   GET  /version                         -> 200, the gateway's name and version
//   GET  /, /v2, /v3                      -> 200 (the protocol versions spoken)
//   POST /v2/pipeline, /v3/pipeline       -> database.js (Hrana 2 / 3 pipeline)
//   POST /v3/cursor                       -> database.js (Hrana 3 cursor)
//   OPTIONS *                             -> CORS preflight when CORS_ALLOW_ORIGIN is set
//
// Configuration: README.md ("Configuration").
import { serveDatabase } from './database.js';
import { failure, text, withCors } from './http.js';

export { SqliteDatabase } from './storage/sqlite-do.js';

const VERSION = 'libsql-authz-gateway 0.1.0';

const DATABASE_ENDPOINTS = {
  '/v2/pipeline': { version: 2, cursor: false },
  '/v3/pipeline': { version: 3, cursor: false },
  '/v3/cursor': { version: 3, cursor: true },
};

export default {
  async fetch(request, env) {
    const response = await route(request, env);
    return env.CORS_ALLOW_ORIGIN ? withCors(response, env.CORS_ALLOW_ORIGIN) : response;
  },
};

async function route(request, env) {
  if (request.method === 'OPTIONS')
    return new Response(null, { status: env.CORS_ALLOW_ORIGIN ? 204 : 405 });
  const path = new URL(request.url).pathname.replace(/\/+$/, '') || '/';
  if (request.method === 'GET') {
    if (path === '/health') return new Response(null, { status: 200 });
    if (path === '/version') return text(`${VERSION}\n`);
    if (path === '/' || path === '/v2' || path === '/v3')
      return text(`${VERSION}: Hrana over HTTP, versions 2 and 3 (JSON)\n`);
    return failure(404, 'NOT_FOUND', `no such endpoint: ${path}`);
  }
  const endpoint = DATABASE_ENDPOINTS[path];
  if (!endpoint)
    return failure(
      404,
      'NOT_FOUND',
      `no such endpoint: ${path} (Hrana over HTTP: POST /v2/pipeline, /v3/pipeline, /v3/cursor)`,
    );
  if (request.method !== 'POST') return failure(405, 'METHOD_NOT_ALLOWED', 'method not allowed');
  return serveDatabase(request, env, endpoint);
}
