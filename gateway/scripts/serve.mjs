#!/usr/bin/env node
// `make demo`: starts the gateway locally in real workerd with its Platform API on, makes a
// group and two databases through that API (@tursodatabase/api, as a Turso user would),
// seeds the first, prints what the three official packages need (each as NAME=value on a
// line of its own) and a snippet for each, and serves until interrupted (Ctrl-C).
//
//   node scripts/serve.mjs [--port 8787] [--persist .wrangler/state | --no-persist] [--check]
//
// --check (or DEMO_EXIT_AFTER=1): non-interactive. Starts on a free port with in-memory
// state, runs the snippets' queries with each token through @libsql/client and
// @tursodatabase/serverless and the API snippet through @tursodatabase/api, prints what
// happened, stops, and exits 1 if any outcome is not the one expected. `make test` runs it.
//
// The admin token is PLATFORM_API_TOKEN if set, else a fresh random one per run. Keys and
// databases persist with --persist (the default): tokens stay valid across restarts.
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { createClient as createApiClient } from '@tursodatabase/api';
import { connect } from '@tursodatabase/serverless';
import { startGateway } from './start.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    persist: { type: 'string' },
    'no-persist': { type: 'boolean', default: false },
    database: { type: 'string', default: 'demo' },
    check: { type: 'boolean', default: process.env.DEMO_EXIT_AFTER === '1' },
  },
});
const check = values.check;
const db = values.database;
const second = db === 'second' ? 'other' : 'second';
const org = process.env.TURSO_ORG || 'local';
const adminToken = process.env.PLATFORM_API_TOKEN || crypto.randomBytes(24).toString('base64url');

const gw = await startGateway({
  secrets: { PLATFORM_API_TOKEN: adminToken },
  port: check ? 0 : Number(values.port),
  persist: check || values['no-persist'] ? false : (values.persist ?? '.wrangler/state'),
  vars: { DATABASE_NAME: db, TURSO_ORG: org },
  logLevel: check ? 'warn' : 'info',
});
const apiBaseUrl = `${gw.url}/v1/`;
const turso = createApiClient({ org, token: adminToken, baseUrl: apiBaseUrl });

// The group and the databases (kept from an earlier run with --persist: 409 is fine).
const exists = (e) => {
  if (e.status !== 409) throw e;
};
await turso.groups.create('default', 'local').catch(exists);
for (const name of [db, second])
  await turso.databases.create(name, { group: 'default' }).catch(exists);

// Each kind of token, from the Platform API, and what the demo queries should do with it.
const token = async (options) => (await turso.databases.createToken(db, options)).jwt;
/** A fine-grained token, requested as the turso CLI does (@tursodatabase/api has no such option). */
async function fineGrainedToken() {
  const r = await fetch(
    `${apiBaseUrl}organizations/${org}/databases/${db}/auth/tokens?expiration=1d`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        fine_grained_permissions: [
          { t: null, a: ['data_read'] },
          { t: ['comments'], a: ['data_add'] },
        ],
      }),
    },
  );
  if (!r.ok) throw new Error(`fine-grained token: ${r.status} ${await r.text()}`);
  return (await r.json()).jwt;
}
const kinds = [
  {
    name: 'full',
    what: 'full access (a: rw)',
    token: await token({ expiration: '1d' }),
    expect: { read: 'allowed', write: 'allowed' },
  },
  {
    name: 'read-only',
    what: 'read-only (a: ro)',
    token: await token({ expiration: '1d', authorization: 'read-only' }),
    expect: { read: 'allowed', write: 'ERR_PERMISSION_DENIED' },
  },
  {
    name: 'fine-grained',
    what: 'fine-grained (perm: read every table, add to comments only)',
    token: await fineGrainedToken(),
    expect: { read: 'allowed', write: 'allowed', 'write posts': 'ERR_PERMISSION_DENIED' },
  },
];
const QUERIES = {
  read: 'SELECT id, title FROM posts ORDER BY id',
  write: "INSERT INTO comments (post_id, body) VALUES (1, 'hello from the demo')",
  'write posts': 'DELETE FROM posts WHERE id = 2',
};

// Seed (idempotent) through the gateway itself, with the full-access token.
const admin = createClient({ url: gw.url, authToken: kinds[0].token });
await admin.batch(
  [
    'CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT)',
    'CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id), body TEXT NOT NULL)',
    "INSERT OR IGNORE INTO posts (id, title, body) VALUES (1, 'Hello', 'First post'), (2, 'Authz at the edge', 'Every statement is checked')",
    "INSERT OR IGNORE INTO comments (id, post_id, body) VALUES (1, 1, 'Nice')",
  ],
  'write',
);
admin.close();

const env = {
  DATABASE_URL: gw.url,
  DATABASE_NAME: db,
  TURSO_API_BASE_URL: apiBaseUrl,
  TURSO_API_TOKEN: adminToken,
  TURSO_ORG: org,
};
console.log(`\nlibsql-authz gateway at ${gw.url}: databases "${db}" (the root URL, also ${gw.url}/db/${db}/)
and "${second}" (${gw.url}/db/${second}/), group "default"; the Platform API at ${apiBaseUrl}
(Hrana over HTTP in workerd; each database a SQLite Durable Object; ${db} has tables posts and comments)\n`);
for (const k of kinds)
  console.log(`# ${k.what}\nTOKEN_${k.name.toUpperCase().replace('-', '_')}=${k.token}`);
console.log('');
for (const [name, value] of Object.entries(env)) console.log(`${name}=${value}`);
console.log(`
Try it: export the lines above (or paste them before the command), save a snippet as
try.mjs in gateway/ (it has the three packages installed; or in any project with one),
and run  TOKEN=$TOKEN_READ_ONLY node try.mjs

  // @tursodatabase/serverless
  import { connect } from "@tursodatabase/serverless";
  const db = connect({ url: process.env.DATABASE_URL, authToken: process.env.TOKEN });
  console.log(await db.all("${QUERIES.read}"));
  await db.run("${QUERIES.write}"); // ERR_PERMISSION_DENIED with the read-only token

  // @libsql/client
  import { createClient } from "@libsql/client";
  const db = createClient({ url: process.env.DATABASE_URL, authToken: process.env.TOKEN });
  console.log((await db.execute("${QUERIES.read}")).rows);
  await db.execute("${QUERIES.write}"); // ERR_PERMISSION_DENIED with the read-only token

  // @tursodatabase/api: databases, a new token, and invalidating every token of a database
  import { createClient } from "@tursodatabase/api";
  const turso = createClient({ org: process.env.TURSO_ORG, token: process.env.TURSO_API_TOKEN,
    baseUrl: process.env.TURSO_API_BASE_URL });
  console.log(await turso.databases.list());
  const { jwt } = await turso.databases.createToken(process.env.DATABASE_NAME, { authorization: "read-only" });
  // await turso.databases.rotateTokens(process.env.DATABASE_NAME); // every token above stops working
`);

if (check) {
  let failed = 0;
  const report = (ok, line) => {
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
  };
  const clients = {
    '@libsql/client': (authToken) => {
      const c = createClient({ url: env.DATABASE_URL, authToken });
      return { run: (sql) => c.execute(sql), close: () => c.close() };
    },
    '@tursodatabase/serverless': (authToken) => {
      // As the snippet: `all` for reads, `run` for writes.
      const c = connect({ url: env.DATABASE_URL, authToken });
      const run = async (sql) =>
        sql.startsWith('SELECT')
          ? { rows: await c.all(sql) }
          : { rows: [], rowsAffected: (await c.run(sql)).changes };
      return { run, close: () => c.close() };
    },
  };
  for (const [client, open] of Object.entries(clients)) {
    for (const k of kinds) {
      const c = open(k.token);
      for (const [label, expected] of Object.entries(k.expect)) {
        let got, detail;
        try {
          const rs = await c.run(QUERIES[label]);
          got = 'allowed';
          detail = rs.rows.length ? `${rs.rows.length} rows` : `${rs.rowsAffected} row(s) changed`;
        } catch (e) {
          got = e.code ?? String(e);
          detail = e.message;
        }
        report(
          got === expected,
          `${client} ${k.name.padEnd(12)} ${QUERIES[label]}\n       -> ${got}: ${detail}${got === expected ? '' : ` (expected ${expected})`}`,
        );
      }
      await c.close();
    }
  }
  // A token the gateway must refuse outright.
  // one character flipped in the middle of the signature (the last one may only touch padding bits)
  const t = kinds[0].token,
    i = t.lastIndexOf('.') + 20;
  const forged = t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
  const c = createClient({ url: gw.url, authToken: forged });
  const code = await c.execute(QUERIES.read).then(
    () => 'allowed',
    (e) => e.code,
  );
  c.close();
  report(code === 'ERR_TOKEN_SIGNATURE', `forged       ${QUERIES.read}\n       -> ${code}`);
  // The API snippet, and its token on the printed URL.
  const names = (await turso.databases.list()).map((d) => d.name).sort();
  report(
    names.join() === [db, second].sort().join(),
    `@tursodatabase/api databases.list -> ${names}`,
  );
  const { jwt } = await turso.databases.createToken(db, { authorization: 'read-only' });
  const rows = await connect({ url: env.DATABASE_URL, authToken: jwt }).all(QUERIES.read);
  report(rows.length === 2, `@tursodatabase/api read-only token reads ${rows.length} rows`);
  await gw.stop();
  console.log(
    failed
      ? `\ndemo check: ${failed} unexpected outcome(s)`
      : '\ndemo check: every token did what it should',
  );
  process.exit(failed ? 1 : 0);
}

console.log('Serving until Ctrl-C.');
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await gw.stop();
    process.exit(0);
  });
}
