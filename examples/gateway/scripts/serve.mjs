#!/usr/bin/env node
// Starts the gateway locally in real workerd with a seeded demo database, prints the URL
// and ready-to-use tokens, and serves until interrupted (Ctrl-C).
//
//   node scripts/serve.mjs [--port 8787] [--persist .wrangler/state | --no-persist]
//
// Keys: a fresh key pair on every start (the tokens printed are only valid for this run),
// or set AUTHZ_PRIVATE_JWK to a private JWK (JSON) to keep tokens valid across restarts.
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { generateKeyPair, createToken } from "libsql-authz";
import { startGateway } from "./start.mjs";

const { values } = parseArgs({ options: {
  port: { type: "string", default: process.env.PORT ?? "8787" },
  persist: { type: "string" },
  "no-persist": { type: "boolean", default: false },
  database: { type: "string", default: "demo" },
} });

let privateJwk, publicJwk;
if (process.env.AUTHZ_PRIVATE_JWK) {
  privateJwk = JSON.parse(process.env.AUTHZ_PRIVATE_JWK);
  const { d: _d, ...pub } = privateJwk;
  publicJwk = pub;
} else {
  ({ privateJwk, publicJwk } = generateKeyPair());
}
const db = values.database;
const tokens = {
  "full access": createToken(privateJwk, { database: db, expiration: "1d" }),
  "read-only": createToken(privateJwk, { database: db, readOnly: true, expiration: "1d" }),
  "read all, add comments": createToken(privateJwk, { database: db, permissions: ["all:data_read", "comments:data_add"], expiration: "1d" }),
};

const gw = await startGateway({
  jwks: JSON.stringify({ keys: [publicJwk] }),
  port: Number(values.port),
  persist: values["no-persist"] ? false : (values.persist ?? ".wrangler/state"),
  vars: { DATABASE_NAME: db },
  logLevel: "info",
});

// Seed (idempotent) through the gateway itself, with the full-access token.
const admin = createClient({ url: gw.url, authToken: tokens["full access"] });
await admin.batch([
  "CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT)",
  "CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id), body TEXT NOT NULL)",
  "INSERT OR IGNORE INTO posts (id, title, body) VALUES (1, 'Hello', 'First post'), (2, 'Authz at the edge', 'Every statement is checked')",
  "INSERT OR IGNORE INTO comments (id, post_id, body) VALUES (1, 1, 'Nice')",
], "write");
admin.close();

console.log(`\nlibsql-authz gateway for database "${db}" at ${gw.url}\n`);
for (const [name, t] of Object.entries(tokens)) console.log(`${name}:\n  ${t}\n`);
console.log(`try:\n  node -e 'import("@libsql/client").then(async ({createClient}) => console.log((await createClient({url: "${gw.url}", authToken: process.argv[1]}).execute("SELECT * FROM posts")).rows))' <token>\n`);
console.log("Ctrl-C to stop.");

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await gw.stop();
    process.exit(0);
  });
}
