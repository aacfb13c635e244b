// Shared by the Node tests: where the built package is, and a way to run a script that
// imports it by its name (`libsql-authz`) so that package.json's conditional exports
// are what resolves it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));

/**
 * A fresh directory whose node_modules/libsql-authz is the built pkg/: a symlink, or a
 * copy as `npm install` makes (tools that refuse files outside their root need that).
 */
export function consumerDir({ copy = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'libsql-authz-consumer-'));
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
