// External providers (Clerk, Auth0, any OIDC issuer): tokens minted by jose (an
// independent implementation) with RS256, ES256 and EdDSA keys, the JWKS exported by
// jose (`exportJWK` plus `kid`, `alg`, `use`), verified by the package with
// `verifyToken` and with a `Verifier`. Every mismatch has its stable code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPairSync, sign } from 'node:crypto';
import * as jose from 'jose';
import { AuthzError, Verifier, checkStatement, verifyToken } from '../../pkg/node.mjs';
import { assertThrowsCode } from './helpers.mjs';

const now = Math.floor(Date.now() / 1000);
const ISSUER = 'https://clerk.example.com';
const ALGS = ['RS256', 'ES256', 'EdDSA'];

const assertCode = (fn, code) => assertThrowsCode(AuthzError, fn, code);

/** A provider key: jose's key pair and its public JWK as a provider publishes it. */
async function providerKey(alg, kid, options = {}) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, {
    extractable: true,
    ...options,
  });
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk };
}

/** A token as a provider mints it: `iss`, `aud`, `sub`, `iat`, `exp`, plus `claims`. */
function providerToken(key, claims = {}, options = {}) {
  const { header = {} } = options;
  const iss = 'iss' in options ? options.iss : ISSUER; // given as undefined: no `iss`
  const aud = 'aud' in options ? options.aud : 'libsql';
  const jwt = new jose.SignJWT({
    sub: 'user_2x',
    azp: 'https://app.example.com',
    sid: 'sess_1',
    ...claims,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
    .setIssuedAt(now)
    .setNotBefore(now - 10)
    .setExpirationTime(now + 600);
  if (iss !== undefined) jwt.setIssuer(iss);
  if (aud !== undefined) jwt.setAudience(aud);
  return jwt.sign(key.privateKey);
}

// One key of each algorithm, in one JWKS (as a provider serves during a migration).
const keys = Object.fromEntries(
  await Promise.all(ALGS.map(async (alg) => [alg, await providerKey(alg, `${alg}-key-1`)])),
);
const jwks = { keys: ALGS.map((alg) => keys[alg].publicJwk) };

test('jose exports the JWKS members a provider publishes', () => {
  assert.deepEqual(
    jwks.keys.map((k) => [k.kty, k.crv ?? null, k.alg, k.use]),
    [
      ['RSA', null, 'RS256', 'sig'],
      ['EC', 'P-256', 'ES256', 'sig'],
      ['OKP', 'Ed25519', 'EdDSA', 'sig'],
    ],
  );
  for (const key of jwks.keys) assert.equal(key.d, undefined);
});

for (const alg of ALGS) {
  test(`${alg}: issuer and audience as a string and as a list, aud as a string and a list`, async () => {
    const key = keys[alg];
    const single = await providerToken(key, {}, { aud: 'libsql' });
    const listed = await providerToken(key, {}, { aud: ['https://api.example.com', 'libsql'] });
    const verifier = new Verifier(jwks, {
      issuer: [ISSUER, 'https://other.example'],
      audience: ['nope', 'libsql'],
    });
    for (const token of [single, listed]) {
      for (const options of [
        { issuer: ISSUER, audience: 'libsql' },
        { issuer: ['https://other.example', ISSUER], audience: ['nope', 'libsql'] },
        { issuer: ISSUER, audience: 'libsql', algorithms: [alg], database: 'db1' },
      ]) {
        const grant = verifyToken(token, jwks, options);
        assert.equal(grant.claims.sub, 'user_2x');
        assert.equal(grant.claims.iss, ISSUER);
        assert.equal(grant.expiresAt, now + 600);
      }
      assert.equal(verifier.verify(token).claims.sub, 'user_2x');
      assert.equal(verifier.verify(token).claims.sub, 'user_2x', 'from the cache');
    }
    assert.deepEqual(verifyToken(listed, jwks).claims.aud, ['https://api.example.com', 'libsql']);
    assert.equal(verifyToken(single, jwks).claims.aud, 'libsql');
  });

  test(`${alg}: issuer, audience, kid, algorithm mismatches`, async () => {
    const key = keys[alg];
    const token = await providerToken(key);
    const ok = { issuer: ISSUER, audience: 'libsql' };
    verifyToken(token, jwks, ok);
    assertCode(
      () => verifyToken(token, jwks, { ...ok, issuer: 'https://evil.example' }),
      'ERR_TOKEN_ISSUER',
    );
    assertCode(
      () =>
        verifyToken(token, jwks, {
          ...ok,
          issuer: [`${ISSUER}/`, 'https://clerk.example.com.evil'],
        }),
      'ERR_TOKEN_ISSUER',
    );
    assertCode(() => new Verifier(jwks, { ...ok, issuer: 'x' }).verify(token), 'ERR_TOKEN_ISSUER');
    const noIssuer = await providerToken(key, {}, { iss: undefined });
    assertCode(() => verifyToken(noIssuer, jwks, ok), 'ERR_TOKEN_ISSUER');
    assertCode(() => verifyToken(token, jwks, { ...ok, audience: 'other' }), 'ERR_TOKEN_AUDIENCE');
    assertCode(
      () => verifyToken(token, jwks, { ...ok, audience: ['a', 'LIBSQL'] }),
      'ERR_TOKEN_AUDIENCE',
    );
    assertCode(
      () => new Verifier(jwks, { ...ok, audience: 'x' }).verify(token),
      'ERR_TOKEN_AUDIENCE',
    );
    const noAudience = await providerToken(key, {}, { aud: undefined });
    assertCode(() => verifyToken(noAudience, jwks, ok), 'ERR_TOKEN_AUDIENCE');
    const unknownKid = await providerToken(key, {}, { header: { kid: `${alg}-key-2` } });
    assertCode(() => verifyToken(unknownKid, jwks, ok), 'ERR_TOKEN_KEY_NOT_FOUND');
    assertCode(() => new Verifier(jwks, ok).verify(unknownKid), 'ERR_TOKEN_KEY_NOT_FOUND');
    const others = ALGS.filter((other) => other !== alg);
    assertCode(
      () => verifyToken(token, jwks, { ...ok, algorithms: others }),
      'ERR_TOKEN_ALGORITHM',
    );
    assertCode(
      () => new Verifier(jwks, { ...ok, algorithms: others }).verify(token),
      'ERR_TOKEN_ALGORITHM',
    );
    // The header's kid names a key of another algorithm: the token's alg is not the key's.
    for (const other of others) {
      const crossed = await providerToken(key, {}, { header: { kid: keys[other].kid } });
      assertCode(() => verifyToken(crossed, jwks, ok), 'ERR_TOKEN_ALGORITHM');
    }
    // A key set without this algorithm's key.
    const without = { keys: others.map((other) => keys[other].publicJwk) };
    assertCode(() => verifyToken(token, without, ok), 'ERR_TOKEN_KEY_NOT_FOUND');
    // Tampered payload, signature of another key with the same kid.
    const [header, , signature] = token.split('.');
    const forged = [
      header,
      jose.base64url.encode(JSON.stringify({ iss: ISSUER, aud: 'libsql', sub: 'admin' })),
      signature,
    ].join('.');
    assertCode(() => verifyToken(forged, jwks, ok), 'ERR_TOKEN_SIGNATURE');
    const impostor = await providerKey(alg, key.kid);
    const byImpostor = await providerToken(impostor);
    assertCode(() => verifyToken(byImpostor, jwks, ok), 'ERR_TOKEN_SIGNATURE');
  });
}

test('ES256: many tokens verify (any valid r, s: WebCrypto does not normalise s)', async () => {
  const key = keys.ES256;
  for (let i = 0; i < 64; i += 1) {
    const token = await providerToken(key, { n: i });
    assert.equal(verifyToken(token, jwks, { issuer: ISSUER }).claims.n, i);
  }
});

test('RSA keys: 1024-bit refused (ERR_KEY_INVALID), 2048 and 4096 accepted', async () => {
  // jose refuses to make one; node:crypto does, and exports it as a JWK.
  const weakPair = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const weak = {
    ...weakPair.publicKey.export({ format: 'jwk' }),
    kid: 'weak',
    alg: 'RS256',
    use: 'sig',
  };
  assertCode(() => verifyToken('a.b.c', { keys: [weak] }), 'ERR_KEY_INVALID');
  assertCode(() => new Verifier({ keys: [...jwks.keys, weak] }), 'ERR_KEY_INVALID');
  const verifier = new Verifier(jwks);
  assertCode(() => verifier.updateKeys({ keys: [weak] }), 'ERR_KEY_INVALID');
  // A token signed by it, with the header naming it: still refused for the key.
  // (jose will not sign with it either: node:crypto signs RS256 by hand.)
  const input = ['{"alg":"RS256","kid":"weak"}', '{"sub":"x"}']
    .map((part) => jose.base64url.encode(part))
    .join('.');
  const weakSigned = `${input}.${jose.base64url.encode(sign('sha256', Buffer.from(input), weakPair.privateKey))}`;
  assertCode(() => verifyToken(weakSigned, { keys: [weak] }), 'ERR_KEY_INVALID');
  const token = await providerToken(keys.RS256);
  assert.equal(
    verifier.verify(token).claims.sub,
    'user_2x',
    'a refused update keeps the previous keys',
  );
  const strong = await providerKey('RS256', 'strong', { modulusLength: 4096 });
  const strongToken = await providerToken(strong);
  assert.equal(verifyToken(strongToken, { keys: [strong.publicJwk] }).claims.sub, 'user_2x');
});

test('a JWK whose alg does not fit its key, and keys not for signatures', async () => {
  const ec = keys.ES256.publicJwk;
  assertCode(() => verifyToken('a.b.c', { keys: [{ ...ec, alg: 'RS256' }] }), 'ERR_KEY_INVALID');
  // An encryption key is skipped; with nothing else, the set has no usable key.
  assertCode(() => verifyToken('a.b.c', { keys: [{ ...ec, use: 'enc' }] }), 'ERR_KEY_INVALID');
  // Next to a signing key it is skipped, so its kid is unknown.
  const token = await providerToken(keys.ES256);
  const set = { keys: [{ ...keys.RS256.publicJwk }, { ...ec, use: 'enc' }] };
  assertCode(() => verifyToken(token, set), 'ERR_TOKEN_KEY_NOT_FOUND');
});

test('a provider token without id, gid or p is organisation-wide', async () => {
  const token = await providerToken(keys.RS256);
  const verifier = new Verifier(jwks, { issuer: ISSUER, audience: 'libsql' });
  for (const database of ['db1', 'analytics', 'x']) {
    const grant = verifyToken(token, jwks, { issuer: ISSUER, database, group: 'prod' });
    assert.equal(grant.database, null);
    assert.equal(grant.group, null);
    assert.equal(grant.readOnly, false);
    assert.equal(grant.permissions, null);
    assert.equal(checkStatement(grant, 'DELETE FROM comments').allowed, true);
    assert.ok(verifier.verify(token));
  }
});

test('a provider token carrying perm and a is honoured', async () => {
  const readOnly = await providerToken(keys.ES256, { a: 'ro' });
  const ro = verifyToken(readOnly, jwks, { issuer: ISSUER, database: 'db1' });
  assert.equal(ro.readOnly, true);
  assert.equal(checkStatement(ro, 'SELECT * FROM comments').allowed, true);
  assert.equal(checkStatement(ro, 'INSERT INTO comments VALUES (1)').allowed, false);

  const perm = [{ t: ['comments'], a: ['data_read', 'data_add'] }];
  const fine = await providerToken(keys.EdDSA, { perm, id: 'db1' });
  const grant = new Verifier(jwks, { issuer: ISSUER, database: 'db1' }).verify(fine);
  assert.deepEqual(grant.permissions, [
    { tables: ['comments'], actions: ['data_read', 'data_add'] },
  ]);
  assert.equal(grant.allows('comments', 'data_add'), true);
  assert.equal(grant.allows('comments', 'data_delete'), false);
  assert.equal(grant.allows('users', 'data_read'), false);
  assert.equal(checkStatement(grant, 'INSERT INTO comments SELECT * FROM users').allowed, false);
  assertCode(() => verifyToken(fine, jwks, { database: 'db2' }), 'ERR_TOKEN_SCOPE');

  const cli = await providerToken(keys.RS256, { perm: ['comments:data_read'] }); // rules in the CLI form
  assert.deepEqual(verifyToken(cli, jwks).permissions, [
    { tables: ['comments'], actions: ['data_read'] },
  ]);
  // An authorization claim the gate cannot read rejects the token (fail closed).
  for (const claims of [
    { a: 'admin' },
    { perm: [{ t: ['comments'], a: ['drop'] }] },
    { perm: 'comments:data_read' },
    { perm: 42 },
    { id: 7 },
  ]) {
    const bad = await providerToken(keys.RS256, claims);
    assertCode(() => verifyToken(bad, jwks), 'ERR_TOKEN_CLAIMS');
  }
  // Auth0's RBAC `permissions` and `scope` are not this package's: kept in claims, ignored.
  const auth0 = await providerToken(keys.RS256, {
    permissions: ['read:messages'],
    scope: 'openid',
  });
  const auth0Grant = verifyToken(auth0, jwks);
  assert.equal(auth0Grant.permissions, null);
  assert.deepEqual(auth0Grant.claims.permissions, ['read:messages']);
});

test('a rotating JWKS: Verifier.updateKeys drops the old key and its cached tokens', async () => {
  const old = keys.RS256;
  const next = await providerKey('RS256', 'RS256-key-2');
  const verifier = new Verifier({ keys: [old.publicJwk] }, { issuer: ISSUER });
  const oldToken = await providerToken(old);
  assert.equal(verifier.verify(oldToken).claims.sub, 'user_2x'); // now cached
  const newToken = await providerToken(next);
  assertCode(() => verifier.verify(newToken), 'ERR_TOKEN_KEY_NOT_FOUND');
  // The provider publishes both during the rotation: both verify.
  verifier.updateKeys({ keys: [next.publicJwk, old.publicJwk] });
  assert.ok(verifier.verify(oldToken));
  assert.ok(verifier.verify(newToken));
  // The old key leaves: its tokens fail at once, the cached one included.
  verifier.updateKeys({ keys: [next.publicJwk] });
  assertCode(() => verifier.verify(oldToken), 'ERR_TOKEN_KEY_NOT_FOUND');
  assert.ok(verifier.verify(newToken));
  // The same kid with another key (a provider reusing kids): the cache must not answer.
  const reused = await providerKey('RS256', 'RS256-key-2');
  verifier.updateKeys({ keys: [reused.publicJwk] });
  assertCode(() => verifier.verify(newToken), 'ERR_TOKEN_SIGNATURE');
  // Another algorithm under the old kid: the old token now names a key of another type.
  const swapped = { ...keys.ES256.publicJwk, kid: old.kid };
  verifier.updateKeys({ keys: [swapped] });
  assertCode(() => verifier.verify(oldToken), 'ERR_TOKEN_ALGORITHM');
});
