// The package as users get it: `npm pack` of the built pkg/, `npm install <tarball>` in a
// fresh project (offline: the package has no dependencies); consumers in it using every
// export through `import` (ESM) and `require` (CommonJS); `tsc --strict` of tests/types/
// against the installed copy; the `libsql-authz` bin through `npx` end to end, and its
// tokens verified by the installed package itself.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { API, pkgDir, tempDir, typecheck } from './helpers.mjs';

// npm and npx from the Node that runs the tests (npm-cli.js / npx-cli.js next to it).
const npmEnv = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
const npm = (args, cwd) =>
  execFileSync('npm', args, {
    cwd,
    env: npmEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const packDir = tempDir('libsql-authz-pack-');
const [packed] = JSON.parse(
  npm(['pack', pkgDir, '--json', '--pack-destination', packDir], packDir),
);
const tarball = join(packDir, packed.filename);
const project = tempDir('libsql-authz-project-');
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
);
npm(['install', '--offline', '--no-package-lock', tarball], project);
const installed = join(project, 'node_modules', 'libsql-authz');

function npx(...args) {
  const run = spawnSync(
    'npx',
    ['--no-install', 'libsql-authz', '--keystore', 'keys.json', ...args],
    {
      cwd: project,
      env: npmEnv,
      encoding: 'utf8',
    },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
function ok(...args) {
  const run = npx(...args);
  assert.equal(run.code, 0, `npx libsql-authz ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** Verifies `token` with the installed package, in the project (import by name). */
function verifyInProject(token, jwks, options) {
  const script = `import { verifyToken } from 'libsql-authz';
try {
  const grant = verifyToken(${JSON.stringify(token)}, ${JSON.stringify(jwks)}, ${JSON.stringify(options)});
  console.log(JSON.stringify({ database: grant.database, group: grant.group, readOnly: grant.readOnly, permissions: grant.permissions }));
} catch (error) {
  console.log(JSON.stringify({ code: error.code }));
}`;
  writeFileSync(join(project, 'verify.mjs'), script);
  return JSON.parse(
    execFileSync(process.execPath, ['verify.mjs'], { cwd: project, encoding: 'utf8' }),
  );
}

test('the tarball holds the entries, the wasm, the CLI and its modules, nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    'README.md',
    'api.js',
    'browser.js',
    'cli.js',
    'errors.js',
    'host-crypto.js',
    'index.d.cts',
    'index.d.ts',
    'keystore-file.js',
    'keystore.d.ts',
    'keystore.js',
    'libsql_authz.js',
    'libsql_authz_bg.wasm',
    'node.cjs',
    'node.mjs',
    'package.json',
    'remote-jwks.js',
    'wire.js',
    'workerd.js',
  ]);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.bin, { 'libsql-authz': './cli.js' });
  assert.equal(manifest.dependencies, undefined, 'no dependencies');
  assert.ok(!existsSync(join(installed, 'node_modules')), 'nothing installed under the package');
  assert.match(readFileSync(join(installed, 'cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  assert.ok(
    statSync(join(project, 'node_modules', '.bin', 'libsql-authz')).mode & 0o111,
    'the bin is executable',
  );
});

// `anyhow` (jwt-compact's error type) captures and prints backtraces: once linked, it
// brings std's backtrace printing and a symbol demangler, 57 KB of the module
// (docs/PACKAGE.md). Their source paths are among the wasm's data when they are in.
test('the wasm links no backtrace printing or demangler', () => {
  const wasm = readFileSync(join(installed, 'libsql_authz_bg.wasm')).toString('latin1');
  for (const marker of ['rustc-demangle', 'std/src/backtrace.rs', 'stack backtrace']) {
    assert.ok(!wasm.includes(marker), `the wasm holds ${JSON.stringify(marker)}`);
  }
});

test('npx libsql-authz: help, usage errors', () => {
  const help = npx('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout + help.stderr, /Usage: libsql-authz/);
  const wrong = npx('db', 'frobnicate');
  assert.equal(wrong.code, 2, wrong.stderr);
});

test('npx libsql-authz end to end: groups, databases, tokens, jwks, invalidation', () => {
  ok('group', 'create', 'prod');
  ok('db', 'create', 'app', '--group', 'prod');
  ok('db', 'create', 'analytics', '--group', 'prod');
  ok('db', 'create', 'scratch');
  const databases = ok('db', 'list')
    .trim()
    .split('\n')
    .map((line) => line.split('\t'));
  assert.deepEqual(databases.map(([db, group]) => [db, group === 'prod']).sort(), [
    ['analytics', true],
    ['app', true],
    ['scratch', false],
  ]);
  assert.match(ok('group', 'list'), /^prod\t(analytics,app|app,analytics)\n$/);

  const dbToken = ok('db', 'tokens', 'create', 'app', '-e', '7d').trim();
  const roToken = ok('db', 'tokens', 'create', 'app', '-r').trim();
  const fineToken = ok('db', 'tokens', 'create', 'app', '-p', 'comments:data_read,data_add').trim();
  const groupToken = ok('group', 'tokens', 'create', 'prod', '-e', '12h').trim();
  const scratchToken = ok('db', 'tokens', 'create', 'scratch').trim();
  const appJwks = JSON.parse(ok('jwks', 'app'));
  const analyticsJwks = JSON.parse(ok('jwks', 'analytics'));
  assert.equal(appJwks.keys.length, 2, "the database's key and its group's");
  for (const key of appJwks.keys) assert.equal(key.d, undefined, 'public keys only');

  const app = { database: 'app', group: 'prod' };
  assert.deepEqual(verifyInProject(dbToken, appJwks, app), {
    database: 'app',
    group: null,
    readOnly: false,
    permissions: null,
  });
  assert.equal(verifyInProject(roToken, appJwks, app).readOnly, true);
  assert.deepEqual(verifyInProject(fineToken, appJwks, app).permissions, [
    { tables: ['comments'], actions: ['data_read', 'data_add'] },
  ]);
  assert.equal(
    verifyInProject(groupToken, analyticsJwks, { database: 'analytics', group: 'prod' }).group,
    'prod',
  );
  assert.deepEqual(
    verifyInProject(dbToken, analyticsJwks, { database: 'analytics', group: 'prod' }),
    { code: 'ERR_TOKEN_KEY_NOT_FOUND' },
  );
  assert.deepEqual(verifyInProject(dbToken, appJwks, { database: 'analytics', group: 'prod' }), {
    code: 'ERR_TOKEN_SCOPE',
  });

  // db tokens invalidate: the database's old tokens fail, its group's tokens still work.
  ok('db', 'tokens', 'invalidate', 'app');
  const rotated = JSON.parse(ok('jwks', 'app'));
  assert.deepEqual(verifyInProject(dbToken, rotated, app), { code: 'ERR_TOKEN_KEY_NOT_FOUND' });
  assert.deepEqual(verifyInProject(roToken, rotated, app), { code: 'ERR_TOKEN_KEY_NOT_FOUND' });
  assert.equal(verifyInProject(groupToken, rotated, app).group, 'prod');
  const fresh = ok('db', 'tokens', 'create', 'app').trim();
  assert.equal(verifyInProject(fresh, rotated, app).database, 'app');

  // group tokens invalidate: every token of the group and its databases fails; scratch is untouched.
  ok('group', 'tokens', 'invalidate', 'prod');
  const after = JSON.parse(ok('jwks', 'app'));
  for (const token of [groupToken, fresh]) {
    assert.deepEqual(verifyInProject(token, after, app), { code: 'ERR_TOKEN_KEY_NOT_FOUND' });
  }
  assert.equal(
    verifyInProject(scratchToken, JSON.parse(ok('jwks', 'scratch')), { database: 'scratch' })
      .database,
    'scratch',
  );

  // A failing command changes nothing and says so with its exit status.
  const before = readFileSync(join(project, 'keys.json'), 'utf8');
  const duplicate = npx('db', 'create', 'app');
  assert.equal(duplicate.code, 1);
  assert.match(duplicate.stderr, /app/);
  assert.equal(readFileSync(join(project, 'keys.json'), 'utf8'), before);
  assert.equal(statSync(join(project, 'keys.json')).mode & 0o777, 0o600);
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
  names: API,
  grant: true,
  allowed: true,
  denied: ['data_delete'],
  kind: 'select',
  verifier: 'db1',
  error: { authz: true, error: true, name: 'AuthzError', code: 'ERR_TOKEN_SCOPE' },
  remote: 'db1',
};

function run(name, source) {
  writeFileSync(join(project, name), source);
  return JSON.parse(
    execFileSync(process.execPath, [name], { cwd: project, encoding: 'utf8' }).trim(),
  );
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

test('libsql-authz/keystore is exported (ESM), the file keystore of the CLI is not', () => {
  const source = `import { generateKeyPair, createToken, verifyToken } from 'libsql-authz';
import { emptyKeystore, createGroup, createDatabase, signingKey, databaseJwks } from 'libsql-authz/keystore';
const ks = emptyKeystore();
createGroup(ks, 'g', { generateKeyPair });
createDatabase(ks, 'app', 'g', { generateKeyPair });
const token = createToken(signingKey(ks, { group: 'g' }), { group: 'g' });
const grant = verifyToken(token, databaseJwks(ks, 'app'), { database: 'app', group: 'g' });
let hidden;
try { await import('libsql-authz/keystore-file.js'); } catch (e) { hidden = e.code; }
console.log(JSON.stringify({ group: grant.group, hidden }));`;
  assert.deepEqual(run('keystore.mjs', source), {
    group: 'g',
    hidden: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
  });
});

test('tsc --noEmit --strict of tests/types/ (every export) against the installed package', () => {
  cpSync(fileURLToPath(new URL('../types/', import.meta.url)), project, { recursive: true });
  typecheck(join(project, 'tsconfig.json'), ['--noEmit', '--strict']);
});
