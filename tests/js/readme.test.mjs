// README.md and docs/api.md stay true: every ```js block of either runs against the
// built package (imported by its name); the README's tables list every error code and
// every limit the core defines; api.md has a section for every export.
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

const apiPage = read('docs/api.md');
const apiBlocks = [...apiPage.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

for (const [page, sources] of [
  ['README', blocks],
  ['api.md', apiBlocks],
]) {
  sources.forEach((source, index) => {
    const firstLine =
      source.split('\n').find((line) => line.trim() && !line.startsWith('import')) ?? '';
    test(`${page} js block ${index + 1}: ${firstLine.trim().slice(0, 60)}`, () => {
      runConsumer(`${page.replace('.', '-')}-${index + 1}.mjs`, source);
    });
  });
}

test('docs/api.md has a section for every export, and runnable examples', async () => {
  const api = await import('../../pkg/node.mjs');
  for (const name of Object.keys(api)) assert.match(apiPage, new RegExp(`^### \`${name}\`$`, 'm'));
  assert.ok(apiBlocks.length >= 4);
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
