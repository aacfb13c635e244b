// createRemoteJwks (js/remote-jwks.js, the package's only remote JWKS) with a fake
// fetch and a fake clock: caching, cooldown, one fetch in flight under concurrency,
// rotation picked up on an unknown kid, failure recovery, hung fetches, and a Verifier
// kept in sync. Against the package's own export (ESM and CJS), and inside workerd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { authz } from './support/authz.mjs';
import { createRemoteJwks as unbound } from '../../js/remote-jwks.js';

// The package exports it already bound to its Verifier and AuthzError.
const { createRemoteJwks } = authz;
const URL_ = 'https://auth.example.com/.well-known/jwks.json';

function pair() {
  const p = authz.generateKeyPair();
  const kid = p.kid ?? p.publicJwk.kid;
  return {
    kid,
    priv: { ...p.privateJwk, kid },
    pub: { kty: 'OKP', crv: 'Ed25519', x: p.publicJwk.x, kid, alg: 'EdDSA' },
  };
}

/** A fake server: `serve` decides each answer; `gate()` holds answers until released. */
function fakeServer() {
  const s = {
    calls: 0,
    requests: [],
    jwks: { keys: [] },
    fail: null, // "network" | number (HTTP status) | "json" | "shape"
    held: null,
    gate() {
      let release;
      const p = new Promise((r) => {
        release = r;
      });
      s.held = { p, release };
      return release;
    },
    fetch: async (url, init) => {
      s.calls += 1;
      s.requests.push({ url, init });
      if (s.held) await s.held.p;
      if (s.fail === 'network') throw new TypeError('network down');
      if (typeof s.fail === 'number') return new Response('nope', { status: s.fail });
      if (s.fail === 'json') return new Response('{not json', { status: 200 });
      if (s.fail === 'shape') return new Response('{"kids": []}', { status: 200 });
      return new Response(JSON.stringify(s.jwks), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  };
  return s;
}

function clock(start = 1_000_000) {
  const c = {
    t: start,
    now: () => c.t,
    advance: (ms) => {
      c.t += ms;
    },
  };
  return c;
}

const kidsOf = (jwks) => jwks.keys.map((k) => k.kid);

/** A server with key `a`, key `b` still unpublished, a clock, a 30 s cooldown. */
function keyRotation() {
  const s = fakeServer();
  const a = pair();
  const b = pair();
  s.jwks = { keys: [a.pub] };
  const c = clock();
  const remote = createRemoteJwks(URL_, { fetch: s.fetch, now: c.now, cooldown: 30_000 });
  return { s, a, b, c, remote };
}

test('the module is Workers-safe: no imports but the error class, no top-level I/O', () => {
  const src = fs.readFileSync(new URL('../../js/remote-jwks.js', import.meta.url), 'utf8');
  const errors = fs.readFileSync(new URL('../../js/errors.js', import.meta.url), 'utf8');
  const imports = src.match(/^import\s.*$/gm);
  assert.deepEqual(imports, ["import { AuthzError } from './errors.js';"], 'no node: modules');
  assert.doesNotMatch(errors, /^\s*import\s/m, 'errors.js imports nothing');
  for (const text of [src, errors])
    assert.doesNotMatch(text, /\b(process|Buffer|require|setTimeout|setInterval)\b/);
  assert.doesNotMatch(src, /\batob\b|split\('\.'\)/, 'it never reads a token');
});

test('caches for cacheMaxAge, then refetches', async () => {
  const s = fakeServer();
  const a = pair();
  s.jwks = { keys: [a.pub] };
  const c = clock();
  const remote = createRemoteJwks(URL_, { fetch: s.fetch, now: c.now, cacheMaxAge: 60_000 });
  assert.equal(s.calls, 0, 'nothing fetched at creation');
  assert.deepEqual(kidsOf(await remote.getKeys()), [a.kid]);
  await remote.getKeys();
  c.advance(59_999);
  await remote.getKeys();
  assert.equal(s.calls, 1);
  c.advance(1);
  await remote.getKeys();
  assert.equal(s.calls, 2);
  assert.equal(s.requests[0].url, URL_);
  assert.match(s.requests[0].init.headers.accept, /application\/jwk-set\+json/);
});

test('concurrent callers share one fetch', async () => {
  const s = fakeServer();
  s.jwks = { keys: [pair().pub] };
  const c = clock();
  const remote = createRemoteJwks(URL_, { fetch: s.fetch, now: c.now });
  const release = s.gate();
  const all = Promise.all(
    Array.from({ length: 20 }, (_, i) => (i % 2 ? remote.getKeys() : remote.getKeysFor('zzz'))),
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(remote.status.fetching, true);
  release();
  const results = await all;
  assert.equal(s.calls, 1);
  assert.ok(
    results.every((r) => r === results[0]),
    'everyone got the same key set',
  );
  assert.equal(remote.status.fetching, false);
});

test('an unknown kid refetches at most once per cooldown; concurrent unknown kids share it', async () => {
  const { s, a, b, c, remote } = keyRotation();
  assert.deepEqual(kidsOf(await remote.getKeysFor(a.kid)), [a.kid]);
  assert.equal(s.calls, 1);
  s.jwks = { keys: [b.pub, a.pub] }; // the issuer rotates
  // Within the cooldown: no refetch, even for many unknown kids.
  for (let i = 0; i < 5; i++) assert.deepEqual(kidsOf(await remote.getKeysFor(b.kid)), [a.kid]);
  assert.equal(s.calls, 1);
  c.advance(30_000);
  const release = s.gate();
  const many = Promise.all(Array.from({ length: 10 }, () => remote.getKeysFor(b.kid)));
  await new Promise((r) => setImmediate(r));
  release();
  for (const r of await many) assert.deepEqual(kidsOf(r), [b.kid, a.kid]);
  assert.equal(s.calls, 2, 'one refetch for ten callers');
  // Known kid: served from cache.
  await remote.getKeysFor(a.kid);
  await remote.getKeys(b.kid); // getKeys(kid) is getKeysFor(kid)
  assert.equal(s.calls, 2);
  // A still-unknown kid right after: cooldown again.
  await remote.getKeysFor('never-seen');
  assert.equal(s.calls, 2);
});

test('a failed fetch is reported and forgotten; the next call recovers', async () => {
  const s = fakeServer();
  const a = pair();
  s.jwks = { keys: [a.pub] };
  const c = clock();
  const remote = createRemoteJwks(URL_, {
    fetch: s.fetch,
    now: c.now,
    cacheMaxAge: 100_000,
    cooldown: 30_000,
  });
  for (const [fail, code] of [
    ['network', 'ERR_KEY_INVALID'],
    [503, 'ERR_KEY_INVALID'],
    ['json', 'ERR_KEY_INVALID'],
    ['shape', 'ERR_KEY_INVALID'],
  ]) {
    s.fail = fail;
    await assert.rejects(remote.getKeys(), (e) => {
      assert.equal(e.code, code, String(fail));
      assert.ok(e instanceof authz.AuthzError, "errors are the package's AuthzError");
      if (fail === 'network')
        assert.ok(e.cause instanceof TypeError, 'the fetch error is the cause');
      return true;
    });
    assert.equal(remote.status.fetching, false);
    assert.equal(remote.status.lastError.code, code);
  }
  s.fail = null;
  assert.deepEqual(kidsOf(await remote.getKeys()), [a.kid]);
  assert.equal(remote.status.lastError, null);
  const calls = s.calls;
  // Cached keys survive a failed kid-refetch while they are fresh.
  c.advance(30_000);
  s.fail = 'network';
  await assert.rejects(remote.getKeysFor('unknown'), { code: 'ERR_KEY_INVALID' });
  assert.deepEqual(kidsOf(await remote.getKeys()), [a.kid]);
  assert.equal(s.calls, calls + 1);
  // Once stale, a failing refresh fails closed, and the next good fetch recovers.
  c.advance(100_000);
  await assert.rejects(remote.getKeys(), { code: 'ERR_KEY_INVALID' });
  s.fail = null;
  assert.deepEqual(kidsOf(await remote.getKeys()), [a.kid]);
});

test('a shared fetch that hangs is abandoned after `timeout`', async () => {
  const s = fakeServer();
  const a = pair();
  s.jwks = { keys: [a.pub] };
  const c = clock();
  const remote = createRemoteJwks(URL_, { fetch: s.fetch, now: c.now, timeout: 5000 });
  s.gate(); // never released: like a fetch whose request context has gone
  const hung = remote.getKeys();
  hung.catch(() => {});
  c.advance(1000);
  remote.getKeys().catch(() => {}); // joins the hung one
  assert.equal(s.calls, 1);
  c.advance(4000);
  s.held = null;
  assert.deepEqual(kidsOf(await remote.getKeys()), [a.kid], 'a new fetch replaced the hung one');
  assert.equal(s.calls, 2);
});

test('a late answer of an abandoned fetch never overwrites newer keys', async () => {
  const s = fakeServer();
  const a = pair();
  const b = pair();
  const c = clock();
  const answers = [];
  const fetch = () => new Promise((resolve) => answers.push(resolve));
  const remote = createRemoteJwks(URL_, { fetch, now: c.now, timeout: 100 });
  const first = remote.getKeys();
  c.advance(100);
  const second = remote.getKeys();
  await new Promise((r) => setImmediate(r));
  assert.equal(answers.length, 2);
  answers[1](new Response(JSON.stringify({ keys: [b.pub] })));
  assert.deepEqual(kidsOf(await second), [b.kid]);
  answers[0](new Response(JSON.stringify({ keys: [a.pub] })));
  assert.deepEqual(kidsOf(await first), [b.kid], 'the older answer yields the newer keys');
  assert.deepEqual(kidsOf(await remote.getKeys()), [b.kid]);
  void s;
});

test('the key set handed out is frozen', async () => {
  const s = fakeServer();
  s.jwks = { keys: [pair().pub] };
  const remote = createRemoteJwks(URL_, { fetch: s.fetch });
  const jwks = await remote.getKeys();
  assert.ok(Object.isFrozen(jwks) && Object.isFrozen(jwks.keys) && Object.isFrozen(jwks.keys[0]));
});

test('verifier(): verifies, and follows a rotation via the unknown kid', async () => {
  const { s, a, b, c, remote } = keyRotation();
  const v = remote.verifier({ database: 'd1' });
  assert.equal(v.current, null);
  const grant = await v.verify(authz.createToken(a.priv, { database: 'd1' }));
  assert.equal(grant.database, 'd1');
  assert.ok(v.current instanceof authz.Verifier);
  // Wrong database: the package's scope error comes through.
  await assert.rejects(v.verify(authz.createToken(a.priv, { database: 'd2' })), {
    code: 'ERR_TOKEN_SCOPE',
  });
  // Rotation: b signs, a is withdrawn.
  s.jwks = { keys: [b.pub] };
  const tb = authz.createToken(b.priv, { database: 'd1' });
  await assert.rejects(v.verify(tb), { code: 'ERR_TOKEN_KEY_NOT_FOUND' }, 'within the cooldown');
  assert.equal(s.calls, 1);
  c.advance(30_000);
  assert.equal((await v.verify(tb)).database, 'd1');
  assert.equal(s.calls, 2);
  await assert.rejects(v.verify(authz.createToken(a.priv, { database: 'd1' })), {
    code: 'ERR_TOKEN_KEY_NOT_FOUND',
  });
  // Garbage is the package's to reject.
  await assert.rejects(v.verify('not-a-token'), (e) => typeof e.code === 'string');
  await assert.rejects(v.verify('%%%.x.y'), (e) => typeof e.code === 'string');
});

test('verifier(): only "no matching key" reloads, once, outside the cooldown, as jose does', async () => {
  const { s, a, b, c, remote } = keyRotation();
  const v = remote.verifier();
  const token = (p) => authz.createToken(p.priv, { database: 'd1' });
  assert.equal((await v.verify(token(a))).database, 'd1');
  // A bad signature under a known key is not a missing key: no reload, whatever the cooldown.
  c.advance(30_000);
  const [header, payload] = token(a).split('.');
  const forged = `${header}.${payload}.${token(b).split('.')[2]}`;
  await assert.rejects(v.verify(forged), { code: 'ERR_TOKEN_SIGNATURE' });
  assert.equal(s.calls, 1);
  // Key b appears: its first token reloads once, then verifies with the new keys.
  s.jwks = { keys: [a.pub, b.pub] };
  assert.equal((await v.verify(token(b))).database, 'd1');
  assert.equal(s.calls, 2);
  // A key that no fetch has: one reload outside the cooldown, then the package's answer.
  c.advance(30_000);
  await assert.rejects(v.verify(token(pair())), { code: 'ERR_TOKEN_KEY_NOT_FOUND' });
  assert.equal(s.calls, 3);
  await assert.rejects(v.verify(token(pair())), { code: 'ERR_TOKEN_KEY_NOT_FOUND' });
  assert.equal(s.calls, 3, 'within the cooldown');
});

test('verifier(): keys refreshed after cacheMaxAge reach the Verifier', async () => {
  const s = fakeServer();
  const a = pair();
  const b = pair();
  s.jwks = { keys: [a.pub, b.pub] };
  const c = clock();
  const remote = createRemoteJwks(URL_, { fetch: s.fetch, now: c.now, cacheMaxAge: 60_000 });
  const v = remote.verifier();
  await v.verify(authz.createToken(a.priv, { database: 'x' }));
  s.jwks = { keys: [b.pub] }; // a withdrawn (invalidation)
  c.advance(60_000);
  await assert.rejects(v.verify(authz.createToken(a.priv, { database: 'x' })), {
    code: 'ERR_TOKEN_KEY_NOT_FOUND',
  });
  await v.verify(authz.createToken(b.priv, { database: 'x' }));
  assert.equal(s.calls, 2);
});

test('the default fetch is called with the global as `this` (browsers refuse any other)', async (t) => {
  const a = pair();
  const saved = globalThis.fetch;
  let calls = 0;
  globalThis.fetch = function fetch(url) {
    if (this !== globalThis) throw new TypeError('Illegal invocation');
    calls += 1;
    assert.equal(url, URL_);
    return Promise.resolve(new Response(JSON.stringify({ keys: [a.pub] })));
  };
  t.after(() => {
    globalThis.fetch = saved;
  });
  assert.deepEqual(kidsOf(await createRemoteJwks(URL_).getKeys()), [a.kid]);
  assert.equal(calls, 1);
});

test('a minimal fetch with only json() works; oversized bodies are refused', async () => {
  const a = pair();
  const minimal = async () => ({ ok: true, status: 200, json: async () => ({ keys: [a.pub] }) });
  assert.deepEqual(kidsOf(await createRemoteJwks(URL_, { fetch: minimal }).getKeys()), [a.kid]);
  const big = JSON.stringify({ keys: [a.pub], pad: 'x'.repeat(2000) });
  await assert.rejects(
    createRemoteJwks(URL_, { fetch: async () => new Response(big), maxBytes: 1000 }).getKeys(),
    { code: 'ERR_INPUT_TOO_LARGE' },
  );
  const declared = async () => new Response('{}', { headers: { 'content-length': '5000000' } });
  await assert.rejects(createRemoteJwks(URL_, { fetch: declared }).getKeys(), {
    code: 'ERR_INPUT_TOO_LARGE',
  });
});

test('options are validated', () => {
  const fetch = async () => new Response('{}');
  assert.throws(() => createRemoteJwks('not a url', { fetch }), { code: 'ERR_OPTIONS_INVALID' });
  assert.throws(() => createRemoteJwks('ftp://x/jwks', { fetch }), { code: 'ERR_OPTIONS_INVALID' });
  assert.throws(() => createRemoteJwks(URL_, { fetch, cooldown: -1 }), {
    code: 'ERR_OPTIONS_INVALID',
  });
  assert.throws(() => createRemoteJwks(URL_, { fetch, cacheMaxAge: '10m' }), {
    code: 'ERR_OPTIONS_INVALID',
  });
  assert.throws(() => createRemoteJwks(URL_, { fetch: 42 }), { code: 'ERR_OPTIONS_INVALID' });
  assert.throws(() => unbound(URL_, { fetch }).verifier(), { code: 'ERR_OPTIONS_INVALID' });
  // verifier() options are checked when it is made, before anything is fetched.
  let fetched = 0;
  const counting = async () => {
    fetched += 1;
    return new Response('{}');
  };
  const badOptions = [
    { databse: 'd1' },
    { now: 0 },
    { leeway: -1 },
    { algorithms: ['HS256'] },
    { issuer: [] },
  ];
  for (const bad of badOptions) {
    assert.throws(
      () => createRemoteJwks(URL_, { fetch: counting }).verifier(bad),
      { code: 'ERR_OPTIONS_INVALID' },
      JSON.stringify(bad),
    );
  }
  assert.equal(fetched, 0);
  assert.doesNotThrow(() => unbound(URL_, { fetch, Verifier: authz.Verifier }).verifier());
  assert.equal(createRemoteJwks(new URL(URL_), { fetch }).url, URL_);
  assert.throws(() => createRemoteJwks(URL_, { fetch, coolDown: 5 }), {
    code: 'ERR_OPTIONS_INVALID',
  });
  assert.throws(() => createRemoteJwks(URL_, null), { code: 'ERR_OPTIONS_INVALID' });
  assert.throws(() => createRemoteJwks(42, { fetch }), { code: 'ERR_OPTIONS_INVALID' });
  assert.throws(() => createRemoteJwks(URL_, { fetch, maxAge: 1 }), {
    code: 'ERR_OPTIONS_INVALID',
  });
  assert.throws(() => createRemoteJwks(URL_, { fetch, timeout: -5 }), {
    code: 'ERR_OPTIONS_INVALID',
  });
  assert.throws(() => createRemoteJwks(URL_, { fetch, now: 5 }), { code: 'ERR_OPTIONS_INVALID' });
});

test('the default clock is Date.now, read per call (mocked timers): cache age and cooldown', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
  const s = fakeServer();
  const a = pair();
  const b = pair();
  s.jwks = { keys: [a.pub] };
  const remote = createRemoteJwks(URL_, { fetch: s.fetch, cacheMaxAge: 60_000, cooldown: 30_000 });
  await remote.getKeys();
  assert.equal(remote.status.fetchedAt, 1_000_000);
  s.jwks = { keys: [a.pub, b.pub] };
  assert.deepEqual(kidsOf(await remote.getKeys(b.kid)), [a.kid], 'within the cooldown');
  t.mock.timers.tick(30_000);
  assert.deepEqual(kidsOf(await remote.getKeys(b.kid)), [a.kid, b.kid], 'after the cooldown');
  assert.equal(s.calls, 2);
  t.mock.timers.tick(59_999);
  await remote.getKeys();
  assert.equal(s.calls, 2);
  t.mock.timers.tick(1);
  assert.equal(remote.status.fresh, false);
  await remote.getKeys();
  assert.equal(s.calls, 3);
});

test('getKeys, getKeysFor and reload called together share one fetch', async () => {
  const s = fakeServer();
  const a = pair();
  s.jwks = { keys: [a.pub] };
  const remote = createRemoteJwks(URL_, { fetch: s.fetch });
  const results = await Promise.all([
    remote.getKeys(),
    remote.getKeys(a.kid),
    remote.getKeysFor('other'),
    remote.reload(),
  ]);
  assert.equal(s.calls, 1);
  for (const result of results) assert.deepEqual(kidsOf(result), [a.kid]);
});

test('the package exports it bound: its AuthzError, its Verifier, in ESM and CommonJS', async () => {
  const a = pair();
  const s = fakeServer();
  s.jwks = { keys: [a.pub] };
  s.fail = 500;
  const remote = authz.createRemoteJwks(URL_, { fetch: s.fetch });
  await assert.rejects(
    remote.getKeys(),
    (e) => e instanceof authz.AuthzError && e.name === 'AuthzError' && e.code === 'ERR_KEY_INVALID',
  );
  s.fail = null;
  const grant = await remote
    .verifier({ database: 'd1' })
    .verify(authz.createToken(a.priv, { database: 'd1' }));
  assert.ok(grant instanceof authz.Grant);
  assert.throws(
    () => authz.createRemoteJwks(URL_, { fetch: s.fetch, maxAge: 1 }),
    (e) => e instanceof authz.AuthzError && e.code === 'ERR_OPTIONS_INVALID',
  );

  const cjs = createRequire(import.meta.url)('../../pkg/node.cjs');
  assert.equal(typeof cjs.createRemoteJwks, 'function');
  const fromCjs = cjs.createRemoteJwks(URL_, { fetch: s.fetch });
  const cjsGrant = await fromCjs
    .verifier({ database: 'd1' })
    .verify(cjs.createToken(a.priv, { database: 'd1' }));
  assert.ok(cjsGrant instanceof cjs.Grant);
  assert.throws(
    () => cjs.createRemoteJwks(42),
    (e) => e instanceof cjs.AuthzError && e.code === 'ERR_OPTIONS_INVALID',
  );
  // One implementation: nothing else in the package fetches key sets.
  const api = fs.readFileSync(new URL('../../pkg/api.js', import.meta.url), 'utf8');
  assert.doesNotMatch(api, /\bfetch\s*\(|\.fetch\b|response\.json/);
});

test('its methods work detached from the object, as functions', async () => {
  const s = fakeServer();
  const a = pair();
  s.jwks = { keys: [a.pub] };
  const { getKeys, getKeysFor, reload, reset, verifier } = createRemoteJwks(URL_, {
    fetch: s.fetch,
  });
  assert.deepEqual(kidsOf(await getKeys()), [a.kid]);
  assert.deepEqual(kidsOf(await getKeysFor(a.kid)), [a.kid]);
  await reload();
  reset();
  const grant = await verifier().verify(authz.createToken(a.priv, { database: 'd1' }));
  assert.equal(grant.database, 'd1');
  assert.equal(s.calls, 3);
});

test('reset() drops the cache; reload() fetches now', async () => {
  const s = fakeServer();
  s.jwks = { keys: [pair().pub] };
  const remote = createRemoteJwks(URL_, { fetch: s.fetch });
  await remote.getKeys();
  remote.reset();
  await remote.getKeys();
  assert.equal(s.calls, 2);
  const b = pair();
  s.jwks = { keys: [b.pub] };
  assert.deepEqual(kidsOf(await remote.reload()), [b.kid]);
  assert.deepEqual(kidsOf(await remote.getKeys()), [b.kid]);
  assert.equal(s.calls, 3);
});

// In workerd itself: module-scope
// creation, the default fetch, ten concurrent requests sharing one fetch across request
// contexts, cache and cooldown.
// miniflare comes with the gateway's wrangler (gateway, installed by scripts/setup.sh).
const miniflare = await import(
  new URL('../../gateway/node_modules/miniflare/dist/src/index.js', import.meta.url)
);

test('in workerd: one shared fetch across concurrent requests', { timeout: 60_000 }, async () => {
  const http = await import('node:http');
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits += 1;
    setTimeout(() => res.end(JSON.stringify({ keys: [pair().pub] })), 300);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/jwks.json`;
  const mf = new miniflare.Miniflare({
    compatibilityDate: '2025-01-01',
    modules: [
      {
        type: 'ESModule',
        path: 'worker.mjs',
        contents: `
import { createRemoteJwks } from "./remote-jwks.js";
const jwks = createRemoteJwks(${JSON.stringify(url)});
export default { async fetch(request) {
  const kid = new URL(request.url).searchParams.get("kid");
  try { const set = kid ? await jwks.getKeysFor(kid) : await jwks.getKeys(); return Response.json({ ok: true, n: set.keys.length }); }
  catch (e) { return Response.json({ ok: false, error: String(e) }); }
} };`,
      },
      {
        type: 'ESModule',
        path: 'remote-jwks.js',
        contents: fs.readFileSync(new URL('../../js/remote-jwks.js', import.meta.url), 'utf8'),
      },
      {
        type: 'ESModule',
        path: 'errors.js',
        contents: fs.readFileSync(new URL('../../js/errors.js', import.meta.url), 'utf8'),
      },
    ],
  });
  try {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => mf.dispatchFetch('http://w/').then((r) => r.json())),
    );
    assert.ok(
      results.every((r) => r.ok && r.n === 1),
      JSON.stringify(results),
    );
    assert.equal(hits, 1);
    const unknown = await Promise.all(
      Array.from({ length: 5 }, () => mf.dispatchFetch('http://w/?kid=nope').then((r) => r.json())),
    );
    assert.ok(unknown.every((r) => r.ok));
    assert.equal(hits, 1, 'unknown kids within the cooldown do not fetch');
  } finally {
    await mf.dispose();
    server.close();
  }
});
