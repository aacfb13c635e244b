// The Platform API: Turso's admin HTTP API for groups, databases, tokens, key rotation and
// provider JWKS sources, as `@tursodatabase/api` and the `turso` CLI call it, served from
// the Keystore Durable Object (keystore-do.js). Paths as Turso's, under /v1/ (JWKS sources
// under /v2/); README.md ("Platform API") lists every endpoint and where it differs.
//
// Every request needs `Authorization: Bearer <PLATFORM_API_TOKEN>`; errors are JSON
// `{ "error": "..." }` with 400 / 401 / 404 / 405 / 409, as Turso's.
import { validateName } from 'libsql-authz/keystore';
import { bearerToken, json } from '../http.js';
import { keystoreOf } from './keystore-do.js';
import { BadRequest, templateOptions, tokenOptions } from './options.js';

const VERSION = '0.1.0';
const MAX_BODY = 64 * 1024;
// The admin credential does not expire. Turso's docs write that as -1, which
// @tursodatabase/api's `apiTokens.validate` reads as invalid: the last second of year 9999
// reads as valid to both it and the turso CLI.
const NEVER = 253402300799;

const STATUS = {
  ERR_BAD_REQUEST: 400,
  ERR_INVALID_NAME: 400,
  ERR_OPTIONS_INVALID: 400,
  ERR_UNKNOWN_GROUP: 404,
  ERR_UNKNOWN_DATABASE: 404,
  ERR_UNKNOWN_SOURCE: 404,
  ERR_ALREADY_EXISTS: 409,
};

const error = (status, message) => json(status, { error: message });

/** Whether `path` belongs to the Platform API. */
export const isPlatformPath = (path) =>
  path === '/v1' || path.startsWith('/v1/') || path.startsWith('/v2/organizations/');

/** The `Hostname` of `database`: `<database>-<org>.<host>`, as Turso names them. */
export function databaseHostname(request, env, database) {
  return `${database}-${organization(env)}.${gatewayHost(request, env)}`;
}

/** `GATEWAY_HOSTNAME`, or the request's host with a loopback address read as `localhost`. */
export function gatewayHost(request, env) {
  if (env.GATEWAY_HOSTNAME) return env.GATEWAY_HOSTNAME;
  const url = new URL(request.url);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return loopback ? `localhost${url.port ? `:${url.port}` : ''}` : url.host;
}

export const organization = (env) => env.TURSO_ORG || 'local';

export async function servePlatform(request, env, path) {
  if (!env.PLATFORM_API_TOKEN || !env.KEYSTORE)
    return error(
      404,
      'the Platform API is not enabled on this gateway (PLATFORM_API_TOKEN is not set)',
    );
  if (!(await isAdmin(request, env.PLATFORM_API_TOKEN)))
    return error(401, 'a valid Platform API token is required (Authorization: Bearer <token>)');
  const found = matchRoute(path);
  if (!found) return error(404, `no such endpoint: ${path}`);
  const { route, params } = found;
  if (params.org !== undefined && params.org !== organization(env))
    return error(404, `organization ${JSON.stringify(params.org)} not found`);
  const handler = route.methods[request.method];
  if (!handler) return error(405, `method ${request.method} not allowed on ${path}`);
  const keystore = keystoreOf(env);
  try {
    const body = await readBody(request);
    const context = {
      request,
      env,
      params,
      body,
      keystore,
      query: new URL(request.url).searchParams,
    };
    return await handler(context);
  } catch (e) {
    if (e instanceof BadRequest) return error(400, e.message);
    if (e instanceof Refused) return error(STATUS[e.code] ?? 500, e.message);
    throw e;
  }
}

/** The first route whose pattern matches `path`, with the pattern's named groups. */
function matchRoute(path) {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.groups ?? {} };
  }
  return null;
}

class Refused extends Error {
  constructor({ code, message }) {
    super(message);
    this.code = code;
  }
}

/** The value of a Keystore RPC answer, or its error thrown as Refused. */
async function call(promise) {
  const answer = await promise;
  if (answer.error) throw new Refused(answer.error);
  return answer.value;
}

const name = (kind, value) => {
  try {
    return validateName(kind, value);
  } catch (e) {
    throw new BadRequest(e.message);
  }
};

function databaseJson(c, db) {
  return {
    Name: db.name,
    DbId: db.id,
    Hostname: databaseHostname(c.request, c.env, db.name),
    group: db.group,
    type: 'logical',
    version: VERSION,
    regions: [],
    sleeping: false,
    archived: false,
    allow_attach: false,
    block_reads: false,
    block_writes: false,
    is_schema: false,
  };
}

const groupJson = (g) => ({
  name: g.name,
  uuid: g.id,
  version: VERSION,
  locations: [],
  archived: false,
  delete_protection: false,
});

const scopeOf = ({ params }) =>
  params.db !== undefined ? { database: params.db } : { group: params.group };

const ORG = '^/v1/organizations/(?<org>[^/]+)';
const ORG_V2 = '^/v2/organizations/(?<org>[^/]+)';
// A database's or a group's: the scope of tokens and rotations.
const SCOPE = '(?:databases/(?<db>[^/]+)|groups/(?<group>[^/]+))';
const re = (source) => new RegExp(`${source}$`);

const ROUTES = [
  {
    pattern: re('^/v1/auth(?:/api-tokens)?/validate'),
    methods: { GET: () => json(200, { exp: NEVER }) },
  },
  {
    pattern: re(`${ORG}/databases`),
    methods: {
      GET: async (c) => {
        let list = await call(c.keystore.listDatabases());
        const group = c.query.get('group');
        if (group) list = list.filter((db) => db.group === group);
        return json(200, { databases: list.map((db) => databaseJson(c, db)) });
      },
      POST: async (c) => {
        const { name: dbName, group, seed, schema, is_schema } = c.body;
        if (seed !== undefined || schema !== undefined || is_schema)
          throw new BadRequest('seed, schema and is_schema are not supported by this gateway');
        if (group !== undefined && typeof group !== 'string')
          throw new BadRequest('group must be a group name');
        const db = await call(
          c.keystore.createDatabase(name('database', dbName), group ?? 'default'),
        );
        const { DbId, Hostname, Name } = databaseJson(c, db);
        return json(200, { database: { DbId, Hostname, Name } });
      },
    },
  },
  {
    pattern: re(`${ORG}/databases/(?<db>[^/]+)`),
    methods: {
      GET: async (c) =>
        json(200, { database: databaseJson(c, await call(c.keystore.getDatabase(c.params.db))) }),
    },
  },
  {
    pattern: re(`${ORG}/groups`),
    methods: {
      GET: async (c) => json(200, { groups: (await call(c.keystore.listGroups())).map(groupJson) }),
      POST: async (c) =>
        json(200, {
          group: groupJson(await call(c.keystore.createGroup(name('group', c.body.name)))),
        }),
    },
  },
  {
    pattern: re(`${ORG}/groups/(?<group>[^/]+)`),
    methods: {
      GET: async (c) =>
        json(200, { group: groupJson(await call(c.keystore.getGroup(c.params.group))) }),
    },
  },
  {
    pattern: re(`${ORG}/${SCOPE}/auth/tokens`),
    methods: {
      POST: async (c) =>
        json(200, {
          jwt: await call(c.keystore.mintToken(scopeOf(c), tokenOptions(c.query, c.body))),
        }),
    },
  },
  {
    pattern: re(`${ORG}/${SCOPE}/auth/rotate`),
    methods: { POST: async (c) => json(200, await call(c.keystore.rotate(scopeOf(c)))) },
  },
  {
    pattern: re(`${ORG_V2}/jwks`),
    methods: { GET: async (c) => json(200, { jwks: await call(c.keystore.listSources()) }) },
  },
  {
    pattern: re(`${ORG_V2}/jwks/(?<source>[^/]+)`),
    methods: {
      PUT: async (c) => {
        const url = c.body.jwks_url;
        if (typeof url !== 'string' || !/^https?:$/.test(safeUrl(url)?.protocol))
          throw new BadRequest('jwks_url must be an http: or https: URL');
        return json(200, {
          jwks: await call(c.keystore.saveSource(name('JWKS source', c.params.source), url)),
        });
      },
      DELETE: async (c) => json(200, await call(c.keystore.deleteSource(c.params.source))),
    },
  },
  {
    // A GET with a JSON body, as the turso CLI sends it; POST for clients that cannot.
    pattern: re(`${ORG_V2}/jwks-template`),
    methods: Object.fromEntries(
      ['GET', 'POST'].map((method) => [
        method,
        async (c) => {
          const { database, group } = c.body;
          if (database !== undefined && group !== undefined)
            throw new BadRequest('name a database or a group, not both');
          const scope =
            database !== undefined ? { database } : group !== undefined ? { group } : {};
          return json(200, {
            template: await call(c.keystore.template(scope, templateOptions(c.body))),
          });
        },
      ]),
    ),
  },
];

function safeUrl(text) {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The request body as a JSON object, whatever its Content-Type; an empty body is `{}`. */
async function readBody(request) {
  if (request.method === 'HEAD') return {};
  const text = await request.text();
  if (text.length > MAX_BODY) throw new BadRequest('request body too large');
  if (text.trim() === '') return {};
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new BadRequest(`invalid JSON body: ${e.message}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new BadRequest('the request body must be a JSON object');
  return body;
}

/** Compares the bearer token with the configured secret in constant time (SHA-256 of both). */
async function isAdmin(request, secret) {
  const token = bearerToken(request);
  if (token === null) return false;
  const digest = async (s) =>
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const [a, b] = await Promise.all([digest(token), digest(secret)]);
  return crypto.subtle.timingSafeEqual(a, b);
}
