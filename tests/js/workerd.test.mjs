// The `workerd` entry in the real Workers runtime (npm `workerd`): `workerd test` runs
// each `test()` export of tests/workerd/worker.js and prints PASS / FAIL per export.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pkgDir, tempDir } from './helpers.mjs';
import { WORKERD_MODULES } from './support/package.mjs';

const workerd = fileURLToPath(new URL('../../node_modules/.bin/workerd', import.meta.url));

function runWorkerTests(compatibilityDate) {
  const dir = tempDir('libsql-authz-workerd-');
  cpSync(fileURLToPath(new URL('../workerd/worker.js', import.meta.url)), join(dir, 'worker.js'));
  cpSync(fileURLToPath(new URL('support/package.mjs', import.meta.url)), join(dir, 'package.mjs'));
  cpSync(pkgDir, join(dir, 'libsql-authz'), { recursive: true });
  const modules = [
    '(name = "worker.js", esModule = embed "worker.js")',
    '(name = "package.mjs", esModule = embed "package.mjs")',
    ...WORKERD_MODULES.map(
      (f) => `(name = "libsql-authz/${f}", esModule = embed "libsql-authz/${f}")`,
    ),
    '(name = "libsql-authz/libsql_authz_bg.wasm", wasm = embed "libsql-authz/libsql_authz_bg.wasm")',
  ];
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (services = [(name = "main", worker = .worker)]);
const worker :Workerd.Worker = (modules = [${modules.join(', ')}], compatibilityDate = "${compatibilityDate}");
`,
  );
  const run = spawnSync(workerd, ['test', 'config.capnp'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return `${run.stdout}\n${run.stderr}`;
}

// Today's Workers have node:crypto (nodejs_compat is the default from 2026-08-04) and
// check signatures with it; older ones without the flag keep the wasm's arithmetic.
const runs = { 'node:crypto': '2026-11-01', none: '2024-09-01' };
for (const [host, compatibilityDate] of Object.entries(runs)) {
  const output = runWorkerTests(compatibilityDate);
  for (const name of ['entry', 'tokens', 'remoteJwks', 'security', 'signatureHost']) {
    test(`workerd ${compatibilityDate}: ${name}`, () => {
      assert.match(output, new RegExp(`\\[ PASS \\] main:${name}\\b`), output);
    });
  }
  test(`workerd ${compatibilityDate}: signature host ${host}`, () => {
    assert.match(output, new RegExp(`signature host: ${host}$`, 'm'), output);
  });
}
