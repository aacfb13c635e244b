// The verification and statement figures inside workerd (npm `workerd`, `workerd serve`
// on loopback). Timers do not advance inside a Worker during synchronous work, so the
// Worker runs N operations per request and this script times the requests, minus an
// n=0 request measured next to it. Writes benches/results/workerd.json.
//   node benches/workerd/run.mjs [--rounds 5]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { SignJWT, importJWK } from 'jose';
import { WORKERD_MODULES } from '../../tests/js/support/package.mjs';
import { FIRST_SEEN_TEXTS, statements, variant } from '../node/statements.mjs';

const root = new URL('../../', import.meta.url);
const path = (p) => fileURLToPath(new URL(p, root));
const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || 5;
const pkg = process.env.BENCH_PKG ?? path('pkg');
const dir = mkdtempSync(join(tmpdir(), 'libsql-authz-bench-workerd-'));

// Tokens: 256 distinct per algorithm (first-seen), signed with the test fixtures' keys.
const tokensFile = JSON.parse(readFileSync(path('benches/data/tokens.json'), 'utf8'));
const files = {
  EdDSA: 'ed25519.private.jwk.json',
  ES256: 'p256.private.jwk.json',
  RS256: 'rsa2048.private.jwk.json',
};
const fresh = {};
for (const [alg, file] of Object.entries(files)) {
  const jwk = JSON.parse(readFileSync(path(`tests/fixtures/${file}`), 'utf8'));
  const key = await importJWK({ ...jwk, alg }, alg);
  fresh[alg] = await Promise.all(
    Array.from({ length: 256 }, (_, i) =>
      new SignJWT({
        id: 'db1',
        a: 'rw',
        perm: [{ t: ['comments'], a: ['data_read', 'data_add'] }],
        jti: `t${i}`,
      })
        .setProtectedHeader({ alg, typ: 'JWT', kid: `k-${alg}` })
        .setIssuedAt(1_767_225_600)
        .setExpirationTime(4_102_444_800)
        .sign(key),
    ),
  );
}
const firstSeen = Object.fromEntries(
  Object.entries(statements).map(([label, sql]) => [
    label,
    Array.from({ length: FIRST_SEEN_TEXTS }, (_, i) => variant(sql, i)),
  ]),
);
writeFileSync(
  join(dir, 'data.json'),
  JSON.stringify({ now: tokensFile.now, jwks: tokensFile.jwks, fresh, statements, firstSeen }),
);
cpSync(path('benches/workerd/worker.js'), join(dir, 'worker.js'));
cpSync(pkg, join(dir, 'libsql-authz'), { recursive: true });
const esbuild = path('node_modules/.bin/esbuild');
const b = spawnSync(
  esbuild,
  [
    path('benches/workerd/peers.js'),
    '--bundle',
    '--format=esm',
    '--platform=browser',
    '--conditions=workerd,worker,browser',
    `--outfile=${join(dir, 'peers.js')}`,
  ],
  { encoding: 'utf8' },
);
if (b.status !== 0) throw new Error(b.stderr);

const port = 18000 + Math.floor(Math.random() * 2000);
const modules = [
  '(name = "worker.js", esModule = embed "worker.js")',
  '(name = "peers.js", esModule = embed "peers.js")',
  '(name = "data.json", json = embed "data.json")',
  ...WORKERD_MODULES.map(
    (f) => `(name = "libsql-authz/${f}", esModule = embed "libsql-authz/${f}")`,
  ),
  '(name = "libsql-authz/libsql_authz_bg.wasm", wasm = embed "libsql-authz/libsql_authz_bg.wasm")',
];
writeFileSync(
  join(dir, 'config.capnp'),
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (services = [(name = "main", worker = .worker)], sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")]);
const worker :Workerd.Worker = (modules = [${modules.join(', ')}], compatibilityDate = "2026-11-01");
`,
);
const workerdBin = path('node_modules/.bin/workerd');
const version = spawnSync(workerdBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
const server = spawn(workerdBin, ['serve', 'config.capnp'], {
  cwd: dir,
  stdio: ['ignore', 'inherit', 'inherit'],
});
try {
  const base = `http://127.0.0.1:${port}`;
  let names;
  for (let i = 0; ; i++) {
    try {
      names = await (await fetch(`${base}/cases`)).json();
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const timeReq = async (name, n) => {
    const t0 = performance.now();
    const r = await fetch(`${base}/?case=${encodeURIComponent(name)}&n=${n}`);
    if (!r.ok) throw new Error(`${name}: ${await r.text()}`);
    await r.arrayBuffer();
    return performance.now() - t0;
  };
  const ns = {};
  for (const name of names) {
    let n = 1;
    for (;;) {
      const t = (await timeReq(name, n)) - (await timeReq(name, 0));
      if (t > 60 || n > 1e6) {
        ns[name] = Math.max(1, Math.round((n * 200) / Math.max(t, 1)));
        break;
      }
      n *= 4;
    }
  }
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of [...names].sort(() => Math.random() - 0.5)) {
      const full = await timeReq(name, ns[name]);
      const empty = await timeReq(name, 0);
      samples[name].push(((full - empty) * 1000) / ns[name]);
    }
    process.stderr.write(`workerd round ${r + 1}/${ROUNDS}\n`);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const groups = [];
  for (const group of [...new Set(names.map((n) => n.split('|')[0]))]) {
    const members = names.filter((n) => n.startsWith(`${group}|`));
    const ours = members.find((n) => n.includes('libsql-authz'));
    groups.push({
      group,
      rows: members.map((n) => ({
        name: n.split('|')[1],
        ours: n === ours,
        us: median(samples[n]),
        ratioVsOurs: median(samples[n].map((x, i) => x / samples[ours][i])),
      })),
    });
  }
  mkdirSync(path('benches/results'), { recursive: true });
  const out = {
    date: new Date().toISOString(),
    workerdVersion: version,
    rounds: ROUNDS,
    method:
      'workerd serve on loopback, N operations per request timed from Node minus an n=0 request',
    groups,
  };
  writeFileSync(path('benches/results/workerd.json'), `${JSON.stringify(out, null, 2)}\n`);
  for (const g of groups)
    for (const r of g.rows)
      console.log(`${g.group} | ${r.name} | ${r.us.toFixed(2)} µs | ${r.ratioVsOurs.toFixed(2)}×`);
} finally {
  server.kill();
}
