// Cross-implementation: tokens minted by jose are verified by the package, tokens and
// keys made by the package are used by jose. Needs the real token core.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as jose from 'jose';
import {
  AuthzError,
  checkStatement,
  createToken,
  generateKeyPair,
  verifyToken,
} from '../../pkg/node.mjs';
import { assertThrowsCode } from './helpers.mjs';

const now = Math.floor(Date.now() / 1000);

async function joseKeyPair(alg, kid, options = {}) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, {
    extractable: true,
    ...options,
  });
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg };
  return { publicKey, privateKey, publicJwk };
}

function joseToken(privateKey, alg, kid, claims) {
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuedAt(now)
    .sign(privateKey);
}

const assertCode = (fn, code) => assertThrowsCode(AuthzError, fn, code);

test('EdDSA token from jose, JWKS from exportJWK: verified', async () => {
  const { privateKey, publicJwk } = await joseKeyPair('EdDSA', 'k1');
  const token = await joseToken(privateKey, 'EdDSA', 'k1', { id: 'db1', a: 'ro', exp: now + 3600 });
  const grant = verifyToken(token, { keys: [publicJwk] }, { database: 'db1' });
  assert.equal(grant.database, 'db1');
  assert.equal(grant.readOnly, true);
  assert.equal(grant.expiresAt, now + 3600);
  assert.equal(grant.claims.a, 'ro');
  assertCode(
    () => verifyToken(token, { keys: [publicJwk] }, { database: 'db2' }),
    'ERR_TOKEN_SCOPE',
  );
});

test('jose token with a fine-grained perm claim', async () => {
  const { privateKey, publicJwk } = await joseKeyPair('EdDSA', 'k1');
  const perm = [{ t: ['comments'], a: ['data_read', 'data_add'] }];
  const token = await joseToken(privateKey, 'EdDSA', 'k1', { gid: 'g1', perm });
  const grant = verifyToken(token, publicJwk, { database: 'db1', group: 'g1' });
  assert.deepEqual(grant.permissions, [
    { tables: ['comments'], actions: ['data_read', 'data_add'] },
  ]);
  assert.equal(grant.allows('main.comments', 'data_add'), true);
  assert.equal(grant.allows('comments', 'data_delete'), false);
});

test('jose tokens: rule table names are read as SQLite reads names (issue 13, finding 10)', async () => {
  const { privateKey, publicJwk } = await joseKeyPair('EdDSA', 'k1');
  const grantFor = async (t) =>
    verifyToken(
      await joseToken(privateKey, 'EdDSA', 'k1', { perm: [{ t, a: ['data_read'] }] }),
      publicJwk,
    );
  // `main.comments`, `"comments"` and `[Comments]` name the table `comments`.
  const grant = await grantFor(['main.comments', '"a.b"', 'temp.t']);
  assert.deepEqual(grant.permissions, [
    { tables: ['comments', '"a.b"', 'temp.t'], actions: ['data_read'] },
  ]);
  for (const sql of ['SELECT * FROM comments', 'SELECT * FROM "a.b"', 'SELECT * FROM temp.t']) {
    assert.equal(checkStatement(grant, sql).allowed, true, sql);
  }
  for (const sql of ['SELECT * FROM "main.comments"', 'SELECT * FROM t', 'SELECT * FROM a.b']) {
    assert.equal(checkStatement(grant, sql).allowed, false, sql);
  }
  assert.equal(
    checkStatement(await grantFor(['[Comments]']), 'SELECT 1 FROM comments').allowed,
    true,
  );
  // Another database's table, or text that is no SQL name: the token is rejected.
  for (const t of [['aux.t'], ['a.b'], ['a b']]) {
    await assert.rejects(grantFor(t), (error) => error.code === 'ERR_TOKEN_CLAIMS', t[0]);
  }
});

test('jose token: expired, wrong key, tampered, alg none', async () => {
  const { privateKey, publicJwk } = await joseKeyPair('EdDSA', 'k1');
  const other = await joseKeyPair('EdDSA', 'k2');
  const keys = { keys: [publicJwk] };
  const expired = await joseToken(privateKey, 'EdDSA', 'k1', { exp: now - 3600 });
  assertCode(() => verifyToken(expired, keys), 'ERR_TOKEN_EXPIRED');
  const signedByOther = await joseToken(other.privateKey, 'EdDSA', 'k2', {});
  assertCode(() => verifyToken(signedByOther, keys), 'ERR_TOKEN_KEY_NOT_FOUND');
  const good = await joseToken(privateKey, 'EdDSA', 'k1', { id: 'db1' });
  const [header, , signature] = good.split('.');
  const forged = [header, jose.base64url.encode(JSON.stringify({ id: 'db2' })), signature].join(
    '.',
  );
  assertCode(() => verifyToken(forged, keys), 'ERR_TOKEN_SIGNATURE');
  const unsecured = new jose.UnsecuredJWT({ id: 'db1' }).encode();
  assertCode(() => verifyToken(unsecured, keys), 'ERR_TOKEN_ALGORITHM');
});

test('provider tokens: RS256 and ES256 with issuer and audience', async () => {
  for (const alg of ['RS256', 'ES256']) {
    const { privateKey, publicJwk } = await joseKeyPair(alg, `${alg}-1`);
    const token = await new jose.SignJWT({ sub: 'user_1' })
      .setProtectedHeader({ alg, kid: `${alg}-1` })
      .setIssuer('https://issuer.example')
      .setAudience('libsql')
      .setExpirationTime(now + 600)
      .sign(privateKey);
    const options = { issuer: 'https://issuer.example', audience: ['libsql'] };
    const grant = verifyToken(token, { keys: [publicJwk] }, options);
    assert.equal(grant.claims.sub, 'user_1', alg);
    assertCode(
      () =>
        verifyToken(token, { keys: [publicJwk] }, { ...options, issuer: 'https://evil.example' }),
      'ERR_TOKEN_ISSUER',
    );
    assertCode(
      () => verifyToken(token, { keys: [publicJwk] }, { ...options, audience: 'other' }),
      'ERR_TOKEN_AUDIENCE',
    );
  }
});

test('package token verified by jose against the package JWKS', async () => {
  const { kid, privateJwk, publicJwk } = generateKeyPair();
  assert.equal(publicJwk.kid, kid);
  assert.equal(publicJwk.d, undefined);
  const token = createToken(privateJwk, { database: 'db1', readOnly: true, expiration: '1h', now });
  const { payload, protectedHeader } = await jose.jwtVerify(
    token,
    jose.createLocalJWKSet({ keys: [publicJwk] }),
    {
      algorithms: ['EdDSA', 'Ed25519'],
      currentDate: new Date(now * 1000),
    },
  );
  assert.equal(protectedHeader.kid, kid);
  assert.equal(payload.id, 'db1');
  assert.equal(payload.a, 'ro');
  assert.equal(payload.exp, now + 3600);
  assert.equal(payload.iat, now);
});

test('package private JWK signs with jose; the package verifies', async () => {
  const { kid, privateJwk, publicJwk } = generateKeyPair();
  const privateKey = await jose.importJWK(privateJwk, 'EdDSA');
  const token = await joseToken(privateKey, 'EdDSA', kid, { id: 'db1' });
  assert.equal(
    verifyToken(token, JSON.stringify({ keys: [publicJwk] }), { database: 'db1' }).database,
    'db1',
  );
});
