// A browser build of a client calling the gateway from a page of another origin, in real
// headless Chromium: `@tursodatabase/serverless` bundled for the browser (esbuild), served
// by a page on one loopback port, the gateway (CORS_ALLOW_ORIGIN) on another. Reads run,
// a denied write fails with the package's code; the browser's CORS checks (preflight
// included: the client sends Authorization and a JSON Content-Type) let both through.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { createToken, generateKeyPair } from 'libsql-authz';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/js/support/chromium.mjs';
import { startGateway } from '../scripts/start.mjs';

let gw;
let site;
let context;
let profile;
let page;
let tokens;

/** A page server: `/` an empty page, `/client.js` the client's browser bundle. */
async function serveSite(bundle) {
  const server = http.createServer((req, res) => {
    if (req.url === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>client</title>');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

before(
  async () => {
    const keys = generateKeyPair();
    tokens = {
      full: createToken(keys.privateJwk, { database: 'demo' }),
      readOnly: createToken(keys.privateJwk, { database: 'demo', readOnly: true }),
    };
    gw = await startGateway({
      jwks: JSON.stringify({ keys: [keys.publicJwk] }),
      vars: { DATABASE_NAME: 'demo', CORS_ALLOW_ORIGIN: '*' },
    });
    const { outputFiles } = await build({
      stdin: { contents: "export { connect } from '@tursodatabase/serverless';", resolveDir: '.' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'warning',
    });
    site = await serveSite(outputFiles[0].text);
    profile = mkdtempSync(join(tmpdir(), 'authz-gateway-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    await page.goto(site.url);
  },
  { timeout: 120_000 },
);

after(
  async () => {
    await context?.close();
    site?.server.close();
    await gw?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  },
  { timeout: 30_000 },
);

/** Runs `statements` in the page, each with `token`: `{ rows }` or `{ code, message }`. */
function inPage(token, statements) {
  return page.evaluate(
    async ({ url, token, statements }) => {
      const { connect } = await import('/client.js');
      const conn = connect({ url, authToken: token });
      const out = [];
      for (const sql of statements) {
        try {
          out.push({ rows: await conn.all(sql) });
        } catch (e) {
          out.push({ code: e.code ?? null, message: String(e.message) });
        }
      }
      await conn.close();
      return out;
    },
    { url: gw.url, token, statements },
  );
}

test('the page and the gateway are different origins', () => {
  assert.notEqual(new URL(site.url).origin, new URL(gw.url).origin);
});

test('a browser build of @tursodatabase/serverless reads, writes and is denied through the gateway', async () => {
  const setup = await inPage(tokens.full, [
    'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)',
    "INSERT INTO notes (body) VALUES ('from the browser')",
  ]);
  assert.deepEqual(
    setup.map((r) => r.code ?? 'ok'),
    ['ok', 'ok'],
    JSON.stringify(setup),
  );
  const [read, write] = await inPage(tokens.readOnly, [
    'SELECT body FROM notes',
    "INSERT INTO notes (body) VALUES ('denied')",
  ]);
  assert.deepEqual(read.rows, [{ body: 'from the browser' }]);
  assert.equal(write.code, 'ERR_PERMISSION_DENIED', write.message);
  const [after] = await inPage(tokens.full, ['SELECT count(*) AS n FROM notes']);
  assert.deepEqual(after.rows, [{ n: 1 }]);
});
