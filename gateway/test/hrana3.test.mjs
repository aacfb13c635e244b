// Hrana 3 over HTTP end to end: the gateway Worker in real workerd (wrangler's local
// mode) with its SQLite Durable Object, and the real `@tursodatabase/serverless` 1.4 in
// front of it, both its `connect` API and its `compat` `createClient` (Turso's documented
// client). Full, read-only and fine-grained tokens; allowed statements run, denied ones
// fail with the package's code and change nothing. Plus the raw v3 shapes the clients
// rely on (cursor entries, `get_autocommit`, a missing baton, `describe`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect } from '@tursodatabase/serverless';
import { createClient } from '@tursodatabase/serverless/compat';
import { createToken, generateKeyPair } from 'libsql-authz';
import { startGateway } from '../scripts/start.mjs';
import { rejects } from './support.mjs';

const DB = 'demo';
let gw;
let tok;

const db = (authToken) => connect({ url: gw.url, authToken });
const compat = (authToken) => createClient({ url: gw.url, authToken });

async function names() {
  const conn = db(tok.full);
  try {
    return (await conn.all('SELECT name FROM items ORDER BY id')).map((r) => r.name);
  } finally {
    await conn.close();
  }
}

async function post(path, token, body) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${gw.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** A cursor answer's lines, parsed. */
async function cursorLines(response) {
  assert.equal(response.status, 200);
  return (await response.text())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

before(
  async () => {
    const keys = generateKeyPair();
    const p = keys.privateJwk;
    const now = Math.floor(Date.now() / 1000);
    tok = {
      full: createToken(p, { database: DB }),
      readOnly: createToken(p, { database: DB, readOnly: true }),
      fine: createToken(p, { database: DB, permissions: ['all:data_read', 'items:data_add'] }),
      expired: createToken(p, { database: DB, expiration: '1h', now: now - 3 * 3600 }),
    };
    gw = await startGateway({
      jwks: JSON.stringify({ keys: [keys.publicJwk] }),
      vars: { DATABASE_NAME: DB, CORS_ALLOW_ORIGIN: '*' },
    });
    const conn = db(tok.full);
    await conn.exec(
      'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price REAL, data BLOB);' +
        "INSERT INTO items (name, price) VALUES ('apple', 1.5), ('pear', 2);" +
        'CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT)',
    );
    await conn.close();
  },
  { timeout: 90_000 },
);

after(
  async () => {
    await gw?.stop();
  },
  { timeout: 30_000 },
);

// ---- raw Hrana 3 -------------------------------------------------------------------

test('GET /v3, /health and /version answer as sqld does', async () => {
  assert.equal((await fetch(`${gw.url}/v3`)).status, 200);
  const health = await fetch(`${gw.url}/health`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), '');
  const version = await fetch(`${gw.url}/version`);
  assert.equal(version.status, 200);
  assert.match(await version.text(), /^libsql-authz-gateway \d+\.\d+\.\d+/);
});

test('POST /v3/pipeline: no baton member opens a stream; get_autocommit for every grant', async () => {
  for (const token of [tok.full, tok.readOnly, tok.fine]) {
    const r = await post('/v3/pipeline', token, {
      requests: [{ type: 'get_autocommit' }, { type: 'execute', stmt: { sql: 'SELECT 1' } }],
    });
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(typeof body.baton, 'string');
    assert.deepEqual(body.results[0], {
      type: 'ok',
      response: { type: 'get_autocommit', is_autocommit: true },
    });
    assert.deepEqual(body.results[1].response.result.rows, [[{ type: 'integer', value: '1' }]]);
  }
});

test('POST /v3/cursor: entries in step order, values as the spec says, the is_autocommit probe', async () => {
  const lines = await cursorLines(
    await post('/v3/cursor', tok.fine, {
      baton: null,
      batch: {
        steps: [
          {
            stmt: {
              sql: "INSERT INTO items (name, data) VALUES ('cursor', x'00ff')",
              want_rows: false,
            },
          },
          { stmt: { sql: "SELECT id, name, price, data FROM items WHERE name = 'cursor'" } },
          { stmt: { sql: 'SELECT * FROM nowhere' } },
          { stmt: { sql: 'SELECT 2' }, condition: { type: 'error', step: 0 } },
          { stmt: { sql: 'SELECT 1', want_rows: false }, condition: { type: 'is_autocommit' } },
        ],
      },
    }),
  );
  const [head, ...entries] = lines;
  assert.equal(typeof head.baton, 'string');
  assert.equal(head.base_url, null);
  assert.deepEqual(
    entries.map((e) => [e.type, e.step]),
    [
      ['step_begin', 0],
      ['step_end', undefined],
      ['step_begin', 1],
      ['row', undefined],
      ['step_end', undefined],
      ['step_error', 2],
      ['step_begin', 4],
      ['step_end', undefined],
    ],
  );
  assert.equal(entries[1].affected_row_count, 1);
  assert.equal(typeof entries[1].last_insert_rowid, 'string');
  assert.deepEqual(
    entries[2].cols.map((c) => c.name),
    ['id', 'name', 'price', 'data'],
  );
  const [id, name, price, data] = entries[3].row;
  assert.equal(id.type, 'integer');
  assert.equal(id.value, entries[1].last_insert_rowid, 'integers are decimal strings');
  assert.deepEqual(name, { type: 'text', value: 'cursor' });
  assert.deepEqual(price, { type: 'null' });
  assert.equal(data.type, 'blob');
  assert.deepEqual([...Buffer.from(data.base64, 'base64')], [0, 255]);
  assert.match(entries[5].error.message, /no such table/);
});

test('POST /v3/cursor: a denied step denies the whole batch with an in-band error, nothing runs', async () => {
  const lines = await cursorLines(
    await post('/v3/cursor', tok.fine, {
      batch: {
        steps: [
          { stmt: { sql: "INSERT INTO items (name) VALUES ('never')" } },
          { stmt: { sql: 'DELETE FROM items' } },
        ],
      },
    }),
  );
  assert.equal(lines.length, 2);
  assert.equal(lines[1].type, 'error');
  assert.equal(lines[1].error.code, 'ERR_PERMISSION_DENIED');
  assert.ok(!(await names()).includes('never'));
});

test('describe: parameters, columns, readonly and explain, checked like any statement', async () => {
  const r = await post('/v3/pipeline', tok.full, {
    requests: [
      { type: 'describe', sql: 'SELECT id, name AS label FROM items WHERE id = :id OR price > ?' },
      { type: 'describe', sql: 'INSERT INTO audit (what) VALUES (?) RETURNING id' },
      { type: 'describe', sql: 'EXPLAIN SELECT 1' },
      // Run with NULL parameters, this one fails (items.name is NOT NULL): no columns.
      { type: 'describe', sql: 'INSERT INTO items (name) VALUES (?) RETURNING id' },
      { type: 'close' },
    ],
  });
  const { results } = await r.json();
  assert.deepEqual(results[0].response.result, {
    params: [{ name: ':id' }, { name: null }],
    cols: [
      { name: 'id', decltype: null },
      { name: 'label', decltype: null },
    ],
    is_explain: false,
    is_readonly: true,
  });
  assert.deepEqual(results[1].response.result.cols, [{ name: 'id', decltype: null }]);
  assert.equal(results[1].response.result.is_readonly, false);
  assert.equal(results[2].response.result.is_explain, true);
  assert.deepEqual(results[3].response.result.cols, []);
  assert.deepEqual(results[3].response.result.params, [{ name: null }]);
  const audit = db(tok.full);
  assert.deepEqual(
    await audit.all('SELECT * FROM audit WHERE what IS NULL'),
    [],
    'describe ran nothing durable',
  );
  await audit.close();
  const denied = await post('/v3/pipeline', tok.readOnly, {
    requests: [{ type: 'describe', sql: 'DELETE FROM items' }],
  });
  assert.equal((await denied.json()).results[0].error.code, 'ERR_PERMISSION_DENIED');
});

test('a token that fails verification: HTTP 401, JSON with message and code', async () => {
  for (const path of ['/v3/pipeline', '/v3/cursor']) {
    const r = await post(path, tok.expired, { requests: [], batch: { steps: [] } });
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('content-type'), 'application/json');
    const body = await r.json();
    assert.equal(body.code, 'ERR_TOKEN_EXPIRED');
    assert.match(body.message, /expired/);
  }
});

// ---- @tursodatabase/serverless: connect ---------------------------------------------

test('connect, full token: prepare().all() / run(), exec, batch with and without a mode, transaction', async () => {
  const conn = db(tok.full);
  try {
    const stmt = await conn.prepare('SELECT name, price FROM items WHERE name = ?');
    assert.deepEqual(
      stmt.columns().map((c) => c.name),
      ['name', 'price'],
    );
    assert.deepEqual(await stmt.all(['apple']), [{ name: 'apple', price: 1.5 }]);
    const insert = await conn.prepare('INSERT INTO items (name, price) VALUES (?, ?)');
    const ran = await insert.run(['plum', 3]);
    assert.equal(ran.changes, 1);
    await conn.exec("UPDATE items SET price = 4 WHERE name = 'plum'");
    const results = await conn.batch([
      "INSERT INTO audit (what) VALUES ('batch')",
      'SELECT count(*) AS n FROM audit',
    ]);
    assert.equal(results.length, 2);
    await conn.batch(["INSERT INTO audit (what) VALUES ('atomic')"], 'write');
    const addTwo = conn.transaction(async (a, b) => {
      await conn.run('INSERT INTO items (name) VALUES (?)', a);
      await conn.run('INSERT INTO items (name) VALUES (?)', b);
    });
    await addTwo('fig', 'kiwi');
    assert.ok((await names()).includes('kiwi'));
  } finally {
    await conn.close();
  }
});

test('connect, read-only token: reads run; writes fail with ERR_PERMISSION_DENIED and change nothing', async () => {
  const conn = db(tok.readOnly);
  try {
    assert.ok((await (await conn.prepare('SELECT name FROM items')).all()).length > 0);
    await rejects(conn.prepare("INSERT INTO items (name) VALUES ('ro')"), 'ERR_PERMISSION_DENIED');
    await rejects(conn.run("INSERT INTO items (name) VALUES ('ro')"), 'ERR_PERMISSION_DENIED');
    await rejects(conn.exec("INSERT INTO items (name) VALUES ('ro')"), 'ERR_PERMISSION_DENIED');
    await rejects(
      conn.batch(['SELECT 1', "INSERT INTO items (name) VALUES ('ro')"]),
      /^ERR_(PERMISSION|PIPELINE)_DENIED$/,
    );
    await rejects(
      conn.batch(["INSERT INTO items (name) VALUES ('ro')"], 'write'),
      /^ERR_(PERMISSION|PIPELINE)_DENIED$/,
    );
    const write = conn.transaction(async () => {
      await conn.run("INSERT INTO items (name) VALUES ('ro')");
    });
    await rejects(write(), 'ERR_PERMISSION_DENIED');
    // The stream goes on after a denial.
    assert.equal((await conn.all('SELECT 1 AS one'))[0].one, 1);
  } finally {
    await conn.close();
  }
  assert.ok(!(await names()).includes('ro'));
});

test('connect, fine-grained token: adds items, cannot delete them or touch audit', async () => {
  const conn = db(tok.fine);
  try {
    await (await conn.prepare('INSERT INTO items (name) VALUES (?)')).run(['grape']);
    await rejects(conn.run("DELETE FROM items WHERE name = 'grape'"), 'ERR_PERMISSION_DENIED');
    await rejects(conn.exec("INSERT INTO audit (what) VALUES ('x')"), 'ERR_PERMISSION_DENIED');
    assert.deepEqual(await conn.all("SELECT name FROM items WHERE name = 'grape'"), [
      { name: 'grape' },
    ]);
  } finally {
    await conn.close();
  }
});

test('connect, a token that fails verification: what the user sees', async () => {
  const conn = db(tok.expired);
  // The cursor path (execute, all, run, batch) reads the 401 body's `message`; the
  // pipeline path (prepare's describe, exec) only reports the status.
  const viaCursor = await rejects(conn.all('SELECT 1'), undefined);
  assert.match(viaCursor.message, /expired/);
  const viaPipeline = await rejects(conn.prepare('SELECT 1'), undefined);
  assert.match(viaPipeline.message, /401/);
  await conn.close();
});

// ---- @tursodatabase/serverless: compat createClient ---------------------------------

test('compat createClient, full token: execute, batch, transaction, executeMultiple', async () => {
  const client = compat(tok.full);
  try {
    const rs = await client.execute({
      sql: 'SELECT name FROM items WHERE name = ?',
      args: ['pear'],
    });
    assert.equal(rs.rows[0].name, 'pear');
    const inserted = await client.execute("INSERT INTO audit (what) VALUES ('compat')");
    assert.equal(inserted.rowsAffected, 1);
    assert.equal(typeof inserted.lastInsertRowid, 'bigint');
    const batch = await client.batch(
      ["INSERT INTO audit (what) VALUES ('b1')", 'SELECT count(*) AS n FROM audit'],
      'write',
    );
    assert.equal(batch.length, 2);
    const tx = await client.transaction('write');
    await tx.execute("INSERT INTO audit (what) VALUES ('tx')");
    await tx.commit();
    await client.executeMultiple(
      "INSERT INTO audit (what) VALUES ('m1'); INSERT INTO audit (what) VALUES ('m2');",
    );
    const whats = (await client.execute('SELECT what FROM audit')).rows.map((r) => r.what);
    for (const what of ['compat', 'b1', 'tx', 'm1', 'm2']) assert.ok(whats.includes(what), what);
  } finally {
    client.close();
  }
});

test('compat createClient, read-only and fine-grained tokens: denials with the package code, nothing runs', async () => {
  for (const token of [tok.readOnly, tok.fine]) {
    const client = compat(token);
    try {
      assert.ok((await client.execute('SELECT count(*) AS n FROM audit')).rows[0].n > 0);
      await rejects(
        client.execute("INSERT INTO audit (what) VALUES ('denied')"),
        'ERR_PERMISSION_DENIED',
      );
      await rejects(
        client.batch(['SELECT 1', "INSERT INTO audit (what) VALUES ('denied')"], 'write'),
        /^ERR_(PERMISSION|PIPELINE)_DENIED$/,
      );
      await rejects(
        client.executeMultiple("SELECT 1; INSERT INTO audit (what) VALUES ('denied');"),
        'ERR_PERMISSION_DENIED',
      );
      const tx = await client.transaction('write');
      await rejects(
        tx.execute("INSERT INTO audit (what) VALUES ('denied')"),
        'ERR_PERMISSION_DENIED',
      );
      await tx.rollback();
    } finally {
      client.close();
    }
  }
  const client = compat(tok.full);
  const rs = await client.execute("SELECT count(*) AS n FROM audit WHERE what = 'denied'");
  assert.equal(rs.rows[0].n, 0);
  client.close();
});
