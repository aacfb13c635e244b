// Compares builds of the package (lever experiments): loads each pkg dir given on the
// command line in this one process and times the same operations on each, interleaved.
//   node benches/node/compare.mjs /tmp/pkg-a /tmp/pkg-b [...]
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { FIRST_SEEN_TEXTS, statements, variant } from './statements.mjs';

const root = new URL('../../', import.meta.url);
const data = JSON.parse(readFileSync(new URL('benches/data/tokens.json', root), 'utf8'));
const dirs = process.argv.slice(2);
const mods = [];
for (const dir of dirs) mods.push(await import(`${dir}/node.mjs?${mods.length}`));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ops = {};
for (const [alg, token] of Object.entries(data.tokens)) {
  ops[`verifyToken ${alg}`] = (m) => () =>
    m.verifyToken(token, data.jwks, { database: 'db1', now: data.now });
  ops[`repeated ${alg}`] = (m) => {
    const v = new m.Verifier(data.jwks, { database: 'db1' });
    return () => v.verify(token, { now: data.now });
  };
}
for (const label of [
  'typical',
  'short select',
  'short update',
  'short delete',
  '10-way join',
  'INSERT 200 rows',
]) {
  ops[`checkStatement ${label}`] = (m) => {
    const g = m.verifyToken(data.tokens.EdDSA, data.jwks, { now: data.now });
    return () => m.checkStatement(g, statements[label]);
  };
}
for (const label of ['typical', 'short select', 'short delete']) {
  const texts = Array.from({ length: FIRST_SEEN_TEXTS }, (_, i) => variant(statements[label], i));
  ops[`checkStatement ${label} (first seen)`] = (m) => {
    const g = m.verifyToken(data.tokens.EdDSA, data.jwks, { now: data.now });
    let i = 0;
    return () => m.checkStatement(g, texts[i++ % texts.length]);
  };
}
const rows = [];
for (const [name, make] of Object.entries(ops)) {
  const fns = mods.map(make);
  const times = fns.map(() => []);
  // Warm up (wasm tier-up, JIT) before timing.
  for (const fn of fns) for (const t0 = performance.now(); performance.now() - t0 < 300; ) fn();
  for (let r = 0; r < 9; r++) {
    fns.forEach((fn, i) => {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 60) {
        fn();
        n++;
      }
      times[i].push(((performance.now() - t0) * 1000) / n);
    });
  }
  const med = times.map(median);
  rows.push(
    `| ${name} | ${med.map((t) => t.toFixed(2)).join(' | ')} | ${med
      .slice(1)
      .map((t) => `${(med[0] / t).toFixed(2)}×`)
      .join(' | ')} |`,
  );
}
console.log(`| op (µs) | ${dirs.join(' | ')} | speed-up vs first |`);
for (const r of rows) console.log(r);
for (const dir of dirs) {
  const w = readFileSync(`${dir}/libsql_authz_bg.wasm`);
  console.log(dir, w.length, 'raw', zlib.gzipSync(w, { level: 9 }).length, 'gzip');
}
