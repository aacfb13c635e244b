// The forwarding backend (LIBSQL_URL): the gateway in workerd in front of
//  (a) a recording Hrana stub on 127.0.0.1 that issues batons, to see exactly what reaches
//      the upstream (nothing, when a statement is denied) and how streams are bound, and
//  (b) a second gateway instance with the SQLite backend, for real reads and writes
//      through two hops.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createClient } from '@libsql/client';
import { generateKeyPair, createToken } from 'libsql-authz';
import { startGateway } from '../scripts/start.mjs';

const DB = 'demo';
let stub, stubUrl, gw, upstreamGw, chain, keys, tok;
const received = []; // bodies the stub got

function stubResult(sql) {
  return {
    cols: [{ name: 'sql', decltype: null }],
    rows: [[{ type: 'text', value: sql ?? '' }]],
    affected_row_count: 0,
    last_insert_rowid: null,
  };
}

before(
  async () => {
    let batons = 0;
    const stored = new Map();
    stub = http.createServer((req, res) => {
      if (req.method === 'GET') {
        // As sqld: Hrana 3 over HTTP (streams) is spoken here.
        res.writeHead(req.url === '/v3' ? 200 : 404);
        res.end();
        return;
      }
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        const body = JSON.parse(data);
        received.push({ url: req.url, auth: req.headers.authorization, body });
        const sqlOf = (o) => o.sql ?? stored.get(o.sql_id);
        const results = body.requests.map((r) => {
          switch (r.type) {
            case 'store_sql':
              stored.set(r.sql_id, r.sql);
              return { type: 'ok', response: { type: 'store_sql' } };
            case 'close_sql':
              stored.delete(r.sql_id);
              return { type: 'ok', response: { type: 'close_sql' } };
            case 'execute':
              return {
                type: 'ok',
                response: { type: 'execute', result: stubResult(sqlOf(r.stmt)) },
              };
            case 'batch':
              return {
                type: 'ok',
                response: {
                  type: 'batch',
                  result: {
                    step_results: r.batch.steps.map((s) => stubResult(sqlOf(s.stmt))),
                    step_errors: r.batch.steps.map(() => null),
                  },
                },
              };
            default:
              return { type: 'ok', response: { type: r.type } };
          }
        });
        const closes = body.requests.some((r) => r.type === 'close');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            baton: closes ? null : `up-${++batons}`,
            base_url: 'http://elsewhere.invalid/',
            results,
          }),
        );
      });
    });
    await new Promise((r) => stub.listen(0, '127.0.0.1', r));
    stubUrl = `http://127.0.0.1:${stub.address().port}`;

    keys = generateKeyPair();
    const p = keys.privateJwk;
    tok = {
      full: createToken(p, { database: DB }),
      full2: createToken(p, { database: DB, expiration: '2h' }),
      readOnly: createToken(p, { database: DB, readOnly: true }),
    };
    const jwks = JSON.stringify({ keys: [keys.publicJwk] });
    gw = await startGateway({
      jwks,
      vars: {
        DATABASE_NAME: DB,
        LIBSQL_URL: stubUrl,
        LIBSQL_AUTH_TOKEN: 'upstream-secret',
        BATON_SECRET: 'test-baton-secret',
      },
    });

    // (b) gateway -> gateway(SQLite): the upstream trusts only the front gateway's own key.
    const upKeys = generateKeyPair();
    upstreamGw = await startGateway({
      jwks: JSON.stringify({ keys: [upKeys.publicJwk] }),
      vars: { DATABASE_NAME: DB },
    });
    chain = await startGateway({
      jwks,
      vars: {
        DATABASE_NAME: DB,
        LIBSQL_URL: upstreamGw.url,
        LIBSQL_AUTH_TOKEN: createToken(upKeys.privateJwk, { database: DB }),
        BATON_SECRET: 'x',
      },
    });
  },
  { timeout: 90_000 },
);

after(
  async () => {
    await Promise.allSettled([gw?.stop(), chain?.stop(), upstreamGw?.stop()]);
    await new Promise((r) => stub.close(r));
  },
  { timeout: 30_000 },
);

const post = (token, body) =>
  fetch(`${gw.url}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

test("allowed statement is forwarded with the gateway's upstream credentials", async () => {
  const n = received.length;
  const c = createClient({ url: gw.url, authToken: tok.full });
  const rs = await c.execute('SELECT 1 AS one');
  c.close();
  assert.equal(rs.rows[0].sql, 'SELECT 1 AS one');
  assert.equal(received.length, n + 1);
  const got = received.at(-1);
  assert.equal(got.url, '/v2/pipeline');
  assert.equal(got.auth, 'Bearer upstream-secret');
  assert.deepEqual(
    got.body.requests.map((r) => r.type),
    ['execute', 'close'],
  );
});

test('denied statement: nothing reaches the upstream', async () => {
  const n = received.length;
  const c = createClient({ url: gw.url, authToken: tok.readOnly });
  await assert.rejects(
    c.batch(['SELECT 1', 'DELETE FROM t'], 'write'),
    (e) => e.code === 'ERR_PERMISSION_DENIED',
  );
  c.close();
  assert.equal(received.length, n);
});

test('bad token: nothing reaches the upstream', async () => {
  const n = received.length;
  const r = await post('fake.e30.0', {
    baton: null,
    requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }],
  });
  assert.equal(r.status, 401);
  assert.equal(received.length, n);
});

test('interactive transaction: batons are bound to the token; stored SQL is reused by sql_id', async () => {
  const n = received.length;
  const c = createClient({ url: gw.url, authToken: tok.full });
  const tx = await c.transaction('write');
  await tx.execute('INSERT INTO t VALUES (1)');
  await tx.execute('INSERT INTO t VALUES (1)'); // same text: the client's SqlCache sends only sql_id
  await tx.commit();
  c.close();
  const sent = received.slice(n);
  assert.ok(sent.length >= 3, `expected >= 3 upstream requests, got ${sent.length}`);
  assert.equal(sent[0].body.baton, null);
  for (let i = 1; i < sent.length; i++)
    assert.match(sent[i].body.baton, /^up-\d+$/, 'the upstream gets its own baton back');
  const second = sent[1].body.requests.find((r) => r.type === 'batch');
  assert.ok(
    second.batch.steps.every((s) => s.stmt.sql === undefined && Number.isInteger(s.stmt.sql_id)),
  );
});

test('a baton presented with another token (or tampered) is refused before the upstream', async () => {
  const first = await post(tok.full, {
    baton: null,
    requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }],
  });
  const { baton } = await first.json();
  assert.match(baton, /^up-\d+\.[\d-]*\.[A-Za-z0-9_-]+$/);
  const n = received.length;
  const req = { baton, requests: [{ type: 'execute', stmt: { sql_id: 7 } }] };
  for (const [token, b] of [
    [tok.full2, baton],
    [tok.full, baton.replace(/^up-\d+/, 'up-999')],
  ]) {
    const r = await post(token, { ...req, baton: b });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).code, 'ERR_BATON_INVALID');
  }
  assert.equal(received.length, n);
  const ok = await post(tok.full, req); // the right token may use sql_ids stored on its stream
  assert.equal(ok.status, 200);
  assert.equal(received.length, n + 1);
});

test('sql_id not stored on a bound stream is denied', async () => {
  const n = received.length;
  const r = await post(tok.full, {
    baton: null,
    requests: [{ type: 'execute', stmt: { sql_id: 3 } }, { type: 'close' }],
  });
  const body = await r.json();
  assert.equal(body.results[0].error.code, 'ERR_SQL_ID_UNKNOWN');
  assert.equal(received.length, n);
});

test('base_url from the upstream is not passed to the client', async () => {
  const r = await post(tok.full, {
    baton: null,
    requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }],
  });
  assert.equal((await r.json()).base_url, null);
});

test('two hops onto real SQLite: reads and writes, denials never leave the front gateway', async () => {
  const c = createClient({ url: chain.url, authToken: tok.full });
  await c.batch(
    [
      'CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v INTEGER)',
      "INSERT INTO kv VALUES ('a', 1)",
    ],
    'write',
  );
  const ro = createClient({ url: chain.url, authToken: tok.readOnly });
  assert.deepEqual(
    (await ro.execute('SELECT k, v FROM kv')).rows.map((r) => [r.k, r.v]),
    [['a', 1]],
  );
  await assert.rejects(
    ro.execute('UPDATE kv SET v = 2'),
    (e) => e.code === 'ERR_PERMISSION_DENIED',
  );
  assert.equal((await c.execute('SELECT v FROM kv')).rows[0].v, 1);
  ro.close();
  c.close();
});
