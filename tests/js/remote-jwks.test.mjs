// createRemoteJwks: caching, refetch on an unknown kid after the cooldown, one fetch for
// concurrent callers, errors with codes. A fake fetch and clock; no network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthzError, createRemoteJwks } from '../../pkg/node.mjs';

function fakeFetch(documents) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: String(url), accept: init.headers.accept });
    const body = documents[Math.min(calls.length - 1, documents.length - 1)];
    if (typeof body === 'number') return { ok: false, status: body, json: async () => ({}) };
    return { ok: true, status: 200, json: async () => body };
  };
  return { fetch, calls };
}

const set = (...kids) => ({ keys: kids.map((kid) => ({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid })) });

test('caches for cacheMaxAge, then refetches', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
  const { fetch, calls } = fakeFetch([set('a'), set('b')]);
  const jwks = createRemoteJwks('https://issuer.example/jwks.json', { fetch, cacheMaxAge: 1000 });
  assert.deepEqual(await jwks.getKeys(), set('a'));
  assert.deepEqual(await jwks.getKeys('a'), set('a'));
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0], { url: 'https://issuer.example/jwks.json', accept: 'application/json' });
  t.mock.timers.tick(1000);
  assert.deepEqual(await jwks.getKeys(), set('b'));
  assert.equal(calls.length, 2);
});

test('an unknown kid refetches only after the cooldown', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
  const { fetch, calls } = fakeFetch([set('old'), set('old', 'new')]);
  const jwks = createRemoteJwks('https://issuer.example/jwks.json', { fetch, cooldown: 30_000 });
  await jwks.getKeys('old');
  assert.deepEqual(await jwks.getKeys('new'), set('old')); // within the cooldown
  assert.equal(calls.length, 1);
  t.mock.timers.tick(30_000);
  assert.deepEqual(await jwks.getKeys('new'), set('old', 'new'));
  assert.equal(calls.length, 2);
});

test('concurrent callers share one fetch', async () => {
  const { fetch, calls } = fakeFetch([set('a')]);
  const jwks = createRemoteJwks('https://issuer.example/jwks.json', { fetch });
  const results = await Promise.all([jwks.getKeys(), jwks.getKeys('a'), jwks.reload()]);
  assert.equal(calls.length, 1);
  for (const result of results) assert.deepEqual(result, set('a'));
});

test('HTTP errors and non-JWKS bodies reject with ERR_KEY_INVALID, and are retried', async () => {
  const { fetch, calls } = fakeFetch([503, { not: 'a jwks' }, set('a')]);
  const jwks = createRemoteJwks('https://issuer.example/jwks.json', { fetch });
  const isKeyInvalid = (error) => error instanceof AuthzError && error.code === 'ERR_KEY_INVALID';
  await assert.rejects(jwks.getKeys(), isKeyInvalid);
  await assert.rejects(jwks.getKeys(), isKeyInvalid);
  assert.deepEqual(await jwks.getKeys(), set('a'));
  assert.equal(calls.length, 3);
});

test('bad options throw ERR_OPTIONS_INVALID', () => {
  const isOptionsInvalid = (error) => error instanceof AuthzError && error.code === 'ERR_OPTIONS_INVALID';
  const fetch = async () => ({});
  assert.throws(() => createRemoteJwks(42, { fetch }), isOptionsInvalid);
  assert.throws(() => createRemoteJwks('https://x.example', { fetch, cacheMaxAge: -1 }), isOptionsInvalid);
  assert.throws(() => createRemoteJwks('https://x.example', { fetch, cooldown: '30s' }), isOptionsInvalid);
  assert.throws(() => createRemoteJwks('https://x.example', { fetch, maxAge: 1 }), isOptionsInvalid);
  assert.throws(() => createRemoteJwks('https://x.example', { fetch: 'no' }), isOptionsInvalid);
});
