// The boundary's contract, tests/golden/boundary.json: written from the Rust types by
// src/ffi/tests.rs (the serde JSON of each analysis and decision, and each decision's
// wire fields). Here both JS ends are held to it: js/wire.js must read every wire back
// into exactly that decision, and index.d.ts must type the file (`tsc --strict`, where an
// object literal with a member the declarations lack, or without one they require, is an
// error). So the Rust types, index.d.ts and the decoder cannot drift apart.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decisionFrom } from '../../js/wire.js';
import { pkgDir, tempDir, typecheck } from './helpers.mjs';

const golden = JSON.parse(
  readFileSync(new URL('../golden/boundary.json', import.meta.url), 'utf8'),
);

test('the golden file covers allowed and denied accesses, errors, texts sent as text', () => {
  const wires = golden.cases.flatMap((c) => c.decisions.map((d) => d.wire));
  assert.ok(wires.some((w) => w.startsWith('o')) && wires.some((w) => w.startsWith('t')));
  const decisions = golden.cases.flatMap((c) => c.decisions.map((d) => d.decision));
  assert.ok(decisions.some((d) => d.allowed) && decisions.some((d) => d.denied.length > 1));
  assert.ok(decisions.some((d) => d.error) && decisions.some((d) => d.statements.length === 0));
});

test('js/wire.js reads every wire of the golden file back into its decision', () => {
  for (const { sql, decisions } of golden.cases) {
    for (const { grant, wire, decision } of decisions) {
      assert.deepEqual(decisionFrom(wire, sql), decision, `${grant}: ${JSON.stringify(sql)}`);
    }
  }
});

test('index.d.ts types every value of the golden file (tsc --strict)', () => {
  const dir = tempDir('libsql-authz-boundary-');
  const types = join(pkgDir, 'index.js');
  const values = (pick) => JSON.stringify(golden.cases.flatMap(pick), null, 1);
  writeFileSync(
    join(dir, 'golden.mts'),
    [
      `import type { Analysis, Decision, Rule, StatementKind } from ${JSON.stringify(types)};`,
      `export const kinds: StatementKind[] = ${JSON.stringify(golden.kinds)};`,
      `export const analyses: Analysis[] = ${values((c) => [c.analysis])};`,
      `export const decisions: Decision[] = ${values((c) => c.decisions.map((d) => d.decision))};`,
      `export const rules: (Rule[] | null)[] = ${JSON.stringify(golden.grants.map((g) => g.permissions))};`,
      '',
    ].join('\n'),
  );
  // The compiler options tests/types/ is checked with, on this one file.
  const { compilerOptions } = JSON.parse(
    readFileSync(new URL('../types/tsconfig.json', import.meta.url), 'utf8'),
  );
  const config = { compilerOptions, files: ['golden.mts'] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  typecheck(join(dir, 'tsconfig.json'));
});
