// Every entry point of the package, loaded as its runtime would load it, through the
// package name and its conditional exports: each must expose the same API and throw
// AuthzError with a stable code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { API, pkgDir, runConsumer } from './helpers.mjs';

// Prints the exported names and what a stub-or-real error path throws.
const probe = (load) => `
${load}
const names = Object.keys(api).sort();
let thrown;
try { api.checkStatement({}, 'SELECT 1'); } catch (e) { thrown = e; }
console.log(JSON.stringify({ names, isAuthzError: thrown instanceof api.AuthzError,
  isError: thrown instanceof Error, name: thrown.name, code: thrown.code }));
`;

function check(output) {
  const result = JSON.parse(output.trim().split('\n').at(-1));
  assert.deepEqual(result.names, API);
  assert.deepEqual(
    {
      isAuthzError: result.isAuthzError,
      isError: result.isError,
      name: result.name,
      code: result.code,
    },
    { isAuthzError: true, isError: true, name: 'AuthzError', code: 'ERR_OPTIONS_INVALID' },
  );
}

test('node import resolves to the ESM entry', () => {
  check(
    runConsumer(
      'esm.mjs',
      probe(`import * as api from 'libsql-authz';
import { createRequire } from 'node:module';
if (!import.meta.resolve('libsql-authz').endsWith('/node.mjs')) throw new Error(import.meta.resolve('libsql-authz'));`),
    ),
  );
});

test('node require resolves to the CommonJS entry', () => {
  check(
    runConsumer(
      'cjs.cjs',
      probe(`const api = require('libsql-authz');
if (!require.resolve('libsql-authz').endsWith('node.cjs')) throw new Error(require.resolve('libsql-authz'));`),
    ),
  );
});

test('workerd condition: the .wasm is imported as a WebAssembly.Module', () => {
  // workerd gives `import wasm from './x.wasm'` a compiled WebAssembly.Module; this
  // loader hook does the same in Node, so the entry runs as it would in a Worker.
  const hooks = `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function load(url, context, next) {
  if (!url.endsWith('.wasm')) return next(url, context);
  return { format: 'module', shortCircuit: true, source:
    'export default new WebAssembly.Module(' +
    'await (await import("node:fs")).promises.readFile(' + JSON.stringify(fileURLToPath(url)) + '));' };
}`;
  const source = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
const api = await import('libsql-authz');
${probe('').replace(/^\n/, '')}`;
  check(runConsumer('worker.mjs', source, ['--conditions=workerd']));
});

test('browser entry: top-level await init with new URL(..., import.meta.url)', () => {
  // Node always matches its own \`node\` condition, so the browser entry is loaded by
  // path here (its resolution is checked below). Node's fetch cannot read file: URLs; a
  // browser or bundler serves the asset instead.
  const source = `
import { readFileSync } from 'node:fs';
const fetched = [];
globalThis.fetch = async (url) => {
  fetched.push(String(url));
  return new Response(readFileSync(new URL(url)), { headers: { 'content-type': 'application/wasm' } });
};
const api = await import(${JSON.stringify(`${pkgDir}browser.js`)});
if (fetched.length !== 1 || !fetched[0].endsWith('/libsql_authz_bg.wasm')) throw new Error(String(fetched));
${probe('')}`;
  check(runConsumer('browser.mjs', source));
});

test('one .wasm serves every entry', () => {
  const pkg = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
  assert.equal(pkg.name, 'libsql-authz');
  assert.deepEqual(
    pkg.files.filter((f) => f.endsWith('.wasm')),
    ['libsql_authz_bg.wasm'],
  );
  for (const entry of ['node.mjs', 'node.cjs', 'workerd.js', 'browser.js']) {
    assert.match(readFileSync(`${pkgDir}${entry}`, 'utf8'), /libsql_authz_bg\.wasm/, entry);
  }
});

// The conditional-exports lookup as Node and bundlers do it: the first key, in object
// order, that is an active condition.
function resolveExport(exports, conditions) {
  let target = exports['.'];
  while (typeof target === 'object') {
    const key = Object.keys(target).find((k) => conditions.includes(k));
    assert.ok(key, `no export for ${conditions}`);
    target = target[key];
  }
  return target;
}

test('each runtime resolves its entry', () => {
  const { exports } = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
  const cases = [
    [['node', 'import', 'default'], './node.mjs'],
    [['node', 'require', 'default'], './node.cjs'],
    [['workerd', 'worker', 'browser', 'import', 'default'], './workerd.js'], // wrangler
    [['worker', 'browser', 'import', 'default'], './workerd.js'],
    [['browser', 'import', 'module', 'default'], './browser.js'], // Vite, webpack (web)
    [['import', 'default'], './browser.js'], // no runtime condition
    [['types', 'import'], './index.d.ts'],
    [['types', 'node', 'require'], './index.d.cts'],
  ];
  for (const [conditions, entry] of cases)
    assert.equal(resolveExport(exports, conditions), entry, String(conditions));
});
