// Shared by the Node tests: where the built package is, and a way to run a script that
// imports it by its name (`libsql-authz`) so that package.json's conditional exports
// are what resolves it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { API } from './support/package.mjs';

export const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));

const made = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * A fresh directory whose node_modules/libsql-authz is the built pkg/: a symlink, or a
 * copy as `npm install` makes (tools that refuse files outside their root need that).
 */
export function consumerDir({ copy = false } = {}) {
  const dir = tempDir('libsql-authz-consumer-');
  mkdirSync(join(dir, 'node_modules'));
  const target = join(dir, 'node_modules', 'libsql-authz');
  if (copy) cpSync(pkgDir, target, { recursive: true });
  else symlinkSync(pkgDir, target, 'dir');
  return dir;
}

/** Runs `source` as file `name` in a consumer directory; returns its stdout. */
export function runConsumer(name, source, nodeArgs = []) {
  const dir = consumerDir();
  writeFileSync(join(dir, name), source);
  return execFileSync(process.execPath, [...nodeArgs, name], { cwd: dir, encoding: 'utf8' });
}

/** Runs `tsc` (the pinned TypeScript) on the project `tsconfig`, with `args` before `-p`;
 * its diagnostics are the failure message. */
export function typecheck(tsconfig, args = []) {
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  try {
    execFileSync(process.execPath, [tsc, ...args, '-p', tsconfig], { encoding: 'utf8' });
  } catch (error) {
    assert.fail(error.stdout || String(error));
  }
}

/** Asserts that `fn` throws an error of class `AuthzError` (the package's) with `code`. */
export function assertThrowsCode(AuthzError, fn, code) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof AuthzError, `not an AuthzError: ${error}`);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'AuthzError');
    assert.equal(error.code, code, error.message);
    return true;
  });
}
