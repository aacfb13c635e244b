#!/usr/bin/env node
// `make demo`: starts the gateway locally in real workerd with a seeded demo database,
// prints the URL, a token of each kind and a @libsql/client snippet, and serves until
// interrupted (Ctrl-C).
//
//   node scripts/serve.mjs [--port 8787] [--persist .wrangler/state | --no-persist] [--check]
//
// --check (or DEMO_EXIT_AFTER=1): non-interactive. Starts on a free port with an in-memory
// database, runs the same queries as the printed snippet with each token through
// @libsql/client, prints what happened, stops, and exits 1 if any outcome is not the one
// expected. `make test` runs it.
//
// Keys: a fresh key pair on every start (the tokens printed are only valid for this run),
// or set AUTHZ_PRIVATE_JWK to a private JWK (JSON) to keep tokens valid across restarts.
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { generateKeyPair, createToken } from 'libsql-authz';
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

let privateJwk, publicJwk;
if (process.env.AUTHZ_PRIVATE_JWK) {
  privateJwk = JSON.parse(process.env.AUTHZ_PRIVATE_JWK);
  const { d: _d, ...pub } = privateJwk;
  publicJwk = pub;
} else {
  ({ privateJwk, publicJwk } = generateKeyPair());
}
const db = values.database;
// Each kind of token, and what the demo queries should do with it.
const kinds = [
  {
    name: 'full',
    what: 'full access (a: rw)',
    token: createToken(privateJwk, { database: db, expiration: '1d' }),
    expect: { read: 'allowed', write: 'allowed' },
  },
  {
    name: 'read-only',
    what: 'read-only (a: ro)',
    token: createToken(privateJwk, { database: db, readOnly: true, expiration: '1d' }),
    expect: { read: 'allowed', write: 'ERR_PERMISSION_DENIED' },
  },
  {
    name: 'fine-grained',
    what: 'fine-grained (perm: read every table, add to comments only)',
    token: createToken(privateJwk, {
      database: db,
      permissions: ['all:data_read', 'comments:data_add'],
      expiration: '1d',
    }),
    expect: { read: 'allowed', write: 'allowed', 'write posts': 'ERR_PERMISSION_DENIED' },
  },
];
const QUERIES = {
  read: 'SELECT id, title FROM posts ORDER BY id',
  write: "INSERT INTO comments (post_id, body) VALUES (1, 'hello from the demo')",
  'write posts': 'DELETE FROM posts WHERE id = 2',
};

const gw = await startGateway({
  jwks: JSON.stringify({ keys: [publicJwk] }),
  port: check ? 0 : Number(values.port),
  persist: check || values['no-persist'] ? false : (values.persist ?? '.wrangler/state'),
  vars: { DATABASE_NAME: db },
  logLevel: check ? 'warn' : 'info',
});

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

console.log(`\nlibsql-authz gateway for database "${db}" at ${gw.url}`);
console.log(
  `(Hrana over HTTP in workerd; a SQLite Durable Object with tables posts and comments)\n`,
);
for (const k of kinds)
  console.log(`${k.what}:\nTOKEN_${k.name.toUpperCase().replace('-', '_')}=${k.token}\n`);
console.log(`Try it: save one of these as try.mjs in gateway/ (it has both clients installed; or
in any project with one), then run  TOKEN=<one of the tokens above> node try.mjs

  import { connect } from "@tursodatabase/serverless";
  const db = connect({ url: "${gw.url}", authToken: process.env.TOKEN });
  console.log(await db.all("${QUERIES.read}"));
  await db.run("${QUERIES.write}"); // ERR_PERMISSION_DENIED with the read-only token

  import { createClient } from "@libsql/client";
  const db = createClient({ url: "${gw.url}", authToken: process.env.TOKEN });
  console.log((await db.execute("${QUERIES.read}")).rows);
  await db.execute("${QUERIES.write}"); // ERR_PERMISSION_DENIED with the read-only token
`);

if (check) {
  let failed = 0;
  for (const k of kinds) {
    const c = createClient({ url: gw.url, authToken: k.token });
    for (const [label, expected] of Object.entries(k.expect)) {
      let got, detail;
      try {
        const rs = await c.execute(QUERIES[label]);
        got = 'allowed';
        detail = rs.rows.length ? `${rs.rows.length} rows` : `${rs.rowsAffected} row(s) changed`;
      } catch (e) {
        got = e.code ?? String(e);
        detail = e.message;
      }
      const ok = got === expected;
      if (!ok) failed++;
      console.log(
        `${ok ? 'ok  ' : 'FAIL'} ${k.name.padEnd(12)} ${QUERIES[label]}\n       -> ${got}: ${detail}${ok ? '' : ` (expected ${expected})`}`,
      );
    }
    c.close();
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
  if (code !== 'ERR_TOKEN_SIGNATURE') failed++;
  console.log(
    `${code === 'ERR_TOKEN_SIGNATURE' ? 'ok  ' : 'FAIL'} forged       ${QUERIES.read}\n       -> ${code}`,
  );
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
