// index.d.ts: precise (no `any`), in step with what the package exports, and usable as
// docs/api.md describes the API: tests/types/usage.ts (ESM) and usage.cts (CommonJS)
// compiled with `tsc --strict`, resolving `libsql-authz` through the package's exports.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as api from '../../pkg/node.mjs';
import { consumerDir, pkgDir, typecheck } from './helpers.mjs';

const dts = readFileSync(join(pkgDir, 'index.d.ts'), 'utf8');
const code = dts.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');

test('index.d.ts never says any', () => {
  assert.doesNotMatch(code, /\bany\b/);
});

test('index.d.ts declares exactly the runtime exports', () => {
  const declared = [...code.matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map(
    (m) => m[1],
  );
  assert.deepEqual(declared.sort(), Object.keys(api).sort());
});

test('keystore.d.ts declares exactly the exports of libsql-authz/keystore', async () => {
  const keystore = await import('../../pkg/keystore.js');
  const kdts = readFileSync(join(pkgDir, 'keystore.d.ts'), 'utf8').replace(/\/\/.*$/gm, '');
  assert.doesNotMatch(kdts, /\bany\b/);
  const declared = [...kdts.matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)];
  assert.deepEqual(declared.map((m) => m[1]).sort(), Object.keys(keystore).sort());
});

test('every error code of the core is in the ErrorCode type', () => {
  const rust = readFileSync(fileURLToPath(new URL('../../src/error.rs', import.meta.url)), 'utf8');
  const codes = [...rust.matchAll(/=> "(ERR_[A-Z_]+)"/g)].map((m) => m[1]);
  const typed = [...code.matchAll(/['"](ERR_[A-Z_]+)['"]/g)].map((m) => m[1]);
  assert.ok(codes.length > 0);
  assert.deepEqual([...new Set(typed)].sort(), codes.sort());
});

test('usage.ts and usage.cts type-check with tsc --strict against the package', () => {
  const dir = consumerDir();
  cpSync(fileURLToPath(new URL('../types/', import.meta.url)), dir, { recursive: true });
  typecheck(join(dir, 'tsconfig.json'));
});
