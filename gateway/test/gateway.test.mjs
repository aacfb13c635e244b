// End-to-end: the gateway Worker in real workerd (wrangler's local mode), a SQLite Durable
// Object behind it, and the real @libsql/client in front of it. Tokens are minted with the
// package's createToken.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@libsql/client';
import { generateKeyPair, createToken } from 'libsql-authz';
import { startGateway } from '../scripts/start.mjs';
import { rejects } from './support.mjs';

const DB = 'demo';
const DB_CLOUD_ID = '0b7b9d3e-3c1f-4e8e-9a55-6a1f2f7c9d21';
let gw, keys, tok;

const client = (authToken) => createClient({ url: gw.url, authToken });
const admin = () => client(tok.full);
async function readItems() {
  const c = admin();
  try {
    return (await c.execute('SELECT id, name FROM items ORDER BY id')).rows.map((r) => [
      Number(r.id),
      r.name,
    ]);
  } finally {
    c.close();
  }
}
before(
  async () => {
    keys = generateKeyPair();
    const other = generateKeyPair();
    const now = Math.floor(Date.now() / 1000);
    const p = keys.privateJwk;
    const full = createToken(p, { database: DB });
    const [h, pl, sig] = full.split('.');
    // flip one character in the middle of the signature (the last one may only touch padding bits)
    const i = Math.floor(sig.length / 2);
    const forged = `${h}.${pl}.${sig.slice(0, i)}${sig[i] === 'A' ? 'B' : 'A'}${sig.slice(i + 1)}`;
    tok = {
      full,
      readOnly: createToken(p, { database: DB, readOnly: true }),
      itemsWriter: createToken(p, {
        database: DB,
        permissions: ['all:data_read', 'items:data_add'],
      }),
      expired: createToken(p, { database: DB, expiration: '1h', now: now - 3 * 3600 }),
      otherDb: createToken(p, { database: 'someone-else' }),
      // Turso Cloud writes the database's id in `id`.
      cloudReader: createToken(p, { database: DB_CLOUD_ID, readOnly: true }),
      otherKey: createToken(other.privateJwk, { database: DB }),
      forged,
    };
    gw = await startGateway({
      jwks: JSON.stringify({ keys: [keys.publicJwk] }),
      vars: { DATABASE_NAME: DB, DATABASE_ID: DB_CLOUD_ID, CORS_ALLOW_ORIGIN: '*' },
    });
    const c = admin();
    await c.batch(
      [
        'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price REAL, data BLOB, note TEXT)',
        'CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT)',
        {
          sql: 'INSERT INTO items (name, price, data, note) VALUES (?, ?, ?, ?)',
          args: ['apple', 1.25, new Uint8Array([0, 1, 255]), null],
        },
        "INSERT INTO items (name, price) VALUES ('pear', 2)",
      ],
      'write',
    );
    c.close();
  },
  { timeout: 90_000 },
);

after(
  async () => {
    await gw?.stop();
  },
  { timeout: 30_000 },
);

test('allowed read returns every value type', async () => {
  const c = client(tok.readOnly);
  const rs = await c.execute('SELECT id, name, price, data, note FROM items WHERE name = ?', [
    'apple',
  ]);
  c.close();
  assert.deepEqual(rs.columns, ['id', 'name', 'price', 'data', 'note']);
  const [row] = rs.rows;
  assert.equal(row.id, 1);
  assert.equal(row.name, 'apple');
  assert.equal(row.price, 1.25);
  assert.deepEqual([...new Uint8Array(row.data)], [0, 1, 255]);
  assert.equal(row.note, null);
});

test('bigint intMode gets integers as strings on the wire', async () => {
  const c = createClient({ url: gw.url, authToken: tok.full, intMode: 'bigint' });
  const rs = await c.execute('SELECT 9007199254740991 AS big, -3 AS neg');
  c.close();
  assert.equal(rs.rows[0].big, 9007199254740991n);
  assert.equal(rs.rows[0].neg, -3n);
});

test('allowed write changes the database', async () => {
  const c = client(tok.itemsWriter);
  const rs = await c.execute({
    sql: 'INSERT INTO items (name, price) VALUES (?, ?)',
    args: ['plum', 3.5],
  });
  c.close();
  assert.equal(rs.rowsAffected, 1);
  assert.equal(typeof rs.lastInsertRowid, 'bigint');
  assert.deepEqual(
    (await readItems()).map((r) => r[1]),
    ['apple', 'pear', 'plum'],
  );
});

test("denied write fails with the gate's code and leaves the database unchanged", async () => {
  const before = await readItems();
  const c = client(tok.readOnly);
  const err = await rejects(
    c.execute("INSERT INTO items (name) VALUES ('intruder')"),
    'ERR_PERMISSION_DENIED',
  );
  assert.match(err.message, /not authorized|denied|read-only/i);
  await rejects(c.execute('DELETE FROM items'), 'ERR_PERMISSION_DENIED');
  await rejects(c.execute('DROP TABLE items'), 'ERR_PERMISSION_DENIED');
  c.close();
  assert.deepEqual(await readItems(), before);
});

test('temp objects and ATTACH never reach the shared connection: unqualified names mean main', async () => {
  // Issue 13, finding 7. Every stream runs on the Durable Object's one SQLite connection,
  // so a temp table made by one token would shadow `items` for every other token. The
  // package lets a full-access token make one; workerd's SQLite refuses it (SQLITE_AUTH),
  // and ATTACH as well, so the connection never holds another token's objects.
  const before = await readItems();
  const c = admin();
  for (const sql of [
    "CREATE TEMP TABLE items AS SELECT 99 AS id, 'shadow' AS name",
    "CREATE TEMP VIEW items AS SELECT 99 AS id, 'shadow' AS name",
    'CREATE TEMP TRIGGER t AFTER INSERT ON items BEGIN SELECT 1; END',
    "ATTACH DATABASE 'other' AS other",
  ]) {
    await rejects(c.execute(sql), 'SQLITE_AUTH');
  }
  c.close();
  const reader = client(tok.readOnly);
  const rs = await reader.execute('SELECT id, name FROM items ORDER BY id');
  reader.close();
  assert.deepEqual(
    rs.rows.map((r) => [Number(r.id), r.name]),
    before,
  );
});

test('one denied statement denies the whole batch: the allowed ones do not run', async () => {
  const before = await readItems();
  const c = client(tok.itemsWriter);
  await rejects(
    c.batch(
      [
        "INSERT INTO items (name) VALUES ('allowed-but-in-a-denied-batch')",
        "INSERT INTO audit (what) VALUES ('not allowed')",
      ],
      'write',
    ),
    'ERR_PERMISSION_DENIED',
  );
  c.close();
  assert.deepEqual(await readItems(), before);
  const a = admin();
  assert.equal((await a.execute('SELECT count(*) AS n FROM audit')).rows[0].n, 0);
  a.close();
});

test('denied statement in executeMultiple (sequence) runs nothing', async () => {
  const before = await readItems();
  const c = client(tok.itemsWriter);
  await rejects(
    c.executeMultiple(
      "INSERT INTO items (name) VALUES ('seq'); INSERT INTO audit (what) VALUES ('x');",
    ),
    'ERR_PERMISSION_DENIED',
  );
  c.close();
  assert.deepEqual(await readItems(), before);
});

test('a batch is atomic: a failing statement rolls back the whole batch', async () => {
  const before = await readItems();
  const c = admin();
  const err = await c
    .batch(
      [
        "INSERT INTO items (name) VALUES ('kiwi')",
        "INSERT INTO items (name) VALUES ('apple')", // UNIQUE violation
      ],
      'write',
    )
    .then(
      () => assert.fail('expected an error'),
      (e) => e,
    );
  c.close();
  assert.match(err.message, /UNIQUE/);
  assert.equal(err.statementIndex, 1);
  assert.deepEqual(await readItems(), before);
});

test('a successful batch commits all statements and returns their results', async () => {
  const c = admin();
  const rs = await c.batch(
    [
      { sql: 'INSERT INTO audit (what) VALUES (?)', args: ['one'] },
      { sql: 'INSERT INTO audit (what) VALUES (?)', args: ['two'] },
      'SELECT what FROM audit ORDER BY id',
      'DELETE FROM audit',
    ],
    'write',
  );
  c.close();
  assert.deepEqual(
    rs[2].rows.map((r) => r.what),
    ['one', 'two'],
  );
  assert.equal(rs[3].rowsAffected, 2);
});

test('interactive transaction: reads its own writes, invisible to others until COMMIT', async () => {
  const c = admin();
  const tx = await c.transaction('write');
  await tx.execute("INSERT INTO items (name) VALUES ('tx-1')");
  const own = await tx.execute({
    sql: 'SELECT count(*) AS n FROM items WHERE name = ?',
    args: ['tx-1'],
  });
  assert.equal(own.rows[0].n, 1);
  assert.ok(!(await readItems()).some((r) => r[1] === 'tx-1'), 'uncommitted write visible outside');
  await tx.execute("INSERT INTO items (name) VALUES ('tx-2')");
  await tx.commit();
  c.close();
  const names = (await readItems()).map((r) => r[1]);
  assert.ok(names.includes('tx-1') && names.includes('tx-2'));
  const a = admin();
  await a.execute("DELETE FROM items WHERE name IN ('tx-1', 'tx-2')");
  a.close();
});

test('interactive transaction: rollback and close leave nothing behind', async () => {
  const before = await readItems();
  const c = admin();
  const tx = await c.transaction('write');
  await tx.execute("INSERT INTO items (name) VALUES ('rolled-back')");
  await tx.rollback();
  const tx2 = await c.transaction('write');
  await tx2.execute("INSERT INTO items (name) VALUES ('closed')");
  tx2.close();
  c.close();
  assert.deepEqual(await readItems(), before);
});

test('interactive transaction: a concurrent change it read makes COMMIT fail (SQLITE_BUSY), nothing of it lands', async () => {
  const c = admin();
  const tx = await c.transaction('write');
  const n0 = (await tx.execute('SELECT count(*) AS n FROM items')).rows[0].n;
  const other = admin();
  await other.execute("INSERT INTO items (name) VALUES ('concurrent')");
  other.close();
  await tx
    .execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: [`saw-${n0}`] })
    .catch(() => {});
  await rejects(tx.commit(), 'SQLITE_BUSY');
  c.close();
  const names = (await readItems()).map((r) => r[1]);
  assert.ok(names.includes('concurrent'));
  assert.ok(!names.includes(`saw-${n0}`));
  const a = admin();
  await a.execute("DELETE FROM items WHERE name = 'concurrent'");
  a.close();
});

test('interactive transaction: a denied statement fails alone, the transaction goes on', async () => {
  const c = client(tok.itemsWriter);
  const tx = await c.transaction('write');
  await tx.execute("INSERT INTO items (name) VALUES ('tx-allowed')");
  await rejects(
    tx.execute("INSERT INTO audit (what) VALUES ('tx-denied')"),
    'ERR_PERMISSION_DENIED',
  );
  await tx
    .execute("INSERT INTO items (name) VALUES ('tx-allowed')")
    .catch((e) => assert.match(e.message, /UNIQUE/));
  await tx.commit();
  c.close();
  assert.ok((await readItems()).some((r) => r[1] === 'tx-allowed'));
  const a = admin();
  assert.equal((await a.execute('SELECT count(*) AS n FROM audit')).rows[0].n, 0);
  await a.execute("DELETE FROM items WHERE name = 'tx-allowed'");
  a.close();
});

test('SQL the package cannot analyse with certainty is denied with its code, nothing runs', async () => {
  const before = await readItems();
  const c = client(tok.full);
  await rejects(c.execute('SELEC * FROM items'), 'ERR_SQL_PARSE');
  await rejects(c.execute('BEGIN READONLY'), 'ERR_SQL_PARSE'); // libSQL's form needs TRANSACTION
  await rejects(
    c.batch(["INSERT INTO items (name) VALUES ('parse')", 'DELETE FROM items WHERE'], 'write'),
    'ERR_SQL_PARSE',
  );
  c.close();
  const w = client(tok.itemsWriter);
  await rejects(w.execute("ATTACH DATABASE 'x.db' AS x"), 'ERR_PERMISSION_DENIED');
  await rejects(w.execute('PRAGMA user_version = 7'), 'ERR_PERMISSION_DENIED');
  w.close();
  assert.deepEqual(await readItems(), before);
});

test('client.transaction("read"): BEGIN TRANSACTION READONLY is checked, reads work, writes refused, nothing commits', async () => {
  const before = await readItems();
  const c = client(tok.full); // the token may write; the READONLY transaction may not
  const tx = await c.transaction('read');
  const rs = await tx.execute('SELECT count(*) AS n FROM items');
  assert.equal(rs.rows[0].n, before.length);
  await rejects(
    tx.execute("INSERT INTO items (name) VALUES ('in-readonly-tx')"),
    'SQLITE_READONLY',
  );
  await rejects(tx.execute('DELETE FROM items'), 'SQLITE_READONLY');
  assert.equal((await tx.execute('SELECT count(*) AS n FROM items')).rows[0].n, before.length);
  await tx.commit();
  c.close();
  assert.deepEqual(await readItems(), before);
  // a read-only token may open one too (BEGIN needs no table)
  const r = client(tok.readOnly);
  const tx2 = await r.transaction('read');
  assert.equal(
    (await tx2.execute('SELECT name FROM items ORDER BY id')).rows.length,
    before.length,
  );
  await tx2.commit();
  r.close();
});

test('a baton from another token is refused', async () => {
  const post = (token, body) =>
    fetch(`${gw.url}/v2/pipeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const first = await post(tok.full, {
    baton: null,
    requests: [{ type: 'execute', stmt: { sql: 'BEGIN' } }],
  });
  const { baton } = await first.json();
  assert.ok(baton);
  const r = await post(tok.readOnly, {
    baton,
    requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }, { type: 'close' }],
  });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).code, 'ERR_BATON_INVALID');
  const end = await post(tok.full, { baton, requests: [{ type: 'close' }] });
  assert.equal(end.status, 200);
});

test('a token naming the database by its Turso Cloud id (DATABASE_ID) reads, and only reads', async () => {
  const c = client(tok.cloudReader);
  assert.equal((await c.execute('SELECT count(*) AS n FROM items')).rows.length, 1);
  await rejects(c.execute("INSERT INTO items (name) VALUES ('cloud')"), 'ERR_PERMISSION_DENIED');
  c.close();
  assert.ok(!(await readItems()).some((r) => r[1] === 'cloud'));
});

for (const [name, code] of [
  ['missing', 'ERR_TOKEN_MISSING'],
  ['expired', 'ERR_TOKEN_EXPIRED'],
  ['forged', 'ERR_TOKEN_SIGNATURE'],
  ['otherDb', 'ERR_TOKEN_SCOPE'],
  ['otherKey', 'ERR_TOKEN_KEY_NOT_FOUND'],
]) {
  test(`${name} token: HTTP 401 with ${code}, nothing runs`, async () => {
    const token = name === 'missing' ? undefined : tok[name];
    const c = client(token);
    await rejects(c.execute("INSERT INTO items (name) VALUES ('bad-token')"), code);
    c.close();
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const resp = await fetch(`${gw.url}/v2/pipeline`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        baton: null,
        requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }],
      }),
    });
    assert.equal(resp.status, 401);
    const body = await resp.json();
    if (code instanceof RegExp) assert.match(body.code, code);
    else assert.equal(body.code, code);
    assert.ok(!(await readItems()).some((r) => r[1] === 'bad-token'));
  });
}

test('raw Hrana: conditions, is_autocommit, BEGIN/ROLLBACK across requests of one pipeline', async () => {
  const post = async (requests) => {
    const r = await fetch(`${gw.url}/v2/pipeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tok.full}` },
      body: JSON.stringify({ baton: null, requests }),
    });
    assert.equal(r.status, 200);
    return (await r.json()).results;
  };
  const res = await post([
    { type: 'execute', stmt: { sql: 'BEGIN' } },
    { type: 'get_autocommit' },
    {
      type: 'execute',
      stmt: {
        sql: 'INSERT INTO audit (what) VALUES (?)',
        args: [{ type: 'text', value: 'rolled back' }],
      },
    },
    { type: 'execute', stmt: { sql: 'ROLLBACK' } },
    { type: 'store_sql', sql_id: 1, sql: 'SELECT count(*) FROM audit' },
    {
      type: 'batch',
      batch: {
        steps: [
          { stmt: { sql_id: 1 } },
          { condition: { type: 'ok', step: 0 }, stmt: { sql: 'SELECT * FROM no_such_table' } },
          { condition: { type: 'error', step: 1 }, stmt: { sql: "SELECT 'ran after error'" } },
          {
            condition: { type: 'not', cond: { type: 'is_autocommit' } },
            stmt: { sql: "SELECT 'skipped'" },
          },
        ],
      },
    },
    { type: 'close' },
  ]);
  assert.deepEqual(
    res.map((r) => r.type),
    ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  );
  assert.equal(res[1].response.is_autocommit, false);
  const b = res[5].response.result;
  assert.deepEqual(b.step_results[0].rows, [[{ type: 'integer', value: '0' }]]);
  assert.equal(b.step_results[1], null);
  assert.match(b.step_errors[1].message, /no such table/);
  assert.deepEqual(b.step_results[2].rows, [[{ type: 'text', value: 'ran after error' }]]);
  assert.equal(b.step_results[3], null);
  assert.equal(b.step_errors[3], null);
});

test('unknown endpoints and malformed pipelines', async () => {
  assert.equal((await fetch(`${gw.url}/v2`)).status, 200);
  assert.equal((await fetch(`${gw.url}/v3-protobuf`)).status, 404);
  const r = await fetch(`${gw.url}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tok.full}` },
    body: JSON.stringify({ requests: [{ type: 'explode' }] }),
  });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).code, 'HRANA_PROTO_ERROR');
  // No PLATFORM_API_TOKEN here: the Platform API is off, and no database but the default.
  const api = await fetch(`${gw.url}/v1/organizations/local/databases`, {
    headers: { authorization: `Bearer ${tok.full}` },
  });
  assert.equal(api.status, 404);
  assert.match((await api.json()).error, /not enabled/);
  const other = await fetch(`${gw.url}/db/other/v2/pipeline`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok.full}` },
    body: JSON.stringify({ requests: [] }),
  });
  assert.equal(other.status, 404);
  assert.equal((await other.json()).code, 'GATEWAY_DATABASE_UNKNOWN');
});

test('CORS for browser clients when CORS_ALLOW_ORIGIN is set', async () => {
  const pre = await fetch(`${gw.url}/v2/pipeline`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://app.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.match(pre.headers.get('access-control-allow-headers'), /authorization/);
  const r = await fetch(`${gw.url}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('access-control-allow-origin'), '*'); // errors readable by the page too
});

test('sql_ids a denied request stored or closed are stale: never run the text the database still holds', async () => {
  const post = async (baton, requests) => {
    const r = await fetch(`${gw.url}/v2/pipeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tok.itemsWriter}` },
      body: JSON.stringify({ baton, requests }),
    });
    assert.equal(r.status, 200);
    return r.json();
  };
  const text = (res) => res.response.result.rows[0][0].value;
  const a = await post(null, [
    { type: 'store_sql', sql_id: 1, sql: "SELECT 'X'" },
    { type: 'execute', stmt: { sql_id: 1 } },
  ]);
  assert.equal(text(a.results[1]), 'X');
  const b = await post(a.baton, [
    { type: 'close_sql', sql_id: 1 },
    { type: 'store_sql', sql_id: 1, sql: "INSERT INTO audit (what) VALUES ('denied')" },
    { type: 'execute', stmt: { sql_id: 1 } },
  ]);
  assert.equal(b.results[2].error.code, 'ERR_PERMISSION_DENIED');
  const c = await post(b.baton, [{ type: 'execute', stmt: { sql_id: 1 } }]);
  assert.equal(c.results[0].error.code, 'ERR_SQL_ID_UNKNOWN'); // not "X"
  const d = await post(b.baton, [
    { type: 'store_sql', sql_id: 1, sql: "SELECT 'Y'" },
    { type: 'execute', stmt: { sql_id: 1 } },
    { type: 'close' },
  ]);
  assert.equal(text(d.results[1]), 'Y');
  assert.equal(d.baton, null);
});
