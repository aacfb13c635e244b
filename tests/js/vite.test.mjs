// The `browser` entry in Chromium, bundled by Vite as an app would be (`vite build` served
// statically, and the Vite dev server), and without any bundler: the same page served as
// plain files, the package name mapped to `browser.js` by an import map. The page
// (tests/vite/) writes its result as JSON.
// Chromium is Debian's (/usr/bin/chromium), driven by playwright-core.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, createServer as createViteServer } from 'vite';
import { API, consumerDir } from './helpers.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './support/chromium.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

let browser;
const results = {};

async function pageResult(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  await page
    .waitForFunction(() => document.getElementById('result').textContent !== 'pending', null, {
      timeout: 20_000,
    })
    .catch(() => assert.fail(`page never finished: ${errors.join('; ')}`));
  const text = await page.textContent('#result');
  await page.close();
  return JSON.parse(text);
}

function serveStatic(root) {
  const server = createServer((request, response) => {
    const path = join(
      root,
      new URL(request.url, 'http://x').pathname.replace(/\/$/, '/index.html'),
    );
    if (!path.startsWith(root) || !existsSync(path)) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    response.end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function app() {
  const dir = consumerDir({ copy: true });
  cpSync(fileURLToPath(new URL('../vite/', import.meta.url)), dir, { recursive: true });
  return dir;
}

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });

  const built = app();
  await build({ root: built, configFile: join(built, 'vite.config.js') });
  results.assets = readdirSync(join(built, 'dist', 'assets'));
  const server = await serveStatic(join(built, 'dist'));
  results.build = await pageResult(`http://127.0.0.1:${server.address().port}/`);
  server.close();

  const dev = app();
  const vite = await createViteServer({
    root: dev,
    configFile: join(dev, 'vite.config.js'),
    server: { port: 0, host: '127.0.0.1' },
  });
  await vite.listen();
  results.dev = await pageResult(vite.resolvedUrls.local[0]);
  await vite.close();

  // No bundler: the files as they are, `libsql-authz` resolved by the page's import map.
  const plain = app();
  const page = readFileSync(join(plain, 'index.html'), 'utf8').replace(
    '<script type="module"',
    '<script type="importmap">{"imports":{"libsql-authz":"./node_modules/libsql-authz/browser.js"}}</script>\n<script type="module"',
  );
  writeFileSync(join(plain, 'index.html'), page);
  const plainServer = await serveStatic(plain);
  results.native = await pageResult(`http://127.0.0.1:${plainServer.address().port}/`);
  plainServer.close();
});

after(() => browser?.close());

test('vite build emits the one .wasm as an asset', () => {
  assert.equal(
    results.assets.filter((name) => name.endsWith('.wasm')).length,
    1,
    String(results.assets),
  );
});

for (const mode of ['build', 'dev', 'native']) {
  test(`${mode}: the entry loads in Chromium and throws AuthzError`, () => {
    const { names, error } = results[mode];
    assert.deepEqual(names, API);
    assert.deepEqual(error, { isAuthzError: true, code: 'ERR_OPTIONS_INVALID' });
  });

  test(`${mode}: mint and verify in Chromium`, () => {
    assert.equal(results[mode].database, 'db1', results[mode].tokens);
  });
}
