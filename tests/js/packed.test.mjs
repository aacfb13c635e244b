// The package as users get it: `npm pack pkg/`, then a fresh project that installs the
// tarball with npm, and consumers in it using every export through `import` (ESM) and
// `require` (CommonJS), plus `tsc --strict` of tests/types/ against the installed copy.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { API, pkgDir, tempDir } from './helpers.mjs';

const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'],
  { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
let project, files;

before(() => {
  const packs = tempDir('libsql-authz-pack-');
  npm(['pack', pkgDir, '--pack-destination', packs, '--silent'], packs);
  const [tgz] = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
  assert.ok(tgz, 'npm pack made no tarball');
  project = tempDir('libsql-authz-packed-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  npm(['install', join(packs, tgz)], project);
  files = readdirSync(join(project, 'node_modules', 'libsql-authz')).sort();
}, { timeout: 120_000 });

test('the tarball holds exactly the files package.json lists', () => {
  assert.deepEqual(files, [
    'README.md', 'api.cjs', 'api.js', 'browser.js', 'index.d.cts', 'index.d.ts', 'libsql_authz.cjs',
    'libsql_authz.js', 'libsql_authz_bg.wasm', 'node.cjs', 'node.mjs', 'package.json', 'workerd.js',
  ]);
  assert.ok(!existsSync(join(project, 'node_modules', 'libsql-authz', 'node_modules')));
});

// Uses every export; `api` is the module namespace (ESM) or require()'s object (CJS).
const body = `
const { AuthzError, Grant, Verifier, analyzeStatement, checkStatement, createRemoteJwks,
  createToken, generateKeyPair, verifyToken } = api;
const out = { names: Object.keys(api).sort() };
const { privateJwk, publicJwk } = generateKeyPair();
const token = createToken(privateJwk, { database: 'db1', permissions: ['comments:data_read,data_add'], expiration: '1h' });
const grant = verifyToken(token, { keys: [publicJwk] }, { database: 'db1' });
out.grant = grant instanceof Grant && grant.database === 'db1' && grant.allows('comments', 'data_add');
out.allowed = checkStatement(grant, "INSERT INTO comments VALUES (1, 'x')").allowed;
out.denied = checkStatement(grant, 'DELETE FROM comments').denied.map((d) => d.action);
out.kind = analyzeStatement('SELECT * FROM posts').statements[0].kind;
const verifier = new Verifier({ keys: [publicJwk] }, { database: 'db1' });
out.verifier = verifier.verify(token).database;
try { verifyToken(token, { keys: [publicJwk] }, { database: 'other' }); } catch (e) {
  out.error = { authz: e instanceof AuthzError, error: e instanceof Error, name: e.name, code: e.code };
}
const jwks = createRemoteJwks('https://issuer.example/jwks.json', {
  fetch: async () => ({ ok: true, status: 200, json: async () => ({ keys: [publicJwk] }) }),
});
jwks.getKeys(publicJwk.kid).then((keys) => {
  out.remote = verifyToken(token, keys).database;
  console.log(JSON.stringify(out));
});
`;

const expected = {
  names: API, grant: true, allowed: true, denied: ['data_delete'], kind: 'select', verifier: 'db1',
  error: { authz: true, error: true, name: 'AuthzError', code: 'ERR_TOKEN_SCOPE' }, remote: 'db1',
};

function run(name, source) {
  writeFileSync(join(project, name), source);
  return JSON.parse(execFileSync(process.execPath, [name], { cwd: project, encoding: 'utf8' }).trim());
}

test('ESM consumer (import) uses every export', () => {
  const source = `import * as api from 'libsql-authz';
if (!import.meta.resolve('libsql-authz').endsWith('/node_modules/libsql-authz/node.mjs')) throw new Error('resolved ' + import.meta.resolve('libsql-authz'));
${body}`;
  assert.deepEqual(run('consumer.mjs', source), expected);
});

test('CommonJS consumer (require) uses every export', () => {
  const source = `const api = require('libsql-authz');
if (!require.resolve('libsql-authz').endsWith('/node_modules/libsql-authz/node.cjs')) throw new Error('resolved ' + require.resolve('libsql-authz'));
${body}`;
  assert.deepEqual(run('consumer.cjs', source), expected);
});

test('tsc --noEmit --strict of tests/types/ (every export) against the installed package', () => {
  cpSync(fileURLToPath(new URL('../types/', import.meta.url)), project, { recursive: true });
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '-p', join(project, 'tsconfig.json')], { encoding: 'utf8' });
  } catch (error) {
    assert.fail(error.stdout || String(error));
  }
});
