// Side-by-side benchmark of the built package (pkg/) against its peers on Node:
// jose, @tsndr/cloudflare-worker-jwt, node-sql-parser and raw node:crypto (the floor).
//
// Every case runs once per round, in a shuffled order, for ROUNDS rounds; a ratio is
// computed inside each round (both sides measured seconds apart on the same noisy
// machine) and the median ratio over rounds is reported. Writes benches/results/node.json
// and benches/results/ratios.svg; `--update-doc` rewrites the generated part of
// BENCHMARKS.md (between its markers) from these results plus benches/results/workerd.json.
//
//   node benches/node/bench.mjs [--rounds 7] [--quick] [--update-doc]
import { createPublicKey, verify as cryptoVerify, webcrypto } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { SignJWT, importJWK, jwtVerify } from 'jose';
import tsndr from '@tsndr/cloudflare-worker-jwt';
import { FIRST_SEEN_TEXTS, statements, typicalStatement, variant } from './statements.mjs';
import { renderSvg, renderTable } from './report.mjs';

const root = new URL('../../', import.meta.url);
const path = (p) => fileURLToPath(new URL(p, root));
const require = createRequire(import.meta.url);
const { Parser } = require('node-sql-parser/build/sqlite');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || (quick ? 3 : 7);
const TARGET_MS = quick ? 40 : 150; // time per case per round

const pkgDir = process.env.BENCH_PKG
  ? new URL(`file://${process.env.BENCH_PKG}/`)
  : new URL('pkg/', root);
const authz = await import(new URL('node.mjs', pkgDir));
const { Verifier, verifyToken, checkStatement } = authz;

// ---------- fixtures: keys and tokens ----------
const fixture = (name) => JSON.parse(readFileSync(path(`tests/fixtures/${name}`), 'utf8'));
const publicOf = ({ d, p, q, dp, dq, qi, ...pub }) => pub;
const algs = {
  EdDSA: fixture('ed25519.private.jwk.json'),
  RS256: fixture('rsa2048.private.jwk.json'),
  ES256: fixture('p256.private.jwk.json'),
};
const NOW = Math.floor(Date.now() / 1000);
const FRESH = 512; // distinct tokens per algorithm for "first seen" (below the Verifier cache size)

const setup = {};
for (const [alg, jwk] of Object.entries(algs)) {
  const pubJwk = { ...publicOf(jwk), alg, kid: `k-${alg}` };
  const signKey = await importJWK({ ...jwk, alg }, alg);
  const mint = (i) =>
    new SignJWT({
      id: 'db1',
      a: 'rw',
      perm: [{ t: ['comments'], a: ['data_read', 'data_add'] }],
      jti: `t${i}`,
    })
      .setProtectedHeader({ alg, typ: 'JWT', kid: `k-${alg}` })
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 3600)
      .sign(signKey);
  const tokens = await Promise.all(Array.from({ length: FRESH }, (_, i) => mint(i)));
  const keyObject = createPublicKey({ key: pubJwk, format: 'jwk' });
  const webKey = await webcrypto.subtle.importKey(
    'jwk',
    pubJwk,
    alg === 'EdDSA'
      ? { name: 'Ed25519' }
      : alg === 'RS256'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  // The floor: node:crypto verifying the same signing input, tokens pre-split.
  const split = tokens.map((t) => {
    const i = t.lastIndexOf('.');
    return [Buffer.from(t.slice(0, i)), Buffer.from(t.slice(i + 1), 'base64url')];
  });
  setup[alg] = { pubJwk, jwks: { keys: [pubJwk] }, tokens, keyObject, webKey, split };
}

// ---------- the measurement loop ----------
// A case is { name, group, fn, async } ; fn(i) runs one operation (i = iteration index).
const cases = [];
const add = (group, name, fn, opts = {}) => cases.push({ group, name, fn, ...opts });

async function timeCase(c) {
  // Calibrate the number of iterations to about TARGET_MS.
  let n = c.n ?? 0;
  if (!n) {
    n = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) c.async ? await c.fn(i) : c.fn(i);
      const dt = performance.now() - t0;
      if (dt > 10 || n >= 1 << 20) {
        c.n = n = Math.max(1, Math.round((n * TARGET_MS) / Math.max(dt, 0.001)));
        break;
      }
      n *= 4;
    }
  }
  const t0 = performance.now();
  if (c.async) for (let i = 0; i < n; i++) await c.fn(i);
  else for (let i = 0; i < n; i++) c.fn(i);
  return ((performance.now() - t0) * 1000) / n; // µs per op
}

const opts = { database: 'db1', now: NOW };

// First-seen token verification: each call sees a token it never saw (Verifier: new
// verifier per pass over the token list, so every call is a cache miss).
for (const alg of ['EdDSA', 'ES256', 'RS256']) {
  const s = setup[alg];
  const group = `first-seen ${alg}`;
  let verifier = null;
  add(
    group,
    'libsql-authz Verifier',
    (i) => {
      const k = i % FRESH;
      if (k === 0) {
        verifier?.free(); // as a server that rotates verifiers would: no leftover cache for the GC
        verifier = new Verifier(s.jwks, { database: 'db1' });
      }
      verifier.verify(s.tokens[k], { now: NOW });
    },
    { ours: true },
  );
  add(
    group,
    'libsql-authz verifyToken (JWKS each call)',
    (i) => verifyToken(s.tokens[i % FRESH], s.jwks, opts),
    { ours: true, secondary: true },
  );
  add(
    group,
    'jose jwtVerify (KeyObject)',
    (i) => jwtVerify(s.tokens[i % FRESH], s.keyObject, { currentDate: new Date(NOW * 1000) }),
    { async: true },
  );
  add(
    group,
    'jose jwtVerify (WebCrypto key)',
    (i) => jwtVerify(s.tokens[i % FRESH], s.webKey, { currentDate: new Date(NOW * 1000) }),
    { async: true },
  );
  if (alg !== 'EdDSA') {
    add(
      group,
      '@tsndr/cloudflare-worker-jwt',
      (i) => tsndr.verify(s.tokens[i % FRESH], s.pubJwk, { algorithm: alg, throwError: true }),
      { async: true },
    );
  }
  const algo = alg === 'EdDSA' ? null : 'sha256';
  const dsa = alg === 'ES256' ? { key: s.keyObject, dsaEncoding: 'ieee-p1363' } : s.keyObject;
  add(
    group,
    'node:crypto verify (floor: signature only)',
    (i) => {
      const [data, sig] = s.split[i % FRESH];
      if (!cryptoVerify(algo, data, dsa, sig)) throw new Error('bad signature');
    },
    { floor: true },
  );
}

// Repeated token: the same token again and again (a session's requests).
for (const alg of ['EdDSA', 'ES256', 'RS256']) {
  const s = setup[alg];
  const group = `repeated ${alg}`;
  const token = s.tokens[0];
  const verifier = new Verifier(s.jwks, { database: 'db1' });
  add(group, 'libsql-authz Verifier', () => verifier.verify(token, { now: NOW }), { ours: true });
  add(
    group,
    'jose jwtVerify (KeyObject)',
    () => jwtVerify(token, s.keyObject, { currentDate: new Date(NOW * 1000) }),
    { async: true },
  );
  add(
    group,
    'jose jwtVerify (WebCrypto key)',
    () => jwtVerify(token, s.webKey, { currentDate: new Date(NOW * 1000) }),
    { async: true },
  );
  if (alg !== 'EdDSA')
    add(
      group,
      '@tsndr/cloudflare-worker-jwt',
      () => tsndr.verify(token, s.pubJwk, { algorithm: alg, throwError: true }),
      { async: true },
    );
}

// Statements: checkStatement vs node-sql-parser's tableList (sqlite dialect).
const grant = verifyToken(setup.EdDSA.tokens[0], setup.EdDSA.jwks, opts);
const parser = new Parser();
const sqlOpt = { database: 'sqlite' };
const statementSupport = {};
for (const [label, sql] of Object.entries(statements)) {
  let peerOk = true;
  try {
    parser.tableList(sql, sqlOpt);
  } catch {
    peerOk = false;
  }
  const ours = checkStatement(grant, sql);
  statementSupport[label] = {
    bytes: Buffer.byteLength(sql),
    peerParses: peerOk,
    oursError: ours.error?.code ?? null,
  };
  // Repeated: the same text on every call, as an application sends its prepared
  // statements (checkStatement remembers the analysis; the grant is checked every call).
  const group = `statement: ${label}`;
  add(group, 'libsql-authz checkStatement', () => checkStatement(grant, sql), {
    ours: true,
    bytes: Buffer.byteLength(sql),
  });
  if (peerOk)
    add(group, 'node-sql-parser tableList', () => parser.tableList(sql, sqlOpt), {
      bytes: Buffer.byteLength(sql),
    });
  // First seen: a text neither side saw before on every call (the parser's full cost).
  const texts = Array.from({ length: FIRST_SEEN_TEXTS }, (_, i) => variant(sql, i));
  const firstSeen = `statement (first seen): ${label}`;
  add(
    firstSeen,
    'libsql-authz checkStatement',
    (i) => checkStatement(grant, texts[i % FIRST_SEEN_TEXTS]),
    { ours: true },
  );
  if (peerOk)
    add(firstSeen, 'node-sql-parser tableList', (i) =>
      parser.tableList(texts[i % FIRST_SEEN_TEXTS], sqlOpt),
    );
}

// ---------- run: interleaved rounds ----------
const samples = new Map(cases.map((c) => [c, []]));
function shuffle(list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
// Warm up every case (JIT, wasm tier-up) before the first timed round.
for (const c of cases) await timeCase(c);
for (let r = 0; r < ROUNDS; r++) {
  for (const c of shuffle([...cases])) samples.get(c).push(await timeCase(c));
  process.stderr.write(`round ${r + 1}/${ROUNDS}\n`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const groups = [];
for (const group of [...new Set(cases.map((c) => c.group))]) {
  const members = cases.filter((c) => c.group === group);
  const ours = members.find((c) => c.ours);
  const rows = members.map((c) => {
    const xs = samples.get(c);
    // Ratio per round: the peer's time over ours in that same round.
    const ratios = xs.map((x, i) => x / samples.get(ours)[i]);
    return {
      name: c.name,
      ours: !!c.ours,
      floor: !!c.floor,
      secondary: !!c.secondary,
      us: median(xs),
      usMin: Math.min(...xs),
      nsPerByte: c.bytes ? (median(xs) * 1000) / c.bytes : undefined,
      ratioVsOurs: median(ratios),
    };
  });
  groups.push({ group, rows });
}

// ---------- cold start and size ----------
// Each figure is timed inside a fresh Node process (median over n processes).
function coldStart(n) {
  const entry = (file) => JSON.stringify(fileURLToPath(new URL(file, pkgDir)));
  const emptyModule = `${os.tmpdir()}/libsql-authz-bench-empty.mjs`;
  writeFileSync(emptyModule, 'export const empty = true;\n');
  const timed = (body) => `const t0 = performance.now(); ${body}; const t1 = performance.now();`;
  const scripts = {
    // The package as an ESM user loads it, then its first call (V8 compiles wasm
    // functions lazily, on their first call).
    load: [
      'module',
      `${timed(`const m = await import(${entry('node.mjs')})`)} m.analyzeStatement('SELECT 1');
console.log(JSON.stringify({ load: t1 - t0, firstCall: performance.now() - t1 }));`,
    ],
    // Node's own floor for any first `import()` in a process: an empty module.
    emptyImport: [
      'module',
      `${timed(`await import(${JSON.stringify(emptyModule)})`)} console.log(t1 - t0);`,
    ],
    // The CommonJS entry (node.cjs), which `require` loads without the ESM loader.
    require: ['commonjs', `${timed(`require(${entry('node.cjs')})`)} console.log(t1 - t0);`],
    // The floor of any load: V8 compiling the module's bytes, nothing else.
    compile: [
      'commonjs',
      `const bytes = require('node:fs').readFileSync(${entry('libsql_authz_bg.wasm')});
${timed('new WebAssembly.Module(bytes)')} console.log(t1 - t0);`,
    ],
    // Wall time of whole processes: one that loads the package and makes one call,
    // and one that imports node:fs only.
    processWall: [
      'module',
      `const m = await import(${entry('node.mjs')}); m.analyzeStatement('SELECT 1');`,
    ],
    emptyProcessWall: ['module', `await import('node:fs');`],
  };
  const out = Object.fromEntries(['firstCall', ...Object.keys(scripts)].map((key) => [key, []]));
  for (let i = 0; i < n; i++) {
    for (const [key, [type, code]] of Object.entries(scripts)) {
      const t0 = performance.now();
      const run = spawnSync(process.execPath, [`--input-type=${type}`, '-e', code], {
        encoding: 'utf8',
      });
      const wall = performance.now() - t0;
      if (run.status !== 0) throw new Error(run.stderr);
      if (key === 'load') {
        const { load, firstCall } = JSON.parse(run.stdout);
        out.load.push(load);
        out.firstCall.push(firstCall);
      } else {
        out[key].push(key.endsWith('Wall') ? wall : Number(run.stdout));
      }
    }
  }
  return {
    ...Object.fromEntries(Object.entries(out).map(([key, xs]) => [key, median(xs)])),
    runs: n,
  };
}
const cold = coldStart(quick ? 5 : 21);

const wasm = readFileSync(fileURLToPath(new URL('libsql_authz_bg.wasm', pkgDir)));
const size = {
  raw: wasm.length,
  gzip: zlib.gzipSync(wasm, { level: 9 }).length,
  brotli: zlib.brotliCompressSync(wasm, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })
    .length,
};

const typical = groups.find((g) => g.group === `statement: ${typicalStatement}`);
const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  },
  rounds: ROUNDS,
  versions: Object.fromEntries(
    ['jose', '@tsndr/cloudflare-worker-jwt', 'node-sql-parser'].map((n) => [
      n,
      JSON.parse(readFileSync(path(`node_modules/${n}/package.json`), 'utf8')).version,
    ]),
  ),
  groups,
  statementSupport,
  typicalStatement: {
    label: typicalStatement,
    bytes: statementSupport[typicalStatement].bytes,
    us: typical.rows.find((r) => r.ours).us,
    firstSeenUs: groups
      .find((g) => g.group === `statement (first seen): ${typicalStatement}`)
      .rows.find((r) => r.ours).us,
  },
  coldStart: cold,
  size,
};

mkdirSync(path('benches/results'), { recursive: true });
writeFileSync(path('benches/results/node.json'), `${JSON.stringify(results, null, 2)}\n`);
const workerdFile = path('benches/results/workerd.json');
const workerd = existsSync(workerdFile) ? JSON.parse(readFileSync(workerdFile, 'utf8')) : null;
writeFileSync(path('benches/results/ratios.svg'), renderSvg(results, workerd));
const table = renderTable(results, workerd);
console.log(table);
if (args.includes('--update-doc')) {
  const doc = path('BENCHMARKS.md');
  const text = readFileSync(doc, 'utf8');
  const begin = '<!-- bench:begin (generated by benches/node/bench.mjs --update-doc) -->';
  const end = '<!-- bench:end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < 0) throw new Error('BENCHMARKS.md has no bench markers');
  writeFileSync(doc, `${text.slice(0, a + begin.length)}\n${table}\n${text.slice(b)}`);
}
