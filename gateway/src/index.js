// libsql-authz gateway: a Cloudflare Worker that speaks Hrana over HTTP (what
// `@libsql/client` and `@tursodatabase/serverless` speak for http:// and https:// URLs),
// verifies the bearer token and checks every statement with libsql-authz, and only then
// runs it on the database. This file only routes; README.md describes the layers:
//
//   /v1/..., /v2/organizations/...        -> platform/api.js (the Platform API)
//   GET  /health                          -> 200, empty (as sqld)
//   GET  /version                         -> 200, the gateway's name and version
//   GET  /, /v2, /v3                      -> 200 (the protocol versions spoken)
//   POST /v2/pipeline, /v3/pipeline       -> database.js (Hrana 2 / 3 pipeline)
//   POST /v3/cursor                       -> database.js (Hrana 3 cursor)
//   OPTIONS *                             -> CORS preflight when CORS_ALLOW_ORIGIN is set
//
// Which database: the path prefix `/db/<db>/` (where per-database host names do not
// resolve), or the host `<db>-<org>.<GATEWAY_HOSTNAME>` (the Platform API's `Hostname`),
// or else the default database, DATABASE_NAME. README.md ("Databases and their URLs").
// Configuration: README.md ("Configuration").
import { serveDatabase } from './database.js';
import { failure, text, withCors } from './http.js';
import { isPlatformPath, organization, servePlatform } from './platform/api.js';

export { SqliteDatabase } from './storage/sqlite-do.js';
export { Keystore } from './platform/keystore-do.js';

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
  const url = new URL(request.url);
  const fullPath = url.pathname.replace(/\/+$/, '') || '/';
  if (isPlatformPath(fullPath)) return servePlatform(request, env, fullPath);
  const { database, path, misdirected } = databaseOf(url, env, fullPath);
  if (misdirected)
    return failure(
      404,
      'NOT_FOUND',
      `no such endpoint: ${fullPath} (a database URL with a path ends with a slash: http://host/db/<name>/)`,
    );
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
  return serveDatabase(request, env, endpoint, database);
}

const PREFIX = /^\/db\/([^/]+)(\/.*)?$/;

/**
 * The database a request is for, `{ name, routed }`, and the path within it. `routed`:
 * named by the request's host or path, so it must exist in the keystore.
 */
function databaseOf(url, env, path) {
  const prefixed = PREFIX.exec(path);
  if (prefixed) {
    const [, name, rest = '/'] = prefixed;
    // `new URL("v2/pipeline", "http://host/db/demo")` drops `demo`: @libsql/client given a
    // database URL without its final slash.
    const misdirected = (name === 'v2' || name === 'v3') && rest === '/pipeline';
    return { database: { name, routed: true }, path: rest, misdirected };
  }
  const dot = url.hostname.indexOf('.');
  const suffix = `-${organization(env)}`;
  if (dot > 0) {
    const label = url.hostname.slice(0, dot);
    const base = url.host.slice(dot + 1);
    const onBase = !env.GATEWAY_HOSTNAME || env.GATEWAY_HOSTNAME === base;
    if (onBase && label.endsWith(suffix) && label.length > suffix.length)
      return { database: { name: label.slice(0, -suffix.length), routed: true }, path };
  }
  return { database: { name: env.DATABASE_NAME || 'default', routed: false }, path };
}
