// Signatures checked by the host (js/host-crypto.js over node:crypto) against the wasm's
// own arithmetic: the Node entry uses the host, the two agree on every token, and a
// host can only ever answer "is this signature valid?", never more.
import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SignJWT, importJWK } from 'jose';
import { pkgDir, tempDir } from './helpers.mjs';

import { authz, glue, nodeCrypto, nodeCryptoHost } from './support/instance.mjs';

// The shipped Node entry, one bundled file with its own instance; the other tests swap
// the signature host of the instance of tests/js/support/instance.mjs.
const entry = await import(`${pkgDir}node.mjs`);
const { __setSignatureHost } = glue;
const { Verifier, verifyToken } = authz;

const NOW = 1_767_225_600;
const fixture = (name) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const publicOf = ({ d, p, q, dp, dq, qi, ...pub }) => pub;
const files = {
  EdDSA: 'ed25519.private.jwk.json',
  ES256: 'p256.private.jwk.json',
  RS256: 'rsa2048.private.jwk.json',
};
const ALGS = Object.keys(files);
const keys = {};
for (const [alg, file] of Object.entries(files)) {
  const jwk = fixture(file);
  keys[alg] = {
    sign: await importJWK({ ...jwk, alg }, alg),
    jwks: { keys: [{ ...publicOf(jwk), alg, kid: alg }] },
  };
}
const mint = (alg, claims = {}) =>
  new SignJWT({ id: 'db1', a: 'rw', ...claims })
    .setProtectedHeader({ alg, kid: alg })
    .setExpirationTime(NOW + 3600)
    .sign(keys[alg].sign);
const tokenForLoadTest = await mint('EdDSA');

const b64 = (bytes) => Buffer.from(bytes).toString('base64url');
const unb64 = (text) => Buffer.from(text, 'base64url');
const withSignature = (token, signature) =>
  `${token.slice(0, token.lastIndexOf('.'))}.${b64(signature)}`;
const signatureOf = (token) => unb64(token.slice(token.lastIndexOf('.') + 1));
const L = (1n << 252n) + 27742317777372353535851937790883648493n; // Ed25519 group order
const N256 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n; // P-256 order
const toBig = (bytes) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const fromBig = (value, length) => Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');

/** Tokens each algorithm must judge the same way whoever does the arithmetic. */
async function corpus(alg) {
  const good = await mint(alg);
  const other = await mint(alg, { a: 'ro' });
  const signature = signatureOf(good);
  const cases = { good, 'signature of another payload': withSignature(good, signatureOf(other)) };
  for (const index of [0, signature.length >> 1, signature.length - 1]) {
    const flipped = Buffer.from(signature);
    flipped[index] ^= 0x01;
    cases[`bit ${index} flipped`] = withSignature(good, flipped);
  }
  cases['all zero'] = withSignature(good, Buffer.alloc(signature.length));
  cases['payload swapped'] = `${good.split('.')[0]}.${other.split('.')[1]}.${good.split('.')[2]}`;
  if (alg === 'EdDSA') {
    // S + L: the same signature with a non-canonical scalar (RFC 8032 requires S < L).
    const s = toBig(Buffer.from(signature.subarray(32)).reverse());
    cases['S + L'] = withSignature(
      good,
      Buffer.concat([signature.subarray(0, 32), fromBig(s + L, 32).reverse()]),
    );
  }
  if (alg === 'ES256') {
    // (r, n - s): the other valid ECDSA signature of the same message (high S).
    const s = toBig(signature.subarray(32));
    cases['high S'] = withSignature(
      good,
      Buffer.concat([signature.subarray(0, 32), fromBig(N256 - s, 32)]),
    );
    cases['s = 0'] = withSignature(
      good,
      Buffer.concat([signature.subarray(0, 32), Buffer.alloc(32)]),
    );
    cases['r = n'] = withSignature(
      good,
      Buffer.concat([fromBig(N256, 32), signature.subarray(32)]),
    );
  }
  if (alg === 'RS256') {
    cases['signature = modulus'] = withSignature(good, unb64(keys.RS256.jwks.keys[0].n));
  }
  return cases;
}

const verdict = (token, alg) => {
  try {
    verifyToken(token, keys[alg].jwks, { database: 'db1', now: NOW });
    return 'valid';
  } catch (error) {
    return error.code;
  }
};

/** Runs `fn` with `host` registered, then puts the Node entry's host back. */
function withHost(host, fn) {
  __setSignatureHost(host);
  try {
    return fn();
  } finally {
    __setSignatureHost(nodeCryptoHost(() => nodeCrypto));
  }
}

test('the Node entry checks signatures with node:crypto, and a cache hit does not', async () => {
  const original = nodeCrypto.verify;
  const calls = [];
  nodeCrypto.verify = (...args) => {
    calls.push(args[0]);
    return original(...args);
  };
  syncBuiltinESMExports();
  try {
    for (const alg of ALGS) {
      const token = await mint(alg, { jti: `spy-${alg}` });
      const verifier = new entry.Verifier(keys[alg].jwks, { database: 'db1' });
      calls.length = 0;
      verifier.verify(token, { now: NOW });
      // The first call of an algorithm also runs the host's self-test (2 checks).
      assert.ok(calls.length >= 1, `${alg}: node:crypto.verify was not called`);
      calls.length = 0;
      verifier.verify(token, { now: NOW });
      assert.equal(calls.length, 0, `${alg}: a cache hit verified again`);
      entry.verifyToken(token, keys[alg].jwks, { database: 'db1', now: NOW });
      assert.deepEqual(calls, [alg === 'EdDSA' ? null : 'sha256']);
    }
  } finally {
    nodeCrypto.verify = original;
    syncBuiltinESMExports();
  }
});

test('host and wasm arithmetic give every token the same verdict', async () => {
  let judged = 0;
  for (const alg of ALGS) {
    for (const [name, token] of Object.entries(await corpus(alg))) {
      const host = verdict(token, alg);
      const builtin = withHost(null, () => verdict(token, alg));
      assert.equal(host, builtin, `${alg} ${name}: host ${host}, wasm ${builtin}`);
      // High S is valid ECDSA (malleable, as in jose and RFC 7518); everything else is forged.
      assert.equal(
        host,
        ['good', 'high S'].includes(name) ? 'valid' : 'ERR_TOKEN_SIGNATURE',
        `${alg} ${name}`,
      );
      judged += 1;
    }
  }
  assert.equal(judged, 3 * 7 + 1 + 3 + 1);
});

test('a host is asked only about a signature of the right length, after everything else passed', async () => {
  const asked = [];
  const yes = {
    verify: (alg, keyJson, message, signature) => {
      asked.push({
        alg,
        keyJson,
        message: Buffer.from(message).toString(),
        length: signature.length,
      });
      return true;
    },
  };
  const good = await mint('EdDSA');
  withHost(yes, () => {
    assert.equal(verdict(good, 'EdDSA'), 'valid');
    assert.deepEqual(
      asked.map(({ keyJson, ...rest }) => ({ ...rest, key: JSON.parse(keyJson) })),
      [
        {
          alg: 'EdDSA',
          key: { kty: 'OKP', crv: 'Ed25519', x: keys.EdDSA.jwks.keys[0].x },
          message: good.slice(0, good.lastIndexOf('.')),
          length: 64,
        },
      ],
    );
    asked.length = 0;
    const signature = signatureOf(good);
    assert.equal(
      verdict(withSignature(good, signature.subarray(1)), 'EdDSA'),
      'ERR_TOKEN_SIGNATURE',
    );
    assert.equal(
      verdict(withSignature(good, Buffer.concat([signature, Buffer.from([0])])), 'EdDSA'),
      'ERR_TOKEN_SIGNATURE',
    );
    assert.equal(
      verdict(good.replace(/^[^.]+/, b64(JSON.stringify({ alg: 'HS256' }))), 'EdDSA'),
      'ERR_TOKEN_ALGORITHM',
    );
    assert.equal(verdict(good, 'RS256'), 'ERR_TOKEN_KEY_NOT_FOUND');
    assert.deepEqual(asked, [], 'the host was asked about a token the core had already refused');
  });
});

test('a host that says no is a bad signature; one that throws or gives no boolean leaves it to the wasm', async () => {
  const good = await mint('ES256');
  const forged = withSignature(good, Buffer.alloc(64, 1));
  withHost({ verify: () => false }, () =>
    assert.equal(verdict(good, 'ES256'), 'ERR_TOKEN_SIGNATURE'),
  );
  for (const host of [
    {
      verify: () => {
        throw new Error('no');
      },
    },
    { verify: () => undefined },
    { verify: () => 'true' },
    { verify: () => 1 },
    {},
  ]) {
    withHost(host, () => {
      assert.equal(verdict(good, 'ES256'), 'valid');
      assert.equal(verdict(forged, 'ES256'), 'ERR_TOKEN_SIGNATURE');
    });
  }
});

test('nodeCryptoHost trusts a crypto module only after its self-test, per algorithm', async () => {
  const good = await mint('EdDSA');
  const forged = withSignature(good, Buffer.alloc(64, 7));
  const fakes = {
    'accepts everything': { ...nodeCrypto, verify: () => true },
    'rejects everything': { ...nodeCrypto, verify: () => false },
    throws: {
      ...nodeCrypto,
      verify: () => {
        throw new Error('unsupported');
      },
    },
  };
  for (const [name, fake] of Object.entries(fakes)) {
    const host = nodeCryptoHost(() => fake);
    for (const alg of ALGS)
      assert.equal(
        host.verify(
          alg,
          JSON.stringify(keys[alg].jwks.keys[0]),
          new Uint8Array(8),
          new Uint8Array(64),
        ),
        undefined,
        `${name} ${alg}`,
      );
    withHost(host, () => {
      assert.equal(verdict(good, 'EdDSA'), 'valid', name);
      assert.equal(verdict(forged, 'EdDSA'), 'ERR_TOKEN_SIGNATURE', name);
    });
  }
  const none = [
    () => undefined,
    () => ({ verify: () => true }),
    () => {
      throw new Error('no node:crypto');
    },
  ];
  for (const load of none) {
    const host = nodeCryptoHost(load);
    assert.equal(
      host.verify(
        'EdDSA',
        JSON.stringify(keys.EdDSA.jwks.keys[0]),
        new Uint8Array(8),
        new Uint8Array(64),
      ),
      undefined,
    );
    withHost(host, () => assert.equal(verdict(forged, 'EdDSA'), 'ERR_TOKEN_SIGNATURE'));
  }
  assert.equal(
    nodeCryptoHost(() => nodeCrypto).verify('HS256', '{}', new Uint8Array(1), new Uint8Array(32)),
    undefined,
  );
});

test('node:crypto is loaded on the first signature check, not when the package is imported', () => {
  const script = (entry) => `
    const loaded = () => process.moduleLoadList.includes('NativeModule crypto');
    const authz = ${entry};
    const before = loaded();
    authz.checkStatement(authz.verifyToken(${JSON.stringify(tokenForLoadTest)}, ${JSON.stringify(keys.EdDSA.jwks)}, { now: ${NOW} }), 'SELECT 1');
    console.log(JSON.stringify([before, loaded()]));`;
  // From files: `node -e` loads node:crypto for its own evaluation context.
  const dir = tempDir('libsql-authz-host-');
  const esm = script(`await import(${JSON.stringify(`${pkgDir}node.mjs`)})`);
  for (const [file, code] of [
    ['load.mjs', esm],
    ['load.cjs', script(`require(${JSON.stringify(`${pkgDir}node.cjs`)})`)],
    // Node before 20.16 has no process.getBuiltinModule: node.mjs takes `require` from node:module.
    ['load-old.mjs', `delete process.getBuiltinModule;\n${esm}`],
  ]) {
    writeFileSync(join(dir, file), code);
    const out = execFileSync(process.execPath, [join(dir, file)], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), [false, true], file);
  }
});

test('a Verifier checks a signature once per token, even after its caller freed the grant', async () => {
  const token = await mint('EdDSA', { jti: 'freed' });
  const real = nodeCryptoHost(() => nodeCrypto);
  let checks = 0;
  const counting = {
    verify: (...args) => {
      checks += 1;
      return real.verify(...args);
    },
  };
  withHost(counting, () => {
    const verifier = new Verifier(keys.EdDSA.jwks, { database: 'db1' });
    verifier.verify(token, { now: NOW }).free(); // freed by the caller: the cache still serves
    verifier.verify(token, { now: NOW }).free();
    verifier.verify(token, { now: NOW + 60 });
    assert.equal(checks, 1);
    verifier.updateKeys(keys.EdDSA.jwks); // the same key: the cache keeps its entry
    verifier.verify(token, { now: NOW });
    assert.equal(checks, 1);
    verifier.free();
  });
});

test('ES256 signatures whose r or s starts with zero bytes verify through the host (DER integers)', async () => {
  const real = nodeCryptoHost(() => nodeCrypto);
  const answers = [];
  const recording = {
    verify: (...args) => {
      const answer = real.verify(...args);
      answers.push(answer);
      return answer;
    },
  };
  const found = new Set();
  for (let i = 0; i < 5000 && found.size < 2; i++) {
    const token = await mint('ES256', { jti: `zero-${i}` });
    const signature = signatureOf(token);
    const zeroIn = [signature[0] === 0 && 'r', signature[32] === 0 && 's'].filter(Boolean);
    if (zeroIn.length === 0) continue;
    withHost(recording, () => assert.equal(verdict(token, 'ES256'), 'valid'));
    for (const part of zeroIn) found.add(part);
  }
  assert.deepEqual([...found].sort(), ['r', 's']);
  assert.ok(
    answers.length >= 2 && answers.every((answer) => answer === true),
    'the host answered every time',
  );
});
