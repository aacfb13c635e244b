// Tokens shaped as the libSQL server (sqld) and Turso Cloud issue them, minted with jose,
// read as their issuers mean them (issue 20): each shape in both directions, what it
// allows and what it still refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as jose from 'jose';
import { AuthzError, checkStatement, Verifier, verifyToken } from '../../pkg/node.mjs';
import { assertThrowsCode } from './helpers.mjs';

const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', { extractable: true });
const keys = { keys: [{ ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' }] };
const CLOUD_ID = '5b8f6d0e-1c1a-4d39-9b1e-0f6f3c2b7a10';

const mint = (claims) =>
  new jose.SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: 'k1' }).sign(privateKey);

const DB1 = { database: 'db1', group: 'g1' };
const assertScope = (token, options) =>
  assertThrowsCode(AuthzError, () => verifyToken(token, keys, options), 'ERR_TOKEN_SCOPE');

/** Which of these statements the token may run on the request `options`. */
function allowed(token, options, statements) {
  const grant = verifyToken(token, keys, options);
  return Object.fromEntries(statements.map((sql) => [sql, checkStatement(grant, sql).allowed]));
}

const SELECT = 'SELECT * FROM posts';
const INSERT = "INSERT INTO posts (title) VALUES ('x')";
const CREATE = 'CREATE TABLE t2 (x)';
const PRAGMA = 'PRAGMA journal_mode = WAL';

test('`perm: []` as `turso org jwks template --scope full-access` prints it: full access', async () => {
  const token = await mint({ a: 'rw', id: 'db1', perm: [], rid: CLOUD_ID });
  assert.deepEqual(allowed(token, DB1, [SELECT, INSERT, CREATE, PRAGMA]), {
    [SELECT]: true,
    [INSERT]: true,
    [CREATE]: true,
    [PRAGMA]: true,
  });
  assert.equal(verifyToken(token, keys, DB1).permissions, null);
  assertScope(token, { database: 'db2', group: 'g1' });
  // `perm: null` is the same; a wrong type in `perm` is still refused.
  const nulled = await mint({ a: 'rw', id: 'db1', perm: null });
  assert.equal(allowed(nulled, DB1, [INSERT])[INSERT], true);
  const wrong = await mint({ a: 'rw', id: 'db1', perm: {} });
  assertThrowsCode(AuthzError, () => verifyToken(wrong, keys, DB1), 'ERR_TOKEN_CLAIMS');
});

test('`"t": null` as the turso CLI sends `-p all:data_read`: read every table, nothing else', async () => {
  const token = await mint({ a: 'rw', id: 'db1', perm: [{ t: null, a: ['data_read'] }] });
  assert.deepEqual(allowed(token, DB1, [SELECT, 'SELECT * FROM comments', INSERT, PRAGMA]), {
    [SELECT]: true,
    'SELECT * FROM comments': true,
    [INSERT]: false,
    [PRAGMA]: false,
  });
  assert.deepEqual(verifyToken(token, keys, DB1).permissions, [
    { tables: 'all', actions: ['data_read'] },
  ]);
  // The CLI's help writes `data_insert`: an action that does not exist is still refused.
  const misspelt = await mint({ a: 'rw', id: 'db1', perm: [{ t: null, a: ['data_insert'] }] });
  assertThrowsCode(AuthzError, () => verifyToken(misspelt, keys, DB1), 'ERR_TOKEN_CLAIMS');
});

test('`a: "roa"`: read-only, the database attachable read-only, no write', async () => {
  const token = await mint({ a: 'roa', id: 'db1' });
  const grant = verifyToken(token, keys, DB1);
  assert.equal(grant.readOnly, true);
  assert.deepEqual(
    allowed(token, DB1, [SELECT, INSERT, CREATE, "ATTACH 'db1' AS db1", "ATTACH 'db2' AS db2"]),
    {
      [SELECT]: true,
      [INSERT]: false,
      [CREATE]: false,
      "ATTACH 'db1' AS db1": true,
      "ATTACH 'db2' AS db2": false,
    },
  );
  assertScope(token, { database: 'db2', group: 'g1' });
  const other = await mint({ a: 'admin', id: 'db1' });
  assertThrowsCode(AuthzError, () => verifyToken(other, keys, DB1), 'ERR_TOKEN_CLAIMS');
});

test('`p.ro.tags`: read-only on every database of the group, refused for another group', async () => {
  const token = await mint({ p: { ro: { tags: ['g1'] } } });
  assert.deepEqual(allowed(token, DB1, [SELECT, INSERT]), { [SELECT]: true, [INSERT]: false });
  const sibling = { database: 'db2', group: 'g1' };
  assert.deepEqual(allowed(token, sibling, [SELECT, INSERT]), { [SELECT]: true, [INSERT]: false });
  assertScope(token, { database: 'db1', group: 'g2' });
  // A tag names a group, never a database: without the group the token cannot be placed.
  assertScope(token, { database: 'g1' });
});

test('`p.ddl`: write and schema changes on its namespace, refused for another', async () => {
  const token = await mint({ p: { ddl: { ns: ['db1'] } } });
  assert.deepEqual(allowed(token, DB1, [SELECT, INSERT, CREATE]), {
    [SELECT]: true,
    [INSERT]: true,
    [CREATE]: true,
  });
  assertScope(token, { database: 'db2', group: 'g1' });
});

test('`p` present: `a` and `id` are not read, as sqld reads them', async () => {
  const token = await mint({ a: 'ro', id: 'other', p: { rw: { ns: ['db1'] } } });
  const grant = verifyToken(token, keys, DB1);
  assert.equal(grant.readOnly, false, '`a: "ro"` is not read');
  assert.equal(grant.database, null, '`id` is not read');
  assert.equal(allowed(token, DB1, [INSERT])[INSERT], true);
  assertScope(token, { database: 'other', group: 'g1' });
});

test('one verifier for sqld names and Turso Cloud ids: `databaseId`, `groupId`', async () => {
  const verifier = new Verifier(keys, {
    database: 'db1',
    databaseId: CLOUD_ID,
    group: 'g1',
    groupId: 'g-uuid',
  });
  const sqld = await mint({ id: 'db1', a: 'ro' });
  const cloud = await mint({ id: CLOUD_ID, a: 'rw', rid: 'r-1', perm: [] });
  const cloudGroup = await mint({ gid: 'g-uuid', a: 'ro' });
  assert.equal(verifier.verify(sqld).readOnly, true);
  assert.equal(checkStatement(verifier.verify(cloud), INSERT).allowed, true);
  assert.equal(verifier.verify(cloudGroup).readOnly, true);
  const elsewhere = await mint({ id: 'db2' });
  assertThrowsCode(AuthzError, () => verifier.verify(elsewhere), 'ERR_TOKEN_SCOPE');
  // Known by its id alone: a token naming it by name is out of scope.
  assertScope(sqld, { databaseId: CLOUD_ID });
  assert.equal(verifyToken(cloud, keys, { databaseId: CLOUD_ID }).readOnly, false);
  for (const options of [{ database: { name: 'db1' } }, { databaseID: CLOUD_ID }]) {
    assertThrowsCode(AuthzError, () => verifyToken(sqld, keys, options), 'ERR_OPTIONS_INVALID');
  }
});

test('provider claims and Cloud extras are ignored, never an error', async () => {
  const token = await mint({
    a: 'ro',
    id: 'db1',
    rid: CLOUD_ID,
    azp: 'https://app.example',
    sid: 'sess_2a',
    org_id: null,
    metadata: { plan: ['pro'] },
  });
  assert.deepEqual(allowed(token, DB1, [SELECT, INSERT]), { [SELECT]: true, [INSERT]: false });
  assert.equal(verifyToken(token, keys, DB1).claims.azp, 'https://app.example');
});
