// Runs inside workerd (tests/js/workerd.test.mjs): the package's `workerd` entry, with the
// .wasm imported as a module, as a Cloudflare Worker bundle has it.
import * as api from './libsql-authz/workerd.js';
import { __setSignatureHost } from './libsql-authz/libsql_authz.js';
import { nodeCryptoHost } from './libsql-authz/host-crypto.js';
import { API } from './package.mjs';

function expectCode(fn, code) {
  try {
    fn();
  } catch (error) {
    if (error instanceof api.AuthzError && error.code === code) return;
    throw new Error(`expected ${code}, got ${error?.code}: ${error}`);
  }
  throw new Error(`expected ${code}, nothing thrown`);
}

// The entry loads and errors come back as AuthzError with their codes.
export const entry = {
  async test() {
    const names = Object.keys(api).sort().join();
    if (names !== API.join()) throw new Error(`exports: ${names}`);
    expectCode(() => api.checkStatement({}, 'SELECT 1'), 'ERR_OPTIONS_INVALID');
    expectCode(
      () => api.verifyToken('a.b.c', { keys: [] }, { databse: 'db1' }),
      'ERR_OPTIONS_INVALID',
    );
  },
};

// Mint and verify inside the Worker (randomness from crypto.getRandomValues).
export const tokens = {
  async test() {
    const { privateJwk, publicJwk } = api.generateKeyPair();
    const token = api.createToken(privateJwk, {
      database: 'db1',
      permissions: ['comments:data_read'],
    });
    const grant = api.verifyToken(token, { keys: [publicJwk] }, { database: 'db1' });
    if (grant.database !== 'db1' || !grant.allows('comments', 'data_read'))
      throw new Error('wrong grant');
    if (!api.checkStatement(grant, 'SELECT * FROM comments').allowed)
      throw new Error('SELECT denied');
    expectCode(
      () => api.verifyToken(token, { keys: [publicJwk] }, { database: 'db2' }),
      'ERR_TOKEN_SCOPE',
    );
  },
};

// The remote key set, created at module scope as a Worker would (nothing fetched here),
// with a fake fetch: the package's bound createRemoteJwks and its synced Verifier.
let served = null;
let fetches = 0;
const remote = api.createRemoteJwks('https://keys.example/app.jwks.json', {
  fetch: async () => {
    fetches += 1;
    return new Response(JSON.stringify(served));
  },
});
export const remoteJwks = {
  async test() {
    if (fetches !== 0) throw new Error('fetched at module scope');
    const { privateJwk, publicJwk } = api.generateKeyPair();
    served = { keys: [publicJwk] };
    const verifier = remote.verifier({ database: 'db1' });
    const grants = await Promise.all(
      [1, 2, 3].map(() => verifier.verify(api.createToken(privateJwk, { database: 'db1' }))),
    );
    if (!grants.every((grant) => grant instanceof api.Grant && grant.database === 'db1'))
      throw new Error('wrong grant');
    if (fetches !== 1) throw new Error(`${fetches} fetches`);
    try {
      await verifier.verify(api.createToken(privateJwk, { database: 'db2' }));
    } catch (error) {
      if (error instanceof api.AuthzError && error.code === 'ERR_TOKEN_SCOPE') return;
      throw error;
    }
    throw new Error('a token for db2 was accepted');
  },
};

// tests/js/security.test.mjs in the Workers runtime: forged headers, algorithm confusion,
// hostile payloads signed for real (numbers at the edges, duplicate members, kid tricks), encodings,
// and SQL that would exhaust the stack or the memory; then the same instance still works.
export const security = {
  async test() {
    const { privateJwk, publicJwk } = api.generateKeyPair();
    const keys = { keys: [publicJwk] };
    const good = api.createToken(privateJwk, {
      database: 'db1',
      permissions: ['comments:data_read'],
    });
    const [h, p, s] = good.split('.');
    const header = JSON.parse(atob(h.replace(/-/g, '+').replace(/_/g, '/')));
    const part = (value) =>
      btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const withHeader = (extra) => `${part({ ...header, ...extra })}.${p}.${s}`;
    expectCode(() => api.verifyToken(withHeader({ alg: 'none' }), keys), 'ERR_TOKEN_ALGORITHM');
    // HS256 signed for real with the public key's bytes as the HMAC secret.
    const input = `${part({ ...header, alg: 'HS256' })}.${p}`;
    const secret = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(publicJwk.x),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const mac = new Uint8Array(
      await crypto.subtle.sign('HMAC', secret, new TextEncoder().encode(input)),
    );
    const hs = `${input}.${btoa(String.fromCharCode(...mac))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')}`;
    expectCode(() => api.verifyToken(hs, keys), 'ERR_TOKEN_ALGORITHM');
    for (const extra of [
      { crit: ['exp'] },
      { b64: false },
      { jwk: publicJwk },
      { jku: 'http://127.0.0.1/' },
    ]) {
      expectCode(() => api.verifyToken(withHeader(extra), keys), 'ERR_TOKEN_MALFORMED');
    }
    for (const form of [
      JSON.stringify({ protected: h, payload: p, signature: s }),
      ` ${good}`,
      `${good}=`,
      `${good}\u0000`,
      `${good}\uD800`,
    ]) {
      expectCode(() => api.verifyToken(form, keys), 'ERR_TOKEN_MALFORMED');
    }
    expectCode(
      () => api.verifyToken(`${h}.${p}.${s.slice(0, -4)}AAAA`, keys),
      'ERR_TOKEN_SIGNATURE',
    );
    const grant = api.verifyToken(good, keys, { database: 'db1' });
    for (const sql of [
      `SELECT ${'('.repeat(100_000)}1${')'.repeat(100_000)}`,
      `SELECT ${'(SELECT '.repeat(10_000)}1${')'.repeat(10_000)}`,
      `SELECT ${'CASE WHEN 1 THEN '.repeat(60_000)}1${' END'.repeat(60_000)}`,
      `SELECT 1 FROM ${'a,'.repeat(500_000)}a`,
    ]) {
      const decision = api.checkStatement(grant, sql);
      if (decision.allowed || decision.error?.code !== 'ERR_SQL_TOO_LARGE')
        throw new Error(`not too large: ${decision.error?.code}`);
    }
    if (api.checkStatement(grant, 'SELECT * FROM comments\u0000; DROP TABLE t').allowed)
      throw new Error('NUL');
    // Hostile payloads signed for real (WebCrypto Ed25519 in workerd): numbers at the
    // edges, duplicate members anywhere, kid tricks.
    const signer = await crypto.subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, d: privateJwk.d },
      { name: 'Ed25519' },
      false,
      ['sign'],
    );
    const b64text = (text) =>
      btoa(String.fromCharCode(...new TextEncoder().encode(text)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const signed = async (headerText, payloadText) => {
      const signingInput = `${b64text(headerText)}.${b64text(payloadText)}`;
      const signature = new Uint8Array(
        await crypto.subtle.sign('Ed25519', signer, new TextEncoder().encode(signingInput)),
      );
      return `${signingInput}.${btoa(String.fromCharCode(...signature))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '')}`;
    };
    const kidHeader = JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: publicJwk.kid });
    const expectSigned = async (headerText, payloadText, expected) => {
      const token = await signed(headerText, payloadText);
      expectCode(() => api.verifyToken(token, keys, { database: 'db1' }), expected);
    };
    if (
      api.verifyToken(await signed(kidHeader, '{"id":"db1"}'), keys, { database: 'db1' })
        .database !== 'db1'
    )
      throw new Error('signing helper');
    for (const value of [
      '1e308',
      '-1e308',
      '1.5',
      '"1700000100"',
      'true',
      'null',
      '[1]',
      '1.7e9',
      '9223372036854775808',
    ]) {
      for (const claim of ['exp', 'nbf', 'iat'])
        await expectSigned(kidHeader, `{"id":"db1","${claim}":${value}}`, 'ERR_TOKEN_CLAIMS');
    }
    await expectSigned(kidHeader, '{"id":"db1","exp":-1}', 'ERR_TOKEN_EXPIRED');
    await expectSigned(kidHeader, '{"id":"db1","exp":1e400}', 'ERR_TOKEN_MALFORMED');
    for (const payload of [
      '{"id":"db1","id":"db2"}',
      '{"a":"ro","\\u0061":"rw"}',
      '{"p":{"rw":{"ns":["db1"],"ns":["db2"]}}}',
      '{"perm":[{"t":["comments"],"a":["data_read"],"a":["data_delete"]}]}',
      '{"x":{"y":{"z":1,"z":2}}}',
    ]) {
      await expectSigned(kidHeader, payload, 'ERR_TOKEN_MALFORMED');
    }
    await expectSigned(
      `{"alg":"EdDSA","kid":${JSON.stringify(publicJwk.kid)},"alg":"none"}`,
      '{"id":"db1"}',
      'ERR_TOKEN_MALFORMED',
    );
    await expectSigned(kidHeader, '{"id":"db1","a":"admin"}', 'ERR_TOKEN_CLAIMS');
    await expectSigned(kidHeader, '{"id":"db1","gid":"g"}', 'ERR_TOKEN_CLAIMS');
    for (const kid of ['../../x', '/etc/passwd', 'k'.repeat(5000), `${publicJwk.kid}\u0000`]) {
      await expectSigned(
        JSON.stringify({ alg: 'EdDSA', kid }),
        '{"id":"db1"}',
        'ERR_TOKEN_KEY_NOT_FOUND',
      );
    }
    for (const kid of [1, null, ['x'], { kid: publicJwk.kid }]) {
      await expectSigned(
        JSON.stringify({ alg: 'EdDSA', kid }),
        '{"id":"db1"}',
        'ERR_TOKEN_MALFORMED',
      );
    }
    // Nothing trapped: the same instance still verifies and checks.
    const again = api.verifyToken(
      api.createToken(privateJwk, { database: 'db1', permissions: ['comments:data_read'] }),
      keys,
      { database: 'db1' },
    );
    if (!api.checkStatement(again, 'SELECT * FROM comments').allowed)
      throw new Error('SELECT denied after the attacks');
  },
};

// Signatures: with node:crypto reachable (nodejs_compat, the default from 2026-08-04),
// the entry registers it as the signature host; it must pass its self-test here and
// agree with the wasm's own arithmetic on good and forged tokens of every algorithm.
// Without it the entry keeps the wasm's arithmetic. Logs which one ran.
export const signatureHost = {
  async test() {
    const nodeCrypto = globalThis.process?.getBuiltinModule?.('node:crypto');
    if (!nodeCrypto) {
      console.log('signature host: none');
      return;
    }
    const host = nodeCryptoHost(() => nodeCrypto);
    const spy = {
      calls: 0,
      verify: (...args) => {
        spy.calls++;
        return host.verify(...args);
      },
    };
    const b64url = (bytes) =>
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const text = (value) => b64url(new TextEncoder().encode(JSON.stringify(value)));
    const pairs = {
      EdDSA: [['ed25519'], null, {}],
      // A PEM key: workerd takes `dsaEncoding` only with a key that is not a KeyObject.
      ES256: [['ec', { namedCurve: 'P-256' }], 'sha256', { dsaEncoding: 'ieee-p1363' }],
      RS256: [['rsa', { modulusLength: 2048 }], 'sha256', {}],
    };
    const verdict = (token, keys) => {
      try {
        api.verifyToken(token, keys, { database: 'db1' });
        return 'valid';
      } catch (error) {
        return error.code;
      }
    };
    try {
      for (const [alg, [generate, digest, options]] of Object.entries(pairs)) {
        const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync(...generate);
        const keys = { keys: [{ ...publicKey.export({ format: 'jwk' }), alg, kid: alg }] };
        const input = `${text({ alg, kid: alg })}.${text({ id: 'db1' })}`;
        const signingKey = { key: privateKey.export({ format: 'pem', type: 'pkcs8' }), ...options };
        const signature = new Uint8Array(
          nodeCrypto.sign(digest, new TextEncoder().encode(input), signingKey),
        );
        const flipped = signature.slice();
        flipped[7] ^= 1;
        const cases = {
          good: signature,
          flipped,
          short: signature.subarray(1),
          zero: new Uint8Array(signature.length),
        };
        for (const [name, bytes] of Object.entries(cases)) {
          const token = `${input}.${b64url(bytes)}`;
          const expected = name === 'good' ? 'valid' : 'ERR_TOKEN_SIGNATURE';
          __setSignatureHost(spy);
          const hosted = verdict(token, keys);
          __setSignatureHost(null);
          const builtin = verdict(token, keys);
          if (hosted !== expected || builtin !== expected)
            throw new Error(`${alg} ${name}: host ${hosted}, wasm ${builtin}`);
        }
      }
    } finally {
      __setSignatureHost(host);
    }
    // The wrong-length cases never reach the host.
    if (spy.calls !== 9) throw new Error(`the host was asked ${spy.calls} times, not 9`);
    console.log('signature host: node:crypto');
  },
};
