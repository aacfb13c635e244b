// End-to-end test of the playground in real headless Chromium.
// Builds the site (`vite build`), serves dist/ with `vite preview` on 127.0.0.1,
// drives it with playwright-core, takes test/screenshot.png, stops everything.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/js/support/chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

let server, context, page, profile, baseUrl;
const problems = []; // console errors and uncaught exceptions in the page

before(
  async () => {
    await build({ root, logLevel: 'warn' });
    server = await preview({
      root,
      logLevel: 'warn',
      preview: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    baseUrl = server.resolvedUrls.local[0];
    profile = mkdtempSync(join(tmpdir(), 'authz-www-chromium-'));
    // launchPersistentContext is Playwright's way to give Chromium a --user-data-dir.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(baseUrl);
    await page.waitForSelector('body[data-ready=true]');
  },
  { timeout: 120_000 },
);

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const text = (sel) => page.locator(sel).first().innerText();
const cell = (table, action) =>
  page.locator(`[data-testid=matrix] tr[data-table="${table}"] td[data-action="${action}"]`);

test('the empty page explains what to do', async () => {
  assert.equal(await page.locator('#verdict').getAttribute('data-state'), 'empty');
  assert.match(await text('#verdict'), /No token yet/);
  assert.match(await text('#matrix'), /Verify a token/);
});

test('generate keys and mint a fine-grained read-only token', async () => {
  await page.click('#gen-keys');
  const jwks = JSON.parse(await page.inputValue('#keys'));
  assert.equal(jwks.keys.length, 1);
  assert.equal(jwks.keys[0].kty, 'OKP');
  assert.equal(jwks.keys[0].crv, 'Ed25519');
  assert.equal(jwks.keys[0].d, undefined, 'the public key set must not carry the private part');

  await page.fill('#mint-database', 'blog');
  await page.fill('#mint-permissions', 'comments:data_read posts:data_read,data_add');
  await page.fill('#mint-expiration', '7d');
  await page.check('#mint-readonly');
  await page.click('#mint');

  assert.match(await page.inputValue('#token'), /^[\w-]+\.[\w-]+\.[\w-]+$/);
  await page.waitForSelector('#verdict[data-state=ok]');
  assert.equal(await text('[data-testid=grant-scope]'), 'blog');
  assert.equal(await text('[data-testid=grant-access]'), 'read-only');
  const rules = await text('[data-testid=grant-rules]');
  assert.match(rules, /comments:data_read/);
  assert.match(rules, /posts:data_read,data_add/);

  // Decoded (display-only) header and claims.
  assert.match(await text('[data-testid=decoded-header] tr[data-claim=alg]'), /EdDSA/);
  assert.match(
    await text('[data-testid=decoded-header] tr[data-claim=kid]'),
    new RegExp(jwks.keys[0].kid),
  );
  assert.match(await text('[data-testid=decoded-claims] tr[data-claim=id]'), /"blog"/);
  assert.match(await text('[data-testid=decoded-claims] tr[data-claim=a]'), /"ro"/);
  assert.match(await text('[data-testid=decoded-claims] tr[data-claim=perm]'), /comments/);
});

test('expiry counts down live', async () => {
  const first = await text('[data-testid=countdown]');
  assert.match(first, /^expires in (7d 0h 0m 0s|6d 23h 59m \d+s)$/);
  await page.waitForFunction(
    (t) => document.querySelector('[data-testid=countdown]').textContent !== t,
    first,
    { timeout: 3_000 },
  );
});

test('the matrix shows the effective permissions', async () => {
  const allowed = async (table, action) =>
    (await cell(table, action).getAttribute('data-allowed')) === 'true';
  assert.equal(await allowed('comments', 'data_read'), true);
  assert.equal(await allowed('posts', 'data_read'), true);
  assert.equal(await allowed('comments', 'data_delete'), false);
  assert.equal(await allowed('comments', 'schema_add'), false);
  // Read-only wins over the rule that lists data_add.
  assert.equal(await allowed('posts', 'data_add'), false);
  // A table no rule names gets nothing.
  assert.equal(await allowed('any_other_table', 'data_read'), false);
  assert.equal(await page.locator('[data-testid=matrix] tbody tr').count(), 3);
});

test('SQL is checked statement by statement, with the reason for a denial', async () => {
  await page.fill('#sql', 'SELECT * FROM comments; DELETE FROM comments');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=statements] > li').length === 2,
  );
  const statements = page.locator('[data-testid=statements] > li');
  assert.equal(await statements.nth(0).getAttribute('data-allowed'), 'true');
  assert.equal(await statements.nth(1).getAttribute('data-allowed'), 'false');
  assert.equal(
    await page.locator('[data-testid=sql-summary]').getAttribute('data-allowed'),
    'false',
  );

  const read = statements
    .nth(0)
    .locator('li.access[data-table="comments"][data-action="data_read"]');
  assert.equal(await read.getAttribute('data-allowed'), 'true');
  const del = statements
    .nth(1)
    .locator('li.access[data-table="comments"][data-action="data_delete"]');
  assert.equal(await del.getAttribute('data-allowed'), 'false');
  const reason = (await del.locator('[data-testid=reason]').innerText()).trim();
  assert.ok(reason.length > 5, `a denial carries its reason, got "${reason}"`);

  // Tables named in the SQL join the matrix.
  await page.fill('#sql', 'SELECT * FROM users');
  await page.waitForSelector('[data-testid=matrix] tr[data-table="users"]');
  assert.equal(await cell('users', 'data_read').getAttribute('data-allowed'), 'false');
  await page.fill('#sql', 'SELECT * FROM comments; DELETE FROM comments');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=statements] > li').length === 2,
  );

  await page.screenshot({ path: join(root, 'test/screenshot.png'), fullPage: true });
});

test('example buttons fill the SQL box', async () => {
  await page.click('.chip >> text=insert');
  assert.match(await page.inputValue('#sql'), /^INSERT INTO comments/);
  await page.waitForSelector(
    '[data-testid=statements] li.access[data-action="data_add"][data-allowed="false"]',
  );
});

test('a token signed by another key is rejected with its code', async () => {
  await page.click('#gen-keys'); // new key pair: the minted token's kid is no longer in the set
  await page.waitForSelector('#verdict[data-state=error]');
  assert.equal(await text('[data-testid=verify-error-code]'), 'ERR_TOKEN_KEY_NOT_FOUND');
});

test('a garbage token shows its error code and message', async () => {
  await page.fill('#token', 'this-is-not-a-token');
  // The verdict was already an error (previous test): wait for this token's render.
  await page.waitForSelector('#decoded >> text=3 dot-separated parts');
  assert.equal(await page.locator('#verdict').getAttribute('data-state'), 'error');
  assert.equal(await text('[data-testid=verify-error-code]'), 'ERR_TOKEN_MALFORMED');
  assert.ok((await text('[data-testid=verify-error]')).length > 'ERR_TOKEN_MALFORMED'.length + 5);
  assert.match(await text('#matrix'), /Verify a token/);
  await page.screenshot({ path: join(root, 'test/screenshot-error.png'), fullPage: true });
});

test('the page raised no errors', () => {
  assert.deepEqual(problems, []);
});
