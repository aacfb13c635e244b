// Hostile input against the built package (pkg/node.mjs): the RFC 8725 (JWT BCP) attacks
// that apply to a verifier, algorithm confusion across every key type, `kid` tricks,
// `crit` / `b64`, JWS JSON serialization, non-canonical encodings, numbers at the edges,
// duplicate JSON members, and SQL that would exhaust the stack or the memory of a Worker.
// Every attack is signed for real where the signature matters, so that the check under
// test (not a bad signature) is what refuses it. The last test proves that the same
// module instance still works after all of it (nothing trapped).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AuthzError,
  Verifier,
  analyzeStatement,
  checkStatement,
  createToken,
  generateKeyPair,
  verifyToken,
} from '../../pkg/node.mjs';
import { assertThrowsCode } from './helpers.mjs';

const NOW = 1_700_000_000;
const OPTIONS = { now: NOW };
const code = (fn, expected) => assertThrowsCode(AuthzError, fn, expected);

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const part = (value) => b64u(typeof value === 'string' ? value : JSON.stringify(value));

// One key of each type, each with a kid, as a provider's JWKS has them.
function keyPair(type, kid, alg) {
  const options =
    type === 'rsa' ? { modulusLength: 2048 } : type === 'ec' ? { namedCurve: 'P-256' } : {};
  const { privateKey, publicKey } = crypto.generateKeyPairSync(type, options);
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { privateKey, publicKey, publicJwk, alg, kid };
}
const ED = keyPair('ed25519', 'ed', 'EdDSA');
const RSA = keyPair('rsa', 'rsa', 'RS256');
const EC = keyPair('ec', 'ec', 'ES256');
const ALL = [ED, RSA, EC];
const JWKS = { keys: ALL.map((k) => k.publicJwk) };

/** The signature of `input` by `key` for `alg` (whatever the header claims). */
function signWith(key, alg, input) {
  const data = Buffer.from(input);
  switch (alg) {
    case 'EdDSA':
      return crypto.sign(null, data, key.privateKey);
    case 'RS256':
      return crypto.sign('sha256', data, key.privateKey);
    case 'ES256':
      return crypto.sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    default:
      throw new Error(alg);
  }
}

/** A compact JWS of these exact header and payload (objects or JSON text), signed by `key` with `alg`. */
function jws(header, payload, key = ED, alg = key.alg) {
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${b64u(signWith(key, alg, input))}`;
}
const token = (payload = {}, key = ED, header = {}) =>
  jws({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }, payload, key);
const hmac = (hash, secret, header, payload) => {
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${b64u(crypto.createHmac(hash, secret).update(input).digest())}`;
};

test('valid tokens of every key type verify (the baseline the attacks depart from)', () => {
  for (const key of ALL) {
    const grant = verifyToken(token({ id: 'db1', exp: NOW + 60 }, key), JWKS, {
      ...OPTIONS,
      database: 'db1',
    });
    assert.equal(grant.database, 'db1');
  }
});

test('RFC 8725 §2.1 / §3.1: alg none, in any spelling, signed or not', () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE', '', ' none', 'none ']) {
    const header = part({ alg, kid: 'ed' });
    const payload = part({ id: 'db1' });
    for (const signature of ['', 'AAAA', b64u(signWith(ED, 'EdDSA', `${header}.${payload}`))]) {
      code(
        () => verifyToken(`${header}.${payload}.${signature}`, JWKS, OPTIONS),
        'ERR_TOKEN_ALGORITHM',
      );
    }
  }
  code(
    () => verifyToken(`${part({ alg: 'none' })}.${part({})}`, JWKS, OPTIONS),
    'ERR_TOKEN_MALFORMED',
  );
  code(
    () => verifyToken(token({}), JWKS, { ...OPTIONS, algorithms: ['none'] }),
    'ERR_OPTIONS_INVALID',
  );
});

test('RFC 8725 §2.1: HMAC with a public key as the secret, for every key type and encoding', () => {
  for (const key of ALL) {
    const secrets = [
      key.publicKey.export({ format: 'pem', type: 'spki' }),
      key.publicKey.export({ format: 'der', type: 'spki' }),
      JSON.stringify(key.publicJwk),
      key.publicJwk.x
        ? Buffer.from(key.publicJwk.x, 'base64url')
        : Buffer.from(key.publicJwk.n, 'base64url'),
      key.publicJwk.x ?? key.publicJwk.n,
    ];
    for (const [alg, hash] of [
      ['HS256', 'sha256'],
      ['HS384', 'sha384'],
      ['HS512', 'sha512'],
    ]) {
      for (const secret of secrets) {
        for (const kid of [key.kid, undefined]) {
          const forged = hmac(hash, secret, { alg, kid, typ: 'JWT' }, { id: 'db1' });
          code(() => verifyToken(forged, JWKS, OPTIONS), 'ERR_TOKEN_ALGORITHM');
          code(() => verifyToken(forged, key.publicJwk, OPTIONS), 'ERR_TOKEN_ALGORITHM');
          code(
            () =>
              verifyToken(forged, JWKS, { ...OPTIONS, algorithms: ['RS256', 'ES256', 'EdDSA'] }),
            'ERR_TOKEN_ALGORITHM',
          );
        }
      }
    }
  }
  // A symmetric key never enters a verification set.
  code(
    () => verifyToken(token({}), { keys: [{ kty: 'oct', k: 'c2VjcmV0', alg: 'HS256' }] }, OPTIONS),
    'ERR_KEY_INVALID',
  );
});

test('algorithm swaps RS256 ↔ ES256 ↔ EdDSA: a kid never lends its key to another algorithm', () => {
  const algs = ['EdDSA', 'RS256', 'ES256'];
  for (const signer of ALL) {
    for (const claimed of algs) {
      for (const target of ALL) {
        if (claimed === target.alg && signer === target) continue;
        // Header names `claimed` and the kid of `target`; signed by `signer` with its own algorithm.
        const input = `${part({ alg: claimed, kid: target.kid })}.${part({ id: 'db1' })}`;
        const forged = `${input}.${b64u(signWith(signer, signer.alg, input))}`;
        assert.throws(
          () => verifyToken(forged, JWKS, OPTIONS),
          (error) => {
            assert.ok(error instanceof AuthzError);
            const expected = claimed === target.alg ? 'ERR_TOKEN_SIGNATURE' : 'ERR_TOKEN_ALGORITHM';
            assert.equal(
              error.code,
              expected,
              `${signer.alg} signature, alg ${claimed}, kid ${target.kid}: ${error.message}`,
            );
            return true;
          },
        );
      }
    }
  }
  // Without a kid: only a key fitting the claimed algorithm is ever tried.
  const noKid = jws({ alg: 'EdDSA' }, { id: 'db1' }, ED);
  code(
    () => verifyToken(noKid, { keys: [RSA.publicJwk, EC.publicJwk] }, OPTIONS),
    'ERR_TOKEN_KEY_NOT_FOUND',
  );
  // `algorithms` narrows what a set accepts.
  code(
    () => verifyToken(token({}, RSA), JWKS, { ...OPTIONS, algorithms: ['EdDSA'] }),
    'ERR_TOKEN_ALGORITHM',
  );
  // A key's own alg contradicting its type spoils the set.
  code(
    () => verifyToken(token({}), { keys: [{ ...ED.publicJwk, alg: 'RS256' }] }, OPTIONS),
    'ERR_KEY_INVALID',
  );
  // Case and aliases: exact names only.
  for (const alg of [
    'eddsa',
    'rs256',
    'Es256',
    'RS256 ',
    'PS256',
    'ES256K',
    'ES384',
    'RS512',
    'EdDSA\u0000',
  ]) {
    const forged = jws({ alg, kid: 'rsa' }, {}, RSA, 'RS256');
    code(() => verifyToken(forged, JWKS, OPTIONS), 'ERR_TOKEN_ALGORITHM');
  }
});

test('ES256: DER-encoded and truncated signatures are refused', () => {
  const input = `${part({ alg: 'ES256', kid: 'ec' })}.${part({})}`;
  const der = crypto.sign('sha256', Buffer.from(input), { key: EC.privateKey, dsaEncoding: 'der' });
  code(() => verifyToken(`${input}.${b64u(der)}`, JWKS, OPTIONS), 'ERR_TOKEN_SIGNATURE');
  const raw = signWith(EC, 'ES256', input);
  code(
    () => verifyToken(`${input}.${b64u(raw.subarray(0, 63))}`, JWKS, OPTIONS),
    'ERR_TOKEN_SIGNATURE',
  );
  code(
    () => verifyToken(`${input}.${b64u(Buffer.concat([raw, Buffer.from([0])]))}`, JWKS, OPTIONS),
    'ERR_TOKEN_SIGNATURE',
  );
  code(
    () => verifyToken(`${input}.${b64u(Buffer.alloc(64))}`, JWKS, OPTIONS),
    'ERR_TOKEN_SIGNATURE',
  );
});

test('tampering: a changed header, payload or signature byte', () => {
  const good = token({ id: 'db1', a: 'ro' });
  const [h, p, s] = good.split('.');
  code(
    () => verifyToken(`${h}.${part({ id: 'db1', a: 'rw' })}.${s}`, JWKS, OPTIONS),
    'ERR_TOKEN_SIGNATURE',
  );
  const sig = Buffer.from(s, 'base64url');
  sig[10] ^= 1;
  code(() => verifyToken(`${h}.${p}.${b64u(sig)}`, JWKS, OPTIONS), 'ERR_TOKEN_SIGNATURE');
  code(() => verifyToken(`${h}.${p}.`, JWKS, OPTIONS), 'ERR_TOKEN_SIGNATURE');
  code(() => verifyToken(`${h}.${p}`, JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  // The signature of another token with the same key.
  code(
    () => verifyToken(`${h}.${p}.${token({ id: 'db2' }).split('.')[2]}`, JWKS, OPTIONS),
    'ERR_TOKEN_SIGNATURE',
  );
});

test('kid tricks: missing, duplicated, path-like, very long, non-string', () => {
  const twoEd = keyPair('ed25519', 'ed2', 'EdDSA');
  // Missing kid with two keys that fit: no guessing.
  const noKid = jws({ alg: 'EdDSA' }, {}, ED);
  code(
    () => verifyToken(noKid, { keys: [ED.publicJwk, twoEd.publicJwk] }, OPTIONS),
    'ERR_TOKEN_KEY_NOT_FOUND',
  );
  // ... and with exactly one, it is that key.
  assert.ok(verifyToken(noKid, { keys: [ED.publicJwk, RSA.publicJwk] }, OPTIONS));
  // Duplicated in the JWKS (same key or not): the set is refused.
  code(
    () => verifyToken(token({}), { keys: [ED.publicJwk, ED.publicJwk] }, OPTIONS),
    'ERR_KEY_INVALID',
  );
  code(
    () =>
      verifyToken(token({}), { keys: [ED.publicJwk, { ...twoEd.publicJwk, kid: 'ed' }] }, OPTIONS),
    'ERR_KEY_INVALID',
  );
  code(
    () => new Verifier({ keys: [ED.publicJwk, { ...RSA.publicJwk, kid: 'ed' }] }),
    'ERR_KEY_INVALID',
  );
  code(
    () => verifyToken(token({}), { keys: [{ ...ED.publicJwk, kid: '' }] }, OPTIONS),
    'ERR_KEY_INVALID',
  );
  // Path-like, SQL-like and URL kids are names that match nothing.
  for (const kid of [
    '../../x',
    '../../../../dev/null',
    '/etc/passwd',
    "' OR 1=1 --",
    'http://127.0.0.1/k',
    'ed\u0000',
    'ED',
    ' ed',
  ]) {
    code(
      () =>
        verifyToken(
          jws({ alg: 'EdDSA', kid }, {}, ED),
          { keys: [ED.publicJwk, twoEd.publicJwk] },
          OPTIONS,
        ),
      'ERR_TOKEN_KEY_NOT_FOUND',
    );
  }
  // Very long: over MAX_IDENTIFIER_BYTES in a token or a key.
  const long = 'k'.repeat(1025);
  // (in a token, an over-long kid just names no key: keys cannot have one)
  code(
    () => verifyToken(jws({ alg: 'EdDSA', kid: long }, {}, ED), JWKS, OPTIONS),
    'ERR_TOKEN_KEY_NOT_FOUND',
  );
  code(
    () => verifyToken(token({}), { keys: [{ ...ED.publicJwk, kid: long }] }, OPTIONS),
    'ERR_INPUT_TOO_LARGE',
  );
  const edge = 'k'.repeat(1024);
  assert.ok(
    verifyToken(
      token({}, { ...ED, kid: edge }),
      { keys: [{ ...ED.publicJwk, kid: edge }] },
      OPTIONS,
    ),
  );
  // Non-string kids.
  for (const kid of [1, null, true, ['ed'], { kid: 'ed' }, 1e308]) {
    code(
      () => verifyToken(jws({ alg: 'EdDSA', kid }, {}, ED), JWKS, OPTIONS),
      'ERR_TOKEN_MALFORMED',
    );
    if (kid !== null)
      code(
        () => verifyToken(token({}), { keys: [{ ...ED.publicJwk, kid }] }, OPTIONS),
        'ERR_KEY_INVALID',
      );
  }
});

test('RFC 7515 §4.1.11 crit, b64: false (RFC 7797), and keys named by the token', () => {
  for (const extra of [
    { crit: ['exp'] },
    { crit: [] },
    { crit: ['b64'], b64: false },
    { crit: 'b64' },
    { crit: null },
    { b64: false },
    { b64: true },
    { b64: 'false' },
    { jku: 'http://127.0.0.1/jwks' },
    { x5u: 'http://127.0.0.1/x5u' },
    { x5c: ['MIIB'] },
    { jwk: ED.publicJwk },
  ]) {
    code(() => verifyToken(token({}, ED, extra), JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  }
  // An embedded key, signed by the attacker's own key: never trusted.
  const attacker = keyPair('ed25519', 'ed', 'EdDSA');
  code(
    () => verifyToken(token({ id: 'db1' }, attacker, { jwk: attacker.publicJwk }), JWKS, OPTIONS),
    'ERR_TOKEN_MALFORMED',
  );
  // Unencoded payload (`b64: false`, detached or inline with a raw payload).
  const header = part({ alg: 'EdDSA', kid: 'ed', b64: false, crit: ['b64'] });
  const raw = '{"id":"db1"}';
  const signature = b64u(signWith(ED, 'EdDSA', `${header}.${raw}`));
  code(() => verifyToken(`${header}.${raw}.${signature}`, JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  code(() => verifyToken(`${header}..${signature}`, JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  // Nested JWTs and other content types.
  code(() => verifyToken(token({}, ED, { cty: 'JWT' }), JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
});

test('JWS JSON serialization (flattened and general) and JWE are refused', () => {
  const [protectedHeader, payload, signature] = token({ id: 'db1' }).split('.');
  const flattened = JSON.stringify({ protected: protectedHeader, payload, signature });
  const general = JSON.stringify({
    payload,
    signatures: [{ protected: protectedHeader, signature }],
  });
  for (const form of [flattened, general, ` ${flattened}`, `\n${general}`, `[${flattened}]`]) {
    code(() => verifyToken(form, JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  }
  // Five parts: JWE compact.
  code(
    () =>
      verifyToken(
        `${part({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.AAAA.AAAA.AAAA.AAAA`,
        JWKS,
        OPTIONS,
      ),
    'ERR_TOKEN_MALFORMED',
  );
  code(() => verifyToken(`${token({})}.AAAA`, JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
});

test('encodings: non-canonical base64url, padding, standard base64, whitespace, NUL, lone surrogates', () => {
  const good = token({ id: 'db1' });
  const [h, p, s] = good.split('.');
  // Non-canonical trailing bits in each part (the last char's unused bits set).
  const bump = (segment) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(segment.at(-1));
    const unused = segment.length % 4 === 2 ? 15 : segment.length % 4 === 3 ? 3 : 0;
    if (unused === 0) return null;
    return segment.slice(0, -1) + alphabet[last | 1];
  };
  for (const [i, segment] of [h, p, s].entries()) {
    const bumped = bump(segment);
    if (!bumped || bumped === segment) continue;
    const parts = [h, p, s];
    parts[i] = bumped;
    code(() => verifyToken(parts.join('.'), JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  }
  const forms = [
    `${h}=.${p}.${s}`,
    `${h}.${p}.${s}=`,
    `${h}.${p}.${s}==`,
    `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}+`,
    ` ${good}`,
    `${good} `,
    `${good}\n`,
    `${h}. ${p}.${s}`,
    `${h}.${p}\t.${s}`,
    `Bearer ${good}`,
    `${good}\u0000`,
    `\u0000${good}`,
    `${h}\u0000.${p}.${s}`,
    `${good}\uD800`,
    `\uDC00${good}`,
    `${h}.${p}\uD83D.${s}`,
    `${good}\u00A0`,
    `${good}\uFEFF`,
    `\uFEFF${good}`,
    `${h}.${p}.${s}\u200B`,
    good.replace('.', '\u2024'),
    good.toUpperCase(),
  ];
  for (const form of forms) code(() => verifyToken(form, JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  // JSON text that is not clean: NUL, lone surrogate escapes, BOM, trailing garbage, comments.
  for (const payload of [
    '{"id":"db1"}\u0000',
    '{"id":"db1\u0000"',
    '{"id":"\\ud800"}',
    '{"id":"\\udc00x"}',
    '\uFEFF{"id":"db1"}',
    '{"id":"db1"} x',
    '{"id":"db1",}',
    '{"id":"db1"/* c */}',
    "{'id':'db1'}",
    '{"id":NaN}',
    '{"exp":Infinity}',
    '[]',
    '"db1"',
    'null',
    '',
    '{"id":"db1"}{"id":"db2"}',
  ]) {
    code(() => verifyToken(token(payload), JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  }
  // An escaped NUL is a different database name, never a truncation.
  const nul = token({ id: 'db1\u0000' });
  code(() => verifyToken(nul, JWKS, { ...OPTIONS, database: 'db1' }), 'ERR_TOKEN_SCOPE');
  // A lone surrogate in an option string is not the name it was cut from either.
  code(
    () => verifyToken(token({ id: 'db1' }), JWKS, { ...OPTIONS, database: 'db1\uD800' }),
    'ERR_TOKEN_SCOPE',
  );
});

test('numbers at the edges: exp, nbf, iat', () => {
  const bad = [
    1e308,
    -1e308,
    1.5,
    NOW + 0.5,
    '1700000100',
    `${NOW + 100}`,
    true,
    null,
    [NOW + 100],
    { v: 1 },
  ];
  for (const claim of ['exp', 'nbf', 'iat']) {
    for (const value of bad) {
      code(() => verifyToken(token({ [claim]: value }), JWKS, OPTIONS), 'ERR_TOKEN_CLAIMS');
    }
    // Exponent and fraction spellings of integers, and integers beyond i64.
    for (const text of [
      '1.7e9',
      '1700000100.0',
      '17000001e2',
      '9223372036854775808',
      '-9223372036854775809',
      '-0.0',
      '0.0',
      '1E2',
    ]) {
      code(() => verifyToken(token(`{"${claim}":${text}}`), JWKS, OPTIONS), 'ERR_TOKEN_CLAIMS');
    }
    // Not representable at all: the JSON itself is refused.
    code(() => verifyToken(token(`{"${claim}":1e400}`), JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  }
  // Negative and zero exp: integers in the past.
  code(() => verifyToken(token({ exp: -1 }), JWKS, OPTIONS), 'ERR_TOKEN_EXPIRED');
  code(() => verifyToken(token({ exp: 0 }), JWKS, OPTIONS), 'ERR_TOKEN_EXPIRED');
  code(
    () => verifyToken(token('{"exp":-9223372036854775808}'), JWKS, OPTIONS),
    'ERR_TOKEN_EXPIRED',
  );
  // Beyond 2^53 but within i64: far future, and the leeway does not overflow.
  for (const text of ['9007199254740993', '9223372036854775807']) {
    for (const leeway of [0, 2 ** 53 - 1]) {
      const grant = verifyToken(token(`{"exp":${text}}`), JWKS, { ...OPTIONS, leeway });
      assert.ok(grant.expiresAt >= 2 ** 53); // shown rounded to a JS number; compared exactly in the core
      if (leeway === 0 || text.length > 16) {
        code(
          () => verifyToken(token(`{"nbf":${text}}`), JWKS, { ...OPTIONS, leeway }),
          'ERR_TOKEN_NOT_YET_VALID',
        );
      }
    }
  }
  // `now` and `leeway` at the edges are options errors, not overflows.
  for (const now of [NaN, Infinity, -Infinity, 2 ** 53 + 2, '1700000000', 1e308]) {
    code(() => verifyToken(token({}), JWKS, { now }), 'ERR_OPTIONS_INVALID');
  }
  for (const leeway of [-1, 1.5, NaN, Infinity, 1e308, 2 ** 64, '60']) {
    code(() => verifyToken(token({}), JWKS, { ...OPTIONS, leeway }), 'ERR_OPTIONS_INVALID');
  }
});

test('duplicate JSON members anywhere: header, payload, nested in p / perm / unknown claims', () => {
  const header = (text) => {
    const input = `${b64u(text)}.${part({ id: 'db1' })}`;
    return `${input}.${b64u(signWith(ED, 'EdDSA', input))}`;
  };
  code(
    () => verifyToken(header('{"alg":"EdDSA","kid":"ed","alg":"EdDSA"}'), JWKS, OPTIONS),
    'ERR_TOKEN_MALFORMED',
  );
  code(
    () => verifyToken(header('{"alg":"EdDSA","kid":"ed","kid":"rsa"}'), JWKS, OPTIONS),
    'ERR_TOKEN_MALFORMED',
  );
  code(
    () => verifyToken(header('{"alg":"RS256","kid":"ed","alg":"EdDSA"}'), JWKS, OPTIONS),
    'ERR_TOKEN_MALFORMED',
  );
  // The same name spelled with escapes is the same name.
  code(
    () => verifyToken(header('{"alg":"EdDSA","kid":"ed","\\u0061lg":"EdDSA"}'), JWKS, OPTIONS),
    'ERR_TOKEN_MALFORMED',
  );
  for (const payload of [
    '{"id":"db1","id":"db2"}',
    '{"a":"ro","a":"rw"}',
    '{"exp":1,"exp":9999999999}',
    '{"exp":1,"\\u0065xp":9999999999}',
    '{"a":"ro","\\u0061":"rw"}',
    '{"p":{"ro":{"ns":["db1"]},"ro":{"ns":["db2"]}}}',
    '{"p":{"rw":{"ns":["db1"],"ns":["db2"]}}}',
    '{"perm":[{"t":["comments"],"a":["data_read"],"a":["data_delete"]}]}',
    '{"perm":[{"t":["comments"],"t":["all"],"a":["data_read"]}]}',
    '{"x":{"y":{"z":1,"z":2}}}',
    '{"x":[{"y":1,"y":1}]}',
  ]) {
    code(
      () => verifyToken(token(payload), JWKS, { ...OPTIONS, database: 'db1' }),
      'ERR_TOKEN_MALFORMED',
    );
  }
  // And in key sets.
  code(
    () =>
      verifyToken(
        token({}),
        `{"keys":[${JSON.stringify(ED.publicJwk).slice(0, -1)},"x":"${ED.publicJwk.x}"}]}`,
        OPTIONS,
      ),
    'ERR_KEY_INVALID',
  );
});

test('claim confusion: wrong types and unknown members in the authorization claims', () => {
  for (const payload of [
    { id: 1 },
    { id: ['db1'] },
    { id: null },
    { gid: {} },
    { a: 'RO' },
    { a: 'admin' },
    { a: true },
    { perm: 'comments:data_everything' },
    { perm: [{ t: 'comments', a: ['data_read'] }] },
    { perm: [{ t: ['comments'], a: ['data_read'], x: 1 }] },
    { p: { ro: { ns: 'db1' } } },
    { p: { admin: { ns: ['db1'] } } },
    { id: 'db1', gid: 'g1', p: [] },
    { iss: 1 },
    { aud: [1] },
    { aud: {} },
  ]) {
    assert.throws(
      () =>
        verifyToken(token(payload), JWKS, {
          ...OPTIONS,
          database: 'db1',
          group: 'g1',
          issuer: 'i',
          audience: 'a',
        }),
      (error) =>
        error instanceof AuthzError &&
        ['ERR_TOKEN_CLAIMS', 'ERR_TOKEN_ISSUER', 'ERR_TOKEN_AUDIENCE'].includes(error.code),
      JSON.stringify(payload),
    );
  }
  // Claims are judged only after the signature.
  const [h, , s] = token({}).split('.');
  code(
    () => verifyToken(`${h}.${part({ a: 'admin' })}.${s}`, JWKS, OPTIONS),
    'ERR_TOKEN_SIGNATURE',
  );
});

test('sizes: token, key set, JSON depth, rules', () => {
  const pad = (n) => token({ x: 'x'.repeat(n) });
  const base = pad(0).length;
  const limit = 64 * 1024;
  // The payload grows by 4 base64url chars per 3 bytes.
  let n = Math.floor(((limit - base) * 3) / 4);
  while (pad(n).length > limit) n -= 1;
  assert.ok(verifyToken(pad(n), JWKS, OPTIONS));
  let over = n;
  while (pad(over).length <= limit) over += 1;
  code(() => verifyToken(pad(over), JWKS, OPTIONS), 'ERR_INPUT_TOO_LARGE');
  code(() => verifyToken('a'.repeat(10 * 1024 * 1024), JWKS, OPTIONS), 'ERR_INPUT_TOO_LARGE');
  // JSON depth 16 accepted, 17 refused, 100000 refused without a stack overflow.
  const nest = (depth) => `${'{"x":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
  assert.ok(verifyToken(token(nest(16)), JWKS, OPTIONS));
  code(() => verifyToken(token(nest(17)), JWKS, OPTIONS), 'ERR_TOKEN_MALFORMED');
  code(
    () => verifyToken(token(`{"x":${'['.repeat(40_000)}${']'.repeat(40_000)}}`), JWKS, OPTIONS),
    'ERR_INPUT_TOO_LARGE',
  );
  code(
    () => verifyToken(token(`{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`), JWKS, OPTIONS),
    'ERR_TOKEN_MALFORMED',
  );
  code(
    () => verifyToken(token({}), `{"keys":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, OPTIONS),
    'ERR_KEY_INVALID',
  );
  // Key sets: 64 keys accepted, 65 refused; 256 KiB of text.
  const keys = (count) => ({
    keys: Array.from({ length: count }, (_, i) => ({ ...ED.publicJwk, kid: `k${i}` })),
  });
  assert.ok(new Verifier(keys(64)));
  code(() => new Verifier(keys(65)), 'ERR_INPUT_TOO_LARGE');
  code(
    () => new Verifier(JSON.stringify({ keys: [ED.publicJwk], pad: 'x'.repeat(256 * 1024) })),
    'ERR_INPUT_TOO_LARGE',
  );
  // Rules: 256 accepted, 257 refused, in a token and in createToken.
  const rules = (count) => Array.from({ length: count }, (_, i) => `t${i}:data_read`);
  const { privateJwk, publicJwk } = generateKeyPair();
  assert.equal(
    verifyToken(createToken(privateJwk, { permissions: rules(256) }), publicJwk).permissions.length,
    256,
  );
  code(() => createToken(privateJwk, { permissions: rules(257) }), 'ERR_INPUT_TOO_LARGE');
  code(() => verifyToken(token({ perm: rules(257) }), JWKS, OPTIONS), 'ERR_INPUT_TOO_LARGE');
});

test('limits just under and just over, with their codes (the ones not above)', async () => {
  const { readFileSync } = await import('node:fs');
  // MAX_PERMISSION_TABLES: 4096 table names over all rules of a token.
  const tables = (count) => Array.from({ length: count }, (_, i) => `t${i}`);
  assert.ok(
    verifyToken(
      token({
        perm: [
          { t: tables(2048), a: ['data_read'] },
          { t: tables(2048), a: ['data_add'] },
        ],
      }),
      JWKS,
      OPTIONS,
    ),
  );
  code(
    () =>
      verifyToken(
        token({
          perm: [
            { t: tables(2048), a: ['data_read'] },
            { t: tables(2049), a: ['data_add'] },
          ],
        }),
        JWKS,
        OPTIONS,
      ),
    'ERR_INPUT_TOO_LARGE',
  );
  // MAX_SCOPE_NAMESPACES: 4096 namespaces in a p claim.
  const ns = (count) => Array.from({ length: count }, (_, i) => `n${i}`);
  assert.ok(
    verifyToken(
      token({ p: { ro: { ns: ns(4000) }, rw: { ns: ns(96).map((n) => `w${n}`) } } }),
      JWKS,
      { ...OPTIONS, database: 'n1' },
    ),
  );
  code(
    () =>
      verifyToken(
        token({ p: { ro: { ns: ns(4000) }, rw: { ns: ns(97).map((n) => `w${n}`) } } }),
        JWKS,
        { ...OPTIONS, database: 'n1' },
      ),
    'ERR_INPUT_TOO_LARGE',
  );
  // MAX_IDENTIFIER_BYTES in claims and options: 1024 bytes (UTF-8), not characters.
  assert.ok(
    verifyToken(token({ id: 'é'.repeat(512) }), JWKS, { ...OPTIONS, database: 'é'.repeat(512) }),
  );
  code(
    () => verifyToken(token({ id: `${'é'.repeat(512)}x` }), JWKS, OPTIONS),
    'ERR_INPUT_TOO_LARGE',
  );
  // MAX_KEY_SET_BYTES: 256 KiB of key set text, just under and just over.
  const padded = (bytes) => {
    const base = JSON.stringify({ keys: [ED.publicJwk], pad: '' });
    return JSON.stringify({ keys: [ED.publicJwk], pad: 'x'.repeat(bytes - base.length) });
  };
  assert.ok(verifyToken(token({}), padded(256 * 1024), OPTIONS));
  code(() => verifyToken(token({}), padded(256 * 1024 + 1), OPTIONS), 'ERR_INPUT_TOO_LARGE');
  // MIN_RSA_MODULUS_BITS: 2048 accepted (above), 1024 refused; the 4096 upper bound.
  const rsa1024 = JSON.parse(
    readFileSync(new URL('../fixtures/rsa1024.private.jwk.json', import.meta.url)),
  );
  const { kty, n, e } = rsa1024;
  code(
    () => verifyToken(token({}), { keys: [{ kty, n, e, kid: 'small' }] }, OPTIONS),
    'ERR_KEY_INVALID',
  );
  const big = crypto
    .generateKeyPairSync('rsa', { modulusLength: 4104 })
    .publicKey.export({ format: 'jwk' });
  code(
    () => verifyToken(token({}), { keys: [{ ...big, kid: 'big' }] }, OPTIONS),
    'ERR_KEY_INVALID',
  );
  // MAX_SQL_DEPTH / MAX_SQL_CHAIN / MAX_SQL_TOKENS at the boundary (see src/sql/tests.rs).
  const grant = verifyToken(token({}), JWKS, OPTIONS);
  const sqlCode = (sql) => checkStatement(grant, sql).error?.code ?? null;
  const parens = (n) => `SELECT ${'('.repeat(n)}x${')'.repeat(n)} FROM t`;
  assert.equal(sqlCode(parens(198)), null);
  assert.equal(sqlCode(parens(199)), 'ERR_SQL_TOO_LARGE');
  const chain = (n) => `SELECT 1 FROM t WHERE ${'a OR '.repeat(n - 1)}a`;
  assert.equal(sqlCode(chain(1000)), null);
  assert.equal(sqlCode(chain(1001)), 'ERR_SQL_TOO_LARGE');
  const list = (n) => `SELECT ${'1,'.repeat(n - 1)}1`; // 2n tokens
  assert.equal(sqlCode(list(50_000)), null);
  assert.equal(sqlCode(list(50_001)), 'ERR_SQL_TOO_LARGE');
  assert.equal(sqlCode(`SELECT 1${' '.repeat(1024 * 1024 - 8)}`), null);
  assert.equal(sqlCode(`SELECT 1${' '.repeat(1024 * 1024 - 7)}`), 'ERR_SQL_TOO_LARGE');
  // MAX_VERIFIER_CACHE_ENTRIES / MAX_CACHED_TOKEN_BYTES are bounds, not errors: a full
  // cache and an uncacheable token still verify.
  const verifier = new Verifier(JWKS, { leeway: 0 });
  for (let i = 0; i < 1100; i += 1) verifier.verify(token({ i }), OPTIONS);
  assert.ok(verifier.verify(token({ x: 'x'.repeat(5000) }), OPTIONS));
});

// SQL -------------------------------------------------------------------------------------

const { privateJwk: sqlKey, publicJwk: sqlPublic } = generateKeyPair();
const commentsOnly = verifyToken(
  createToken(sqlKey, { permissions: ['comments:data_read'] }),
  sqlPublic,
);

test('SQL with NUL bytes, lone surrogates and look-alikes never allows more than it shows', () => {
  for (const sql of [
    'SELECT * FROM comments\u0000; DROP TABLE t',
    'SELECT * FROM comments;\u0000DELETE FROM comments',
    'SELECT * FROM "comments\u0000"',
    'SELECT * FROM comments\uD800',
    'SELECT * FROM \uD800comments',
    'SELECT * FROM "comments\uDC00"',
    'SELECT * FROM ｃomments',
    'SELECT * FROM comments\u00A0UNION SELECT * FROM secrets',
    'SELECT * FROM comments -- \u2028\nUNION SELECT * FROM secrets',
    'SELECT * FROM comments /* \u0000 */ UNION SELECT * FROM secrets',
    'SELECT * FROM [comments]] UNION SELECT * FROM secrets',
    "SELECT * FROM comments WHERE x = 'a\u0000' UNION SELECT * FROM secrets",
  ]) {
    const decision = checkStatement(commentsOnly, sql);
    assert.equal(decision.allowed, false, JSON.stringify(sql));
  }
  assert.equal(checkStatement(commentsOnly, 'SELECT * FROM comments').allowed, true);
  assert.equal(checkStatement(commentsOnly, 'SELECT * FROM "comments"').allowed, true);
});

// Issue 13, findings 1 and 2: where SQLite's tokenizer and the parser's disagree, the text
// is refused (ERR_SQL_UNSUPPORTED) instead of being read the parser's way.
test('virtual-table arguments that run code or read tables at run time are admin (issue 21)', () => {
  const grantOf = (options) => verifyToken(createToken(sqlKey, options), sqlPublic);
  // May create tables and write them, but is no admin.
  const maker = grantOf({ permissions: ['all:data_read,data_add,schema_add'] });
  const ftOnly = grantOf({ permissions: ['f:data_read,data_add,schema_add'] });
  const admin = grantOf({});
  const denied = [
    "CREATE VIRTUAL TABLE f USING fts4(x, compress=load_extension, uncompress=load_extension); INSERT INTO f VALUES ('/tmp/evil')",
    'CREATE VIRTUAL TABLE f USING fts4(x, compress=fts3_tokenizer, uncompress=fts3_tokenizer)',
    'CREATE VIRTUAL TABLE f USING fts4(x, compress=lower, uncompress=upper)',
    'CREATE VIRTUAL TABLE f USING fts4(x, tokenize=mine)',
    "CREATE VIRTUAL TABLE f USING fts5(x, tokenize='porter mine')",
    'CREATE VIRTUAL TABLE f USING fts5(x, frobnicate=1)',
    'CREATE VIRTUAL TABLE f USING fts5(title, body, cont=posts)',
  ];
  for (const sql of denied) {
    for (const grant of [maker, ftOnly]) {
      const decision = checkStatement(grant, sql);
      assert.equal(decision.allowed, false, sql);
      assert.ok(
        decision.denied.some((a) => a.action === 'admin' && a.reason),
        `${sql}: ${JSON.stringify(decision.denied)}`,
      );
    }
    assert.equal(checkStatement(admin, sql).allowed, true, sql);
  }
  // The index-shaping options and built-in tokenizers pass; content= needs the read.
  const shaped =
    "CREATE VIRTUAL TABLE f USING fts5(body, prefix='2 3', detail=column, tokenize='porter ascii')";
  assert.equal(checkStatement(ftOnly, shaped).allowed, true);
  const external = 'CREATE VIRTUAL TABLE f USING fts5(title, body, content=posts)';
  assert.deepEqual(
    checkStatement(ftOnly, external).denied.map((a) => `${a.action} ${a.table}`),
    ['data_read posts'],
  );
  assert.equal(checkStatement(maker, external).allowed, true);
});

test('SQL SQLite tokenizes differently: a BOM before a token, TCL-style variables, NUL', () => {
  const grantOf = (options) => verifyToken(createToken(sqlKey, options), sqlPublic);
  const commentsAdd = grantOf({ permissions: ['comments:data_add'] });
  const readOnly = grantOf({ readOnly: true });
  const allUpdate = grantOf({ permissions: ['all:data_update'] });
  const ftSchema = grantOf({ permissions: ['ft:schema_add'] });
  for (const [grant, sql] of [
    [commentsAdd, 'WITH "\ufeffsecret" AS (SELECT 1) SELECT * FROM \ufeffsecret'],
    [readOnly, "SELECT \ufeffload_extension('/tmp/evil')"],
    [readOnly, "SELECT \ufefffts3_tokenizer('simple')"],
    [readOnly, 'SELECT * FROM \ufeffdbstat'],
    [allUpdate, 'UPDATE \ufeffsqlite_dbpage SET data = zeroblob(4096) WHERE pgno = 1'],
    [
      ftSchema,
      "CREATE VIRTUAL TABLE IF NOT EXISTS ft USING fts5(a,$b('));DELETE FROM secret;SELECT 1 -- '))",
    ],
    [ftSchema, 'CREATE VIRTUAL TABLE ft USING fts5(a, @b(x), c)'],
    [ftSchema, 'CREATE VIRTUAL TABLE ft USING fts5(a, :b::c, d)'],
    [commentsAdd, 'INSERT INTO comments VALUES (1) -- \u0000\nDELETE FROM secret'],
  ]) {
    const decision = checkStatement(grant, sql);
    assert.equal(decision.allowed, false, JSON.stringify(sql));
    assert.equal(decision.error?.code, 'ERR_SQL_UNSUPPORTED', JSON.stringify(sql));
  }
  // The same characters where both tokenizers agree: inside strings and quoted names.
  assert.equal(
    checkStatement(commentsAdd, "INSERT INTO comments VALUES ('\ufeff$a(')").allowed,
    true,
  );
  assert.equal(checkStatement(readOnly, 'SELECT * FROM "\ufeffcomments"').allowed, true);
  assert.equal(checkStatement(readOnly, 'SELECT $a, @b, :c, #d, ?1').allowed, true);
});

test('SQL nesting: 100,000 parentheses, 10,000 subqueries, 1 MB of CASE WHEN are errors, not traps', () => {
  const tooLarge = (sql) => {
    const decision = checkStatement(commentsOnly, sql);
    assert.equal(decision.allowed, false);
    assert.equal(
      decision.error?.code,
      'ERR_SQL_TOO_LARGE',
      `${decision.error?.message} (${sql.length} bytes)`,
    );
    assert.equal(analyzeStatement(sql).error?.code, 'ERR_SQL_TOO_LARGE');
  };
  tooLarge(`SELECT ${'('.repeat(100_000)}1${')'.repeat(100_000)}`);
  tooLarge(`SELECT ${'(SELECT '.repeat(10_000)}1${')'.repeat(10_000)}`);
  tooLarge(
    `SELECT * FROM comments WHERE a IN ${'(SELECT a FROM comments WHERE a IN '.repeat(10_000)}(1)${')'.repeat(10_000)}`,
  );
  const n = Math.floor((1024 * 1024 - 100) / 'CASE WHEN 1 THEN  END'.length);
  tooLarge(`SELECT ${'CASE WHEN 1 THEN '.repeat(n)}1${' END'.repeat(n)}`);
  tooLarge(`SELECT 1 WHERE ${'a AND '.repeat(99_999)}a`);
  tooLarge(`SELECT ${'NOT '.repeat(200_000)}1`);
  tooLarge(`SELECT ${'- '.repeat(400_000)}1`);
  tooLarge(`SELECT ${'-+~'.repeat(300_000)}1`);
  tooLarge(`SELECT 'a'${' COLLATE x'.repeat(90_000)}`);
  tooLarge(`${'WITH a AS ('.repeat(10_000)}SELECT 1${')'.repeat(10_000)} SELECT 1`);
  tooLarge(`SELECT * FROM ${'(SELECT * FROM '.repeat(10_000)}comments${')'.repeat(10_000)}`);
  tooLarge('SELECT 1;'.repeat(1001));
  tooLarge(`SELECT 1${' '.repeat(1024 * 1024)}`);
  tooLarge(`SELECT * FROM ${'x'.repeat(1025)}`);
  // Just under: analysed.
  assert.equal(
    checkStatement(commentsOnly, `SELECT ${'('.repeat(150)}x${')'.repeat(150)} FROM comments`)
      .allowed,
    true,
  );
  assert.equal(checkStatement(commentsOnly, 'SELECT 1;'.repeat(1000)).statements.length, 1000);
  assert.equal(checkStatement(commentsOnly, `SELECT * FROM ${'x'.repeat(1024)}`).error, undefined);
});

// The bound README.md documents for the wasm memory after any accepted SQL text.
const SQL_MEMORY_BOUND = 48 * 2 ** 20;

test('SQL memory: the largest accepted hostile texts stay within the documented bound', () => {
  // Each shape in a child process with its own instance, so that its memory is measured
  // alone (wasm memory never shrinks): first the shape just over a limit (refused before
  // it costs memory), then the largest accepted one, both through the public
  // checkStatement with a grant that allows every read. The over texts grew the memory
  // to 81-260 MB, or took 11-28 s, before the limits that refuse them.
  const dir = mkdtempSync(join(tmpdir(), 'authz-memory-'));
  const glue = new URL('../../pkg/libsql_authz.js', import.meta.url).href;
  const api = new URL('../../pkg/api.js', import.meta.url).href;
  const wasm = fileURLToPath(new URL('../../pkg/libsql_authz_bg.wasm', import.meta.url));
  const script = `
    import { readFileSync } from 'node:fs';
    const glue = await import(${JSON.stringify(glue)});
    const exports = glue.initSync({ module: readFileSync(${JSON.stringify(wasm)}) });
    const api = await import(${JSON.stringify(api)});
    glue.__setErrorClass(api.AuthzError);
    const { privateJwk, publicJwk } = api.generateKeyPair();
    const grant = api.verifyToken(api.createToken(privateJwk, { permissions: ['all:data_read'] }), publicJwk);
    const [overFile, acceptedFile] = process.argv.slice(1);
    const over = api.checkStatement(grant, readFileSync(overFile, 'utf8'));
    const start = performance.now();
    const accepted = api.checkStatement(grant, readFileSync(acceptedFile, 'utf8'));
    const ms = performance.now() - start;
    console.log(JSON.stringify({ over: over.error?.code, error: accepted.error?.code ?? null, ms, memory: exports.memory.buffer.byteLength }));
  `;
  const repeat = (prefix, unit, count, suffix = '') => prefix + unit.repeat(count) + suffix;
  const list = (count, item, separator = ',') =>
    Array.from({ length: count }, (_, i) => item(i)).join(separator);
  const statements = (count, one) => list(count, one, ';');
  // Flat lists as long as MAX_SQL_TOKENS (100,000 per statement) allows, and over it.
  const tokens = (prefix, unit, tokensPerUnit, suffix) => {
    const count = Math.floor((100_000 - 20) / tokensPerUnit);
    const over = Math.floor((1_048_000 - prefix.length - suffix.length) / unit.length);
    return [repeat(prefix, unit, over, suffix), repeat(prefix, unit, count, suffix)];
  };
  const names = (i) => `n${String(i).padStart(12, '0')}`;
  const shapes = {
    'SELECT 1,1,...': tokens('SELECT ', '1,', 2, '1'),
    '(a),(a),...': tokens('SELECT 1 FROM ', '(a),', 4, '(a)'),
    'a JOIN a JOIN ...': tokens('SELECT 1 FROM a', ' JOIN a', 2, ''),
    'VALUES (1),(1),...': tokens('INSERT INTO t VALUES ', '(1),', 4, '(1)'),
    'IN (1,1,...)': tokens('SELECT 1 WHERE 1 IN (', '1,', 2, '1)'),
    'f(1,1,...)': tokens('SELECT f(', '1,', 2, '1)'),
    'CASE WHEN ...': tokens('SELECT CASE ', 'WHEN 1 THEN 1 ', 4, 'END'),
    'UNION ALL ...': tokens('', 'SELECT 1 UNION ALL ', 4, 'SELECT 1'),
    'ORDER BY (a.b),...': tokens('SELECT 1 FROM t ORDER BY ', '(a.b),', 6, '1'),
    '(SELECT 1),...': tokens('SELECT 1 FROM ', '(SELECT 1),', 5, '(SELECT 1)'),
    'ON CONFLICT ...': tokens(
      'INSERT INTO t SELECT 1 ',
      'ON CONFLICT (a) DO UPDATE SET a=1 ',
      11,
      '',
    ),
    '-x,...': tokens('SELECT ', '-x,', 3, '1'),
    // Distinct tables: MAX_SQL_NEEDS (10,000) in one statement or in 1000 together.
    'distinct tables': [
      `SELECT 1 FROM ${list(10_001, names, ' JOIN ')}`,
      `SELECT 1 FROM ${list(10_000, names, ' JOIN ')}`,
    ],
    'distinct tables in 1000 statements': [
      statements(1000, () => `SELECT 1 FROM ${list(340, (i) => `t${i}`, ' JOIN ')}`),
      statements(1000, (s) => `SELECT 1 FROM ${list(10, (i) => `s${s}t${i}`, ' JOIN ')}`),
    ],
    // Lists of names: MAX_SQL_LIST_ITEMS (2000).
    'FROM a,a,...': [
      `SELECT 1 FROM ${list(2001, () => 'a')}`,
      `SELECT 1 FROM ${list(2000, () => 'a')}`,
    ],
    'INSERT INTO t(a,b,...)': [
      `INSERT INTO t(${list(49_000, names)}) VALUES (1)`,
      `INSERT INTO t(${list(2000, names)}) VALUES (1)`,
    ],
    'CREATE TABLE t(a INT,...)': [
      `CREATE TABLE t(${list(33_000, (i) => `${names(i)} INT`)})`,
      `CREATE TABLE t(${list(2000, (i) => `${names(i)} INT`)})`,
    ],
    'USING (a,b,...)': [
      `SELECT 1 FROM a JOIN b USING (${list(49_000, names)})`,
      `SELECT 1 FROM a JOIN b USING (${list(2000, names)})`,
    ],
  };
  const report = [];
  for (const [name, [overText, acceptedText]] of Object.entries(shapes)) {
    const overFile = join(dir, 'over.sql');
    const acceptedFile = join(dir, 'accepted.sql');
    writeFileSync(overFile, overText);
    writeFileSync(acceptedFile, acceptedText);
    const stdout = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, overFile, acceptedFile],
      { encoding: 'utf8' },
    );
    const { over, error, ms, memory } = JSON.parse(stdout);
    assert.equal(over, 'ERR_SQL_TOO_LARGE', name);
    assert.equal(error, null, name);
    assert.ok(memory <= SQL_MEMORY_BOUND, `${name}: wasm memory reached ${memory} bytes`);
    report.push(`${name}: ${(memory / 2 ** 20).toFixed(0)} MiB, ${ms.toFixed(0)} ms`);
  }
  rmSync(dir, { recursive: true });
  console.log(`largest accepted texts (wasm memory, time of the check):\n  ${report.join('\n  ')}`);
});

test('the same module instance still verifies and checks after everything above', () => {
  const grant = verifyToken(token({ id: 'db1', perm: ['comments:data_read'] }), JWKS, {
    ...OPTIONS,
    database: 'db1',
  });
  assert.equal(checkStatement(grant, 'SELECT * FROM comments').allowed, true);
  assert.equal(checkStatement(grant, 'DELETE FROM comments').allowed, false);
  const { privateJwk, publicJwk } = generateKeyPair();
  const verifier = new Verifier(publicJwk, { database: 'db1' });
  assert.equal(verifier.verify(createToken(privateJwk, { database: 'db1' })).database, 'db1');
});
