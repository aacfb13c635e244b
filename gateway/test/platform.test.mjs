// The Platform API end to end: the gateway in workerd with no static keys at all, every
// group, database, token and key made through the API with the official
// `@tursodatabase/api` client (or, for what only the turso CLI sends, its request shapes
// with fetch), and every token used through the official database clients.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { createClient as createDbClient } from '@libsql/client';
import { createClient as createApiClient } from '@tursodatabase/api';
import { connect } from '@tursodatabase/serverless';
import { SignJWT, exportJWK, generateKeyPair as joseKeyPair } from 'jose';
import { startGateway } from '../scripts/start.mjs';
import { rejects } from './support.mjs';

const ORG = 'acme';
const ADMIN = 'admin-secret-for-tests';
let gw, api, port;

const apiWith = (token) => createApiClient({ org: ORG, token, baseUrl: `${gw.url}/v1/` });
const dbUrl = (name) => `${gw.url}/db/${name}/`;
const serverless = (name, authToken) => connect({ url: dbUrl(name), authToken });
const libsql = (name, authToken) => createDbClient({ url: dbUrl(name), authToken });

/** A Platform API call with fetch: `{ status, body }`. */
async function call(method, path, { body, token = ADMIN } = {}) {
  const r = await fetch(new URL(path, `${gw.url}/`), {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
}

/** A request fetch cannot make: a GET with a body (turso CLI) or another Host header. */
function raw(method, path, { body, headers = {} } = {}) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  // With a Content-Length, as Go's http client sends a body it holds.
  if (text !== undefined) headers = { ...headers, 'content-length': Buffer.byteLength(text) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }),
      );
    });
    req.on('error', reject);
    req.end(text);
  });
}

async function tokenFor(kind, name, options = {}) {
  return (await api[kind].createToken(name, options)).jwt;
}

before(
  async () => {
    gw = await startGateway({
      secrets: { PLATFORM_API_TOKEN: ADMIN },
      vars: { TURSO_ORG: ORG, DATABASE_NAME: 'demo' },
    });
    port = Number(new URL(gw.url).port);
    api = apiWith(ADMIN);
    await api.groups.create('default', 'local');
    await api.databases.create('demo', { group: 'default' });
    await api.databases.create('second', { group: 'default' });
    const full = await tokenFor('groups', 'default');
    for (const name of ['demo', 'second']) {
      const c = libsql(name, full);
      await c.batch(
        [
          'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)',
          `INSERT INTO items (name) VALUES ('${name}-1')`,
          'CREATE TABLE secrets (v TEXT)',
        ],
        'write',
      );
      c.close();
    }
  },
  { timeout: 90_000 },
);

after(async () => gw?.stop(), { timeout: 30_000 });

test('groups and databases: create, list, get, as @tursodatabase/api reads them', async () => {
  const groups = await api.groups.list();
  assert.deepEqual(
    groups.map((g) => g.name),
    ['default'],
  );
  assert.match(groups[0].uuid, /^[0-9a-f-]{36}$/);
  assert.equal((await api.groups.get('default')).name, 'default');

  const created = await api.databases.create('third', { group: 'default' });
  assert.equal(created.name, 'third');
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  assert.equal(created.hostname, `third-${ORG}.localhost:${port}`);

  const list = await api.databases.list();
  assert.deepEqual(
    list.map((d) => [d.name, d.group, d.hostname]),
    ['demo', 'second', 'third'].map((n) => [n, 'default', `${n}-${ORG}.localhost:${port}`]),
  );
  const demo = await api.databases.get('demo');
  assert.equal(demo.id, list[0].id);
  assert.deepEqual(
    (await api.databases.list({ group: 'nope' })).map((d) => d.name),
    [],
  );

  // Errors as Turso's: 409 taken, 404 unknown, 400 bad name; TursoClientError has the status.
  assert.equal((await rejects(api.databases.create('demo', { group: 'default' }))).status, 409);
  assert.equal((await rejects(api.databases.get('nope'))).status, 404);
  assert.equal((await rejects(api.databases.create('Bad_Name', { group: 'default' }))).status, 400);
  assert.equal((await rejects(api.databases.create('x', { group: 'nope' }))).status, 404);
  assert.equal((await rejects(api.groups.create('default', 'local'))).status, 409);
  const e = await call('GET', `v1/organizations/${ORG}/databases/nope`);
  assert.equal(e.type, 'application/json');
  assert.match(e.body.error, /database "nope" does not exist/);
  assert.equal((await call('GET', 'v1/organizations/other/databases')).status, 404);
  assert.equal((await call('DELETE', `v1/organizations/${ORG}/groups`)).status, 405);
  assert.equal((await call('POST', `v1/organizations/${ORG}/groups`, { body: '{' })).status, 400);
});

test('hostile requests get 400 / 404 JSON errors and change nothing', async () => {
  const before = await call('GET', `v1/organizations/${ORG}/databases`);
  const db = `v1/organizations/${ORG}/databases`;
  for (const [method, path, body, status] of [
    ['POST', db, { name: '__proto__', group: 'default' }, 400],
    ['POST', db, { name: 'x'.repeat(65), group: 'default' }, 400],
    ['POST', db, { name: 7 }, 400],
    ['POST', db, { name: 'ok', group: { $ne: 1 } }, 400],
    ['POST', db, [1, 2], 400],
    ['POST', db, `{"name":"${'a'.repeat(70_000)}"}`, 400],
    ['POST', db, { name: 'seeded', seed: { type: 'database', name: 'demo' } }, 400],
    ['POST', `v1/organizations/${ORG}/groups`, { name: 'constructor!' }, 400],
    ['PUT', `v2/organizations/${ORG}/jwks/__proto__`, { jwks_url: 'https://a.example/j' }, 400],
    ['PUT', `v2/organizations/${ORG}/jwks/ok`, { jwks_url: 'not a url' }, 400],
    ['GET', `v1/organizations/${ORG}/databases/__proto__`, undefined, 404],
    ['POST', `v1/organizations/${ORG}/groups/__proto__/auth/rotate`, undefined, 404],
    ['GET', 'v1/nothing/here', undefined, 404],
    ['POST', `v2/organizations/${ORG}/jwks-template`, { database: 'demo', group: 'default' }, 400],
  ]) {
    const r = await call(method, path, { body });
    assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.type, 'application/json');
    assert.equal(typeof r.body.error, 'string');
  }
  assert.deepEqual(await call('GET', `v1/organizations/${ORG}/databases`), before);
  assert.deepEqual((await call('GET', `v2/organizations/${ORG}/jwks`)).body, { jwks: [] });
});

test('a wrong or missing admin token is refused with 401 and changes nothing', async () => {
  const before = (await api.databases.list()).map((d) => d.name);
  for (const bad of [apiWith('wrong'), apiWith(`${ADMIN}x`)]) {
    const e = await rejects(bad.databases.create('intruder', { group: 'default' }));
    assert.equal(e.status, 401);
    assert.match(e.message, /Platform API token/);
    assert.equal((await rejects(bad.databases.rotateTokens('demo'))).status, 401);
  }
  const r = await fetch(`${gw.url}/v1/organizations/${ORG}/databases`);
  assert.equal(r.status, 401);
  assert.deepEqual(Object.keys(await r.json()), ['error']);
  assert.deepEqual(
    (await api.databases.list()).map((d) => d.name),
    before,
  );
  // The database endpoints never take the admin token.
  await rejects(serverless('demo', ADMIN).all('SELECT 1'), undefined);
});

test('auth/validate answers an exp that both the turso CLI and @tursodatabase/api read as valid', async () => {
  for (const path of ['v1/auth/validate', 'v1/auth/api-tokens/validate']) {
    const r = await call('GET', path);
    assert.equal(r.status, 200);
    assert.ok(r.body.exp > Date.now() / 1000);
  }
  assert.equal((await api.apiTokens.validate(ADMIN)).valid, true);
  assert.equal((await call('GET', 'v1/auth/validate', { token: 'wrong' })).status, 401);
});

test('database tokens work for their database only, group tokens for every database of the group', async () => {
  const demoFull = await tokenFor('databases', 'demo');
  const demoRead = await tokenFor('databases', 'demo', { authorization: 'read-only' });
  const groupFull = await tokenFor('groups', 'default', { expiration: '2w1d30m' });
  const groupRead = await tokenFor('groups', 'default', { authorization: 'read-only' });

  // As Turso Cloud: `id` / `gid` are the platform's ids, `exp` from the expiration.
  const claims = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url'));
  assert.equal(claims(demoFull).id, (await api.databases.get('demo')).id);
  assert.equal(claims(groupFull).gid, (await api.groups.get('default')).uuid);
  assert.equal(claims(demoFull).exp, undefined);
  const lifetime = claims(groupFull).exp - claims(groupFull).iat;
  assert.equal(lifetime, (15 * 24 * 60 + 30) * 60);

  // Every kind at once, through @tursodatabase/serverless, on both databases.
  const read = 'SELECT name FROM items ORDER BY id LIMIT 1';
  const reads = await Promise.all([
    serverless('demo', demoFull).all(read),
    serverless('demo', demoRead).all(read),
    serverless('demo', groupFull).all(read),
    serverless('demo', groupRead).all(read),
    serverless('second', groupFull).all(read),
    serverless('second', groupRead).all(read),
  ]);
  assert.deepEqual(
    reads.map((rows) => rows[0].name),
    ['demo-1', 'demo-1', 'demo-1', 'demo-1', 'second-1', 'second-1'],
  );
  await serverless('second', groupFull).exec("INSERT INTO items (name) VALUES ('second-2')");
  await rejects(
    serverless('demo', demoRead).exec("INSERT INTO items (name) VALUES ('x')"),
    'ERR_PERMISSION_DENIED',
  );
  await rejects(
    serverless('demo', groupRead).exec("INSERT INTO items (name) VALUES ('x')"),
    'ERR_PERMISSION_DENIED',
  );
  // A database token is refused on the other database: its key is not in that database's
  // verification set (its own keys and its group's).
  const c2 = libsql('second', demoFull);
  await rejects(c2.execute('SELECT 1'), 'ERR_TOKEN_KEY_NOT_FOUND');
  c2.close();
  // The default database (DATABASE_NAME) at the root URL is the same database as /db/demo/.
  const root = createDbClient({ url: gw.url, authToken: demoRead });
  assert.equal((await root.execute('SELECT count(*) AS n FROM items')).rows[0].n, 1);
  root.close();
});

test('fine-grained tokens as the turso CLI requests them (t: null is every table)', async () => {
  const r = await call('POST', `v1/organizations/${ORG}/databases/demo/auth/tokens`, {
    body: {
      permissions: { read_attach: { databases: [] } },
      fine_grained_permissions: [
        { t: ['items'], a: ['data_read', 'data_add'] },
        { t: null, a: ['data_read'] },
      ],
    },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const fine = r.body.jwt;
  const c = libsql('demo', fine);
  await c.execute("INSERT INTO items (name) VALUES ('fine')");
  await c.execute('SELECT * FROM secrets');
  await rejects(c.execute("INSERT INTO secrets VALUES ('x')"), 'ERR_PERMISSION_DENIED');
  await rejects(c.execute('DELETE FROM items'), 'ERR_PERMISSION_DENIED');
  c.close();

  // Refused with 400 and a message: an action that does not exist, bad shapes, attach.
  const bad = async (body, pattern, query = '') => {
    const e = await call('POST', `v1/organizations/${ORG}/databases/demo/auth/tokens${query}`, {
      body,
    });
    assert.equal(e.status, 400, JSON.stringify(e.body));
    assert.match(e.body.error, pattern);
  };
  await bad({ fine_grained_permissions: [{ t: ['items'], a: ['data_insert'] }] }, /data_add/);
  await bad({ fine_grained_permissions: [{ t: 'items', a: ['data_read'] }] }, /\.t must be/);
  await bad({ fine_grained_permissions: [{ t: ['a:b'], a: ['data_read'] }] }, /not supported/);
  await bad({ permissions: { read_attach: { databases: 'second' } } }, /read_attach/);
  await bad({}, /authorization/, '?authorization=admin');
  await bad({}, /expiration/i, '?expiration=soon');
});

test('read_attach: the databases a token may attach, written as their ids as Turso Cloud does', async () => {
  const second = (await api.databases.get('second')).id;
  const r = await call(
    'POST',
    `v1/organizations/${ORG}/databases/demo/auth/tokens?authorization=read-only`,
    { body: { permissions: { read_attach: { databases: ['second'] } } } },
  );
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const claims = JSON.parse(Buffer.from(r.body.jwt.split('.')[1], 'base64url'));
  const demo = (await api.databases.get('demo')).id;
  assert.deepEqual(claims.p, { ro: { ns: [demo] }, roa: { ns: [second] } });
  // The gate lets the attach through, and the Durable Object's SQLite refuses ATTACH itself
  // (SQLITE_AUTH: it has no other databases to attach; sqld behind LIBSQL_URL would);
  // a token without read_attach is denied by the gate.
  const attach = `ATTACH '${second}' AS "${second}"`;
  const c = libsql('demo', r.body.jwt);
  const passed = await c.execute(attach).then(
    () => null,
    (e) => e,
  );
  assert.equal(passed?.code, 'SQLITE_AUTH', passed?.message);
  assert.equal((await c.execute('SELECT count(*) AS n FROM items')).rows.length, 1);
  c.close();
  const plain = libsql('demo', await tokenFor('databases', 'demo', { authorization: 'read-only' }));
  await rejects(plain.execute(attach), 'ERR_PERMISSION_DENIED');
  plain.close();
  const unknown = await call('POST', `v1/organizations/${ORG}/databases/demo/auth/tokens`, {
    body: { permissions: { read_attach: { databases: ['nope'] } } },
  });
  assert.equal(unknown.status, 404);
});

test('rotation: old tokens refused from the next request, new ones accepted', async () => {
  await api.databases.create('rot', { group: 'default' });
  const groupFull = await tokenFor('groups', 'default');
  const c = libsql('rot', groupFull);
  await c.execute('CREATE TABLE t (x)');
  c.close();
  const old = await tokenFor('databases', 'rot');
  const oldSecond = await tokenFor('databases', 'second');
  await serverless('rot', old).all('SELECT * FROM t');

  // A database's rotation: its tokens fail, the group's do not.
  assert.deepEqual(await api.databases.rotateTokens('rot'), {});
  await rejects(serverless('rot', old).all('SELECT * FROM t'), undefined);
  const o = libsql('rot', old);
  await rejects(o.execute('SELECT * FROM t'), 'ERR_TOKEN_KEY_NOT_FOUND');
  o.close();
  await serverless('rot', groupFull).all('SELECT * FROM t');
  const fresh = await tokenFor('databases', 'rot');
  await serverless('rot', fresh).all('SELECT * FROM t');

  // A group's rotation: its tokens and every database's fail.
  await api.groups.rotateTokens('default');
  for (const [db, token] of [
    ['rot', groupFull],
    ['rot', fresh],
    ['second', oldSecond],
  ]) {
    const x = libsql(db, token);
    await rejects(x.execute('SELECT 1'), 'ERR_TOKEN_KEY_NOT_FOUND');
    x.close();
  }
  await serverless('rot', await tokenFor('groups', 'default')).all('SELECT * FROM t');
  await serverless('second', await tokenFor('databases', 'second')).all('SELECT 1');

  // Rotating what does not exist: 404, nothing changes.
  assert.equal((await rejects(api.databases.rotateTokens('nope'))).status, 404);
});

test('databases are routed by host (the Hostname) and by /db/<name>/; unknown ones are 404', async () => {
  const token = await tokenFor('groups', 'default');
  const pipeline = {
    requests: [{ type: 'execute', stmt: { sql: 'SELECT name FROM items ORDER BY id LIMIT 1' } }],
  };
  const headers = { authorization: `Bearer ${token}` };
  const byHost = await raw('POST', '/v2/pipeline', {
    body: pipeline,
    headers: { ...headers, host: `second-${ORG}.localhost:${port}` },
  });
  assert.equal(byHost.status, 200, JSON.stringify(byHost.body));
  assert.equal(byHost.body.results[0].response.result.rows[0][0].value, 'second-1');
  const byPath = await raw('POST', '/db/second/v2/pipeline', { body: pipeline, headers });
  assert.deepEqual(byPath.body.results, byHost.body.results);

  for (const [path, host] of [
    ['/db/nope/v2/pipeline', undefined],
    ['/v2/pipeline', `nope-${ORG}.localhost:${port}`],
  ]) {
    const r = await raw('POST', path, {
      body: pipeline,
      headers: host ? { ...headers, host } : headers,
    });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'GATEWAY_DATABASE_UNKNOWN');
  }
  // @libsql/client given /db/second without the final slash would post to /db/v2/pipeline.
  const c = createDbClient({ url: `${gw.url}/db/second`, authToken: token });
  const e = await rejects(c.execute('SELECT 1'), /./);
  assert.match(e.message, /ends with a slash/);
  c.close();
});

test('JWKS sources: a provider token with the template claims is accepted once its source is saved', async () => {
  // A provider (Clerk, Auth0) on loopback: its key set, and one key it never publishes.
  const provider = await joseKeyPair('RS256');
  const unpublished = await joseKeyPair('RS256');
  const jwk = { ...(await exportJWK(provider.publicKey)), kid: 'provider-1', alg: 'RS256' };
  const server = http.createServer((_, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
  try {
    // The template, asked for as the turso CLI asks: a GET with a JSON body.
    const t = await raw('GET', `/v2/organizations/${ORG}/jwks-template`, {
      body: {
        database: 'second',
        scope: 'read-only',
        permissions: [{ t: ['items'], a: ['data_read'] }],
      },
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    assert.equal(t.status, 200, JSON.stringify(t.body));
    const { template } = t.body;
    assert.equal(template.id, (await api.databases.get('second')).id);
    assert.equal(template.a, 'ro');
    const mint = (key, kid) =>
      new SignJWT({ ...template, sub: 'user_1' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key);
    const token = await mint(provider.privateKey, 'provider-1');
    const stranger = await mint(unpublished.privateKey, 'provider-2');

    const use = (tok) => {
      const c = libsql('second', tok);
      return c.execute('SELECT name FROM items').finally(() => c.close());
    };
    await rejects(use(token), 'ERR_TOKEN_KEY_NOT_FOUND'); // not saved yet

    const saved = await call('PUT', `v2/organizations/${ORG}/jwks/clerk`, {
      body: { jwks_url: jwksUrl },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual((await call('GET', `v2/organizations/${ORG}/jwks`)).body, {
      jwks: [{ name: 'clerk', jwks_url: jwksUrl }],
    });
    assert.equal((await use(token)).rows[0].name, 'second-1');
    const c = libsql('second', token);
    await rejects(c.execute('SELECT * FROM secrets'), 'ERR_PERMISSION_DENIED'); // the template's rule
    c.close();
    await rejects(use(stranger), 'ERR_TOKEN_KEY_NOT_FOUND'); // a key no saved source has
    // The template names `second`: refused on `demo`.
    const d = libsql('demo', token);
    await rejects(d.execute('SELECT 1'), 'ERR_TOKEN_SCOPE');
    d.close();

    assert.equal(
      (await call('PUT', `v2/organizations/${ORG}/jwks/x`, { body: { jwks_url: 'ftp://x' } }))
        .status,
      400,
    );
    assert.equal((await call('DELETE', `v2/organizations/${ORG}/jwks/clerk`)).status, 200);
    assert.equal((await call('DELETE', `v2/organizations/${ORG}/jwks/clerk`)).status, 404);
    await rejects(use(token), 'ERR_TOKEN_KEY_NOT_FOUND'); // untrusted from the next request on
  } finally {
    server.close();
  }
});
