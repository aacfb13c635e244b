// README.md stays true: every ```js block runs against the built package (imported by
// its name), and its tables list every error code and every limit the core defines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runConsumer } from './helpers.mjs';

const read = (path) =>
  readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
const readme = read('README.md');

test('the first lines give the fresh-machine commands', () => {
  const top = readme.split('\n').slice(0, 12).join('\n');
  assert.match(top, /^make demo/m);
  assert.match(top, /^make test/m);
});

// Blocks fenced as exactly ```js run; ```js norun ones need a network or a provider.
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

test('README has runnable js blocks', () => {
  assert.ok(blocks.length >= 3);
});

blocks.forEach((source, index) => {
  const firstLine =
    source.split('\n').find((line) => line.trim() && !line.startsWith('import')) ?? '';
  test(`README js block ${index + 1}: ${firstLine.trim().slice(0, 60)}`, () => {
    runConsumer(`readme-${index + 1}.mjs`, source);
  });
});

test('every error code of src/error.rs is in the table', () => {
  const codes = [...read('src/error.rs').matchAll(/=> "(ERR_[A-Z_]+)"/g)].map((m) => m[1]);
  assert.ok(codes.length > 0);
  for (const code of codes) assert.match(readme, new RegExp(`^\\| \`${code}\` \\|`, 'm'), code);
});

test('every limit of src/limits.rs is in the table', () => {
  const limits = [...read('src/limits.rs').matchAll(/pub const ([A-Z0-9_]+)/g)].map((m) => m[1]);
  assert.ok(limits.length > 0);
  for (const limit of limits) assert.match(readme, new RegExp(`^\\| \`${limit}\` \\|`, 'm'), limit);
});
