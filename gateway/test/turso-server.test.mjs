// Forwarding to a real database server: the Turso engine's own server (`turso` 0.6.0 from
// npm, `turso FILE --sync-server 127.0.0.1:PORT`), a real process writing a real file,
// behind the gateway (LIBSQL_URL). It answers `POST /v2/pipeline` with `execute` and
// `batch` only, and keeps no streams: the gateway serves it as storage/stateless.js says.
// Both official clients go through the gateway; what they write is read back from the
// server directly, and what the gateway denies or refuses never changes it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { connect } from '@tursodatabase/serverless';
import { createToken, generateKeyPair } from 'libsql-authz';
import { startGateway } from '../scripts/start.mjs';
import { rejects } from './support.mjs';

const TURSO = fileURLToPath(new URL('../node_modules/.bin/turso', import.meta.url));
let server;
let serverUrl;
let dir;
let gw;
let tok;

async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Rows of `sql` read from the server itself, not through the gateway. */
async function direct(sql) {
  const r = await fetch(`${serverUrl}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql } }] }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  const [result] = (await r.json()).results;
  assert.equal(result.type, 'ok', JSON.stringify(result));
  return result.response.result.rows.map((row) => row.map((v) => v.value ?? null));
}

before(
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'authz-turso-server-'));
    const port = await freePort();
    serverUrl = `http://127.0.0.1:${port}`;
    server = spawn(TURSO, [join(dir, 'app.db'), '--sync-server', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: `turso` is a launcher that runs the `tursodb` binary as a
      // child, and both must go at the end.
      detached: true,
    });
    let stderr = '';
    server.stderr.on('data', (d) => {
      stderr += d;
    });
    for (let i = 0; ; i++) {
      try {
        await direct('SELECT 1');
        break;
      } catch (e) {
        if (i > 100) throw new Error(`turso --sync-server did not start: ${e.message}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await direct('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    await direct("INSERT INTO items (name) VALUES ('seed')");

    const keys = generateKeyPair();
    const p = keys.privateJwk;
    tok = {
      full: createToken(p, { database: 'app' }),
      readOnly: createToken(p, { database: 'app', readOnly: true }),
    };
    gw = await startGateway({
      jwks: JSON.stringify({ keys: [keys.publicJwk] }),
      vars: { DATABASE_NAME: 'app', LIBSQL_URL: serverUrl },
    });
  },
  { timeout: 90_000 },
);

after(
  async () => {
    await gw?.stop();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      process.kill(-server.pid, 'SIGKILL');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
  { timeout: 30_000 },
);

const names = async () => (await direct('SELECT name FROM items ORDER BY id')).map(([n]) => n);

test('@libsql/client: execute, batch and executeMultiple reach the server and write there', async () => {
  const client = createClient({ url: gw.url, authToken: tok.full });
  try {
    const rs = await client.execute({
      sql: 'SELECT name FROM items WHERE name = ?',
      args: ['seed'],
    });
    assert.deepEqual(
      rs.rows.map((r) => r.name),
      ['seed'],
    );
    await client.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['libsql-1'] });
    // batch = [store_sql..., batch (BEGIN ... COMMIT), close]: stored SQL resolved here.
    await client.batch(
      [
        { sql: 'INSERT INTO items (name) VALUES (?)', args: ['libsql-2'] },
        "INSERT INTO items (name) VALUES ('libsql-3')",
      ],
      'write',
    );
    await client.executeMultiple(
      "INSERT INTO items (name) VALUES ('multi-1'); INSERT INTO items (name) VALUES ('multi-2');",
    );
  } finally {
    client.close();
  }
  const written = await names();
  for (const n of ['libsql-1', 'libsql-2', 'libsql-3', 'multi-1', 'multi-2'])
    assert.ok(written.includes(n), `${n} in ${written}`);
});

test('@tursodatabase/serverless: all, run, exec and batch reach the server', async () => {
  const conn = connect({ url: gw.url, authToken: tok.full });
  try {
    assert.deepEqual(await conn.all("SELECT name FROM items WHERE name = 'seed'"), [
      { name: 'seed' },
    ]);
    await conn.run('INSERT INTO items (name) VALUES (?)', 'serverless-1');
    await conn.exec("INSERT INTO items (name) VALUES ('serverless-2')");
    await conn.batch(["INSERT INTO items (name) VALUES ('serverless-3')"], 'write');
  } finally {
    await conn.close();
  }
  const written = await names();
  for (const n of ['serverless-1', 'serverless-2', 'serverless-3'])
    assert.ok(written.includes(n), n);
});

test('denied statements never reach the server', async () => {
  const before = await names();
  const client = createClient({ url: gw.url, authToken: tok.readOnly });
  const conn = connect({ url: gw.url, authToken: tok.readOnly });
  try {
    assert.ok((await client.execute('SELECT count(*) AS n FROM items')).rows[0].n > 0);
    await rejects(
      client.execute("INSERT INTO items (name) VALUES ('denied')"),
      'ERR_PERMISSION_DENIED',
    );
    await rejects(
      client.batch(['SELECT 1', "DELETE FROM items WHERE name = 'seed'"], 'write'),
      /^ERR_(PERMISSION|PIPELINE)_DENIED$/,
    );
    await rejects(conn.run("INSERT INTO items (name) VALUES ('denied')"), 'ERR_PERMISSION_DENIED');
    await rejects(conn.exec('DELETE FROM items'), 'ERR_PERMISSION_DENIED');
  } finally {
    client.close();
    await conn.close();
  }
  assert.deepEqual(await names(), before);
});

test('what the server cannot serve is refused with a clear error, nothing sent', async () => {
  const before = await names();
  // An interactive transaction needs a stream across requests.
  const client = createClient({ url: gw.url, authToken: tok.full });
  try {
    const tx = await client.transaction('write').catch((e) => e);
    const error =
      tx instanceof Error
        ? tx
        : await tx.execute("INSERT INTO items (name) VALUES ('in-tx')").then(
            () => assert.fail('expected a refusal'),
            (e) => e,
          );
    assert.equal(error.code, 'GATEWAY_UPSTREAM_UNSUPPORTED', error.message);
    assert.match(error.message, /transaction left open/);
    if (!(tx instanceof Error)) tx.close();
  } finally {
    client.close();
  }
  // describe (the serverless client's prepare) fails alone, with its code.
  const conn = connect({ url: gw.url, authToken: tok.full });
  try {
    const error = await rejects(
      conn.prepare('SELECT name FROM items'),
      'GATEWAY_UPSTREAM_UNSUPPORTED',
    );
    assert.match(error.message, /describe/);
  } finally {
    await conn.close();
  }
  assert.deepEqual(await names(), before);
});
