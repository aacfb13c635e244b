// The package API as docs/api.md describes it, through the Node ESM entry.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  AuthzError,
  Grant,
  Verifier,
  analyzeStatement,
  checkStatement,
  claimsTemplate,
  createToken,
  generateKeyPair,
  verifyToken,
} from '../../pkg/node.mjs';
import { assertThrowsCode } from './helpers.mjs';

const now = 1_800_000_000;

const assertCode = (fn, code) => assertThrowsCode(AuthzError, fn, code);

// Error paths: these hold whether the core is real or a stub.

test('errors are AuthzError instances with a stable code', () => {
  assertCode(() => verifyToken('a.b.c', 'key', { databse: 'db1' }), 'ERR_OPTIONS_INVALID');
  assertCode(() => verifyToken(undefined, 'key'), 'ERR_TOKEN_MALFORMED');
  assertCode(() => verifyToken('a.b.c', 42), 'ERR_KEY_INVALID');
  assertCode(() => createToken('{}', { expiration: -1 }), 'ERR_OPTIONS_INVALID');
  assertCode(() => new Verifier({ keys: [] }, { now: 1 }), 'ERR_OPTIONS_INVALID');
});

test('checkStatement of a non-Grant throws ERR_OPTIONS_INVALID', () => {
  for (const value of [undefined, null, {}, { database: 'db1' }, 'grant']) {
    assertCode(() => checkStatement(value, 'SELECT 1'), 'ERR_OPTIONS_INVALID');
  }
});

test('Grant cannot be constructed from JS', () => {
  assertCode(() => new Grant(), 'ERR_OPTIONS_INVALID');
  assertCode(
    () => checkStatement(Object.create(Grant.prototype), 'SELECT 1'),
    'ERR_OPTIONS_INVALID',
  );
});

test('AuthzError is exported and constructible', () => {
  const error = new AuthzError('ERR_TOKEN_EXPIRED', 'expired');
  assert.equal(error.name, 'AuthzError');
  assert.equal(error.code, 'ERR_TOKEN_EXPIRED');
  assert.ok(error instanceof Error);
});

// Real behaviour: needs the token core and the SQL analyser.

function mint(options) {
  const pair = generateKeyPair();
  return { ...pair, token: createToken(pair.privateJwk, { now, ...options }) };
}

test('generateKeyPair gives an OKP Ed25519 pair with one kid', () => {
  const { kid, privateJwk, publicJwk } = generateKeyPair();
  assert.equal(typeof kid, 'string');
  assert.deepEqual([publicJwk.kty, publicJwk.crv, publicJwk.kid], ['OKP', 'Ed25519', kid]);
  assert.equal(typeof privateJwk.d, 'string');
  assert.equal(publicJwk.d, undefined);
  assert.notEqual(generateKeyPair().kid, kid);
});

test('database token: scope, grant getters, every key input form', () => {
  const { publicJwk, token } = mint({ database: 'db1', expiration: '7d' });
  for (const keys of [
    { keys: [publicJwk] },
    publicJwk,
    [publicJwk],
    JSON.stringify({ keys: [publicJwk] }),
  ]) {
    const grant = verifyToken(token, keys, { database: 'db1', now });
    assert.ok(grant instanceof Grant);
    assert.equal(grant.database, 'db1');
    assert.equal(grant.group, null);
    assert.equal(grant.readOnly, false);
    assert.equal(grant.permissions, null);
    assert.equal(grant.expiresAt, now + 7 * 86400);
    assert.equal(grant.claims.id, 'db1');
  }
  assertCode(
    () => verifyToken(token, { keys: [publicJwk] }, { database: 'db2', now }),
    'ERR_TOKEN_SCOPE',
  );
});

test('expiry with the default 60 s leeway, and with leeway 0', () => {
  const { publicJwk, token } = mint({ database: 'db1', expiration: 100 });
  const keys = { keys: [publicJwk] };
  assert.ok(verifyToken(token, keys, { now: now + 159 }));
  assertCode(() => verifyToken(token, keys, { now: now + 161 }), 'ERR_TOKEN_EXPIRED');
  assertCode(() => verifyToken(token, keys, { now: now + 101, leeway: 0 }), 'ERR_TOKEN_EXPIRED');
});

test('group token and read-only fine-grained token', () => {
  const group = mint({ group: 'g1' });
  assert.equal(
    verifyToken(group.token, group.publicJwk, { database: 'db9', group: 'g1', now }).group,
    'g1',
  );
  assertCode(
    () => verifyToken(group.token, group.publicJwk, { database: 'db9', group: 'g2', now }),
    'ERR_TOKEN_SCOPE',
  );

  const fine = mint({
    database: 'db1',
    readOnly: true,
    permissions: ['comments:data_read,data_add'],
  });
  const grant = verifyToken(fine.token, fine.publicJwk, { database: 'db1', now });
  assert.equal(grant.readOnly, true);
  assert.deepEqual(grant.permissions, [
    { tables: ['comments'], actions: ['data_read', 'data_add'] },
  ]);
  assert.equal(grant.allows('comments', 'data_read'), true);
  assert.equal(grant.allows('comments', 'data_add'), false); // read-only wins
  assert.equal(grant.allows('posts', 'data_read'), false);
  assert.equal(grant.allows('sqlite_schema', 'data_read'), true);
  assertCode(() => grant.allows('comments', 'drop_table'), 'ERR_OPTIONS_INVALID');
});

test('createToken rejects bad expirations and permissions', () => {
  const { privateJwk } = generateKeyPair();
  assertCode(() => createToken(privateJwk, { expiration: '7 days' }), 'ERR_OPTIONS_INVALID');
  assertCode(
    () => createToken(privateJwk, { permissions: ['comments:drop'] }),
    'ERR_OPTIONS_INVALID',
  );
  assertCode(() => createToken('not a jwk', {}), 'ERR_KEY_INVALID');
});

test('Verifier: verify per call, updateKeys rotates', () => {
  const first = mint({ database: 'db1' });
  const second = mint({ database: 'db1' });
  const verifier = new Verifier({ keys: [first.publicJwk] }, { database: 'db1' });
  assert.equal(verifier.verify(first.token, { now }).database, 'db1');
  assert.equal(verifier.verify(first.token).database, 'db1'); // now = Date.now()
  assertCode(() => verifier.verify(second.token, { now }), 'ERR_TOKEN_KEY_NOT_FOUND');
  verifier.updateKeys({ keys: [second.publicJwk] });
  assert.equal(verifier.verify(second.token, { now }).database, 'db1');
  assertCode(() => verifier.verify(first.token, { now }), 'ERR_TOKEN_KEY_NOT_FOUND');
  assertCode(() => verifier.updateKeys('not a key'), 'ERR_KEY_INVALID');
  assert.equal(verifier.verify(second.token, { now }).database, 'db1'); // old keys kept
});

test('Verifier: a repeated token is served from its cache, with the time check of every hit', () => {
  const { token, publicJwk } = mint({ database: 'db1', expiration: 100, now });
  const verifier = new Verifier({ keys: [publicJwk] }, { database: 'db1' });
  const first = verifier.verify(token, { now });
  first.free(); // a hit hands out a new Grant sharing the cached claims, whatever the caller freed
  for (const at of [now, now + 159]) {
    const again = verifier.verify(token, { now: at });
    assert.ok(again instanceof Grant);
    assert.deepEqual([again.database, again.expiresAt], ['db1', now + 100]);
  }
  assert.equal(verifier.verify(token, {}).database, 'db1'); // now = Date.now(), before this test's `now`
  assert.equal(verifier.verify(token, null).database, 'db1');
  assert.equal(verifier.verify(token, { now: undefined }).database, 'db1');
  assert.equal(verifier.verify(token).database, 'db1');
  // Past exp + leeway: the hit's time check fails, and the token is forgotten.
  assertCode(() => verifier.verify(token, { now: now + 160 }), 'ERR_TOKEN_EXPIRED');
  assert.equal(verifier.verify(token, { now }).database, 'db1');
  // Options are checked on a hit as on a miss.
  assertCode(() => verifier.verify(token, { now, databse: 'db2' }), 'ERR_OPTIONS_INVALID');
  assertCode(() => verifier.verify(token, { now: '1800000000' }), 'ERR_OPTIONS_INVALID');
  assertCode(() => verifier.verify(token, { now: Infinity }), 'ERR_OPTIONS_INVALID');
  assertCode(() => verifier.verify(token, [now]), 'ERR_OPTIONS_INVALID');
  assertCode(() => verifier.verify(token, 'now'), 'ERR_OPTIONS_INVALID');
  // New keys: a token of a key that left fails, cache or not.
  verifier.updateKeys({ keys: [mint({}).publicJwk] });
  assertCode(() => verifier.verify(token, { now }), 'ERR_TOKEN_KEY_NOT_FOUND');
});

test('Verifier: with `null` keys it has none until updateKeys brings them', () => {
  const { token, publicJwk } = mint({ database: 'db1' });
  const verifier = new Verifier(null, { database: 'db1' });
  assertCode(() => verifier.verify(token, { now }), 'ERR_TOKEN_KEY_NOT_FOUND');
  verifier.updateKeys({ keys: [publicJwk] });
  assert.equal(verifier.verify(token, { now }).database, 'db1');
  assertCode(() => new Verifier(null, { databse: 'db1' }), 'ERR_OPTIONS_INVALID');
  assertCode(() => new Verifier(undefined), 'ERR_KEY_INVALID');
});

test('checkStatement and analyzeStatement', () => {
  const { publicJwk, token } = mint({ database: 'db1', permissions: ['comments:data_read'] });
  const grant = verifyToken(token, publicJwk, { database: 'db1', now });
  const allowed = checkStatement(grant, 'SELECT * FROM comments');
  assert.equal(allowed.allowed, true);
  assert.equal(allowed.statements.length, 1);
  const denied = checkStatement(grant, 'DELETE FROM comments');
  assert.equal(denied.allowed, false);
  assert.deepEqual(
    denied.denied.map(({ table, action }) => [table, action]),
    [['comments', 'data_delete']],
  );
  const broken = checkStatement(grant, 'SELEC 1');
  assert.equal(broken.allowed, false);
  assert.equal(broken.error.code, 'ERR_SQL_PARSE');
  assert.equal(analyzeStatement('INSERT INTO t VALUES (1)').statements.length, 1);
});

// checkStatement builds its object from the wasm's separated fields (src/ffi/wire.rs,
// js/wire.js); analyzeStatement is serde's own JSON of the analysis.
// Over the whole corpus, under grants that allow and deny, the two must tell the same
// statements, texts, kinds and accesses, and the decision must hang together.
test('checkStatement agrees with analyzeStatement over the corpus', () => {
  const corpusDir = new URL('../corpus/', import.meta.url);
  const corpus = readdirSync(corpusDir)
    .sort()
    .flatMap((file) =>
      readFileSync(new URL(file, corpusDir), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('##'))
        .map((line) => line.trimEnd().replaceAll('\\n', '\n')),
    );
  const extra = [
    "SELECT 'é' FROM t; DELETE FROM t", // not ASCII: texts sent as text
    'DELETE FROM "tablé"',
    '/* DELETE FROM t */ DELETE FROM t', // the statement's text also inside a comment
    '  SELECT 1 ;\n\n ; DELETE FROM t ; ',
    'SELECT * FROM t /* open comment',
    'SELECT 1; SELEC 2',
    '',
    // names and reasons that hold the wire's separator (U+001F) or start with `"`
    'DELETE FROM "\x1f"; SELECT * FROM """q"; UPDATE "a\x1fb" SET c = 1',
    'INSERT INTO """" VALUES (1); SELECT \'é\x1f\' FROM "\x1f"',
  ];
  const grants = [
    mint({ database: 'db1' }),
    mint({ database: 'db1', readOnly: true }),
    mint({
      database: 'db1',
      permissions: ['comments:data_read,data_add', 'all:data_read', 't:data_delete'],
    }),
  ].map(({ publicJwk, token }) => verifyToken(token, publicJwk, { database: 'db1', now }));
  let denials = 0;
  for (const sql of [...corpus, ...extra]) {
    const analysis = analyzeStatement(sql);
    for (const grant of grants) {
      const decision = checkStatement(grant, sql);
      const where = `${JSON.stringify(sql)}`;
      assert.deepEqual(
        Object.keys(decision),
        ['allowed', 'statements', 'denied', ...(analysis.error ? ['error'] : [])],
        where,
      );
      assert.deepEqual(decision.error, analysis.error, where);
      assert.equal(decision.statements.length, analysis.statements.length, where);
      decision.statements.forEach((statement, i) => {
        const expected = analysis.statements[i];
        assert.deepEqual(Object.keys(statement), ['sql', 'kind', 'accesses', 'allowed'], where);
        assert.equal(statement.sql, expected.sql, where);
        assert.equal(statement.kind, expected.kind, where);
        assert.deepEqual(
          statement.accesses.map(({ table, action }) => ({ table, action })),
          expected.needs.map(({ table, action }) => ({ table, action })),
          where,
        );
        for (const access of statement.accesses) {
          assert.deepEqual(
            Object.keys(access),
            ['table', 'action', 'allowed', ...(access.allowed ? [] : ['reason'])],
            where,
          );
        }
        assert.equal(
          statement.allowed,
          statement.accesses.every((access) => access.allowed),
          where,
        );
      });
      const deniedAccesses = decision.statements.flatMap((statement) =>
        statement.accesses.filter((access) => !access.allowed),
      );
      assert.deepEqual(decision.denied, deniedAccesses, where);
      assert.ok(
        decision.denied.every((access, i) => access !== deniedAccesses[i]),
        'denied holds copies',
      );
      assert.equal(
        decision.allowed,
        !analysis.error && decision.statements.every((statement) => statement.allowed),
        where,
      );
      if (!decision.allowed) denials += 1;
    }
  }
  assert.ok(
    denials > 100 && corpus.length > 100,
    `a corpus that allows and denies (${denials} denials)`,
  );
});

test('checkStatement: a decision in full, with texts that are and are not ASCII', () => {
  const { publicJwk, token } = mint({ database: 'db1', permissions: ['t:data_read'] });
  const grant = verifyToken(token, publicJwk, { database: 'db1', now });
  const reason = 'no rule allows data_delete on `t`';
  for (const [sql, first, second] of [
    [
      ' SELECT a FROM t;\nDELETE FROM t WHERE a = 1; ',
      'SELECT a FROM t',
      'DELETE FROM t WHERE a = 1',
    ],
    [
      "SELECT 'ü' FROM t; DELETE FROM t WHERE a = 'ß'",
      "SELECT 'ü' FROM t",
      "DELETE FROM t WHERE a = 'ß'",
    ],
  ]) {
    assert.deepEqual(checkStatement(grant, sql), {
      allowed: false,
      statements: [
        {
          sql: first,
          kind: 'select',
          accesses: [{ table: 't', action: 'data_read', allowed: true }],
          allowed: true,
        },
        {
          sql: second,
          kind: 'delete',
          accesses: [
            { table: 't', action: 'data_delete', allowed: false, reason },
            { table: 't', action: 'data_read', allowed: true },
          ],
          allowed: false,
        },
      ],
      denied: [{ table: 't', action: 'data_delete', allowed: false, reason }],
    });
  }
  // A name that holds the wire's field separator, or starts with `"`, in a reason too.
  for (const table of ['\x1f', '"q', 'a\x1fb"']) {
    const quoted = `"${table.replaceAll('"', '""')}"`;
    assert.deepEqual(checkStatement(grant, `DELETE FROM ${quoted}`).statements[0].accesses, [
      {
        table,
        action: 'data_delete',
        allowed: false,
        reason: `no rule allows data_delete on \`${table}\``,
      },
    ]);
  }
});

test('grants freed by their caller give their wasm memory back', async () => {
  // The same modules as this file's entry, unbundled, so that the instance's memory is
  // within reach (tests/js/support/instance.mjs).
  const { authz, wasm } = await import('./support/instance.mjs');
  const { Verifier, checkStatement, createToken, generateKeyPair } = authz;
  const { memory } = wasm;
  const { privateJwk, publicJwk } = generateKeyPair();
  // More tokens than a Verifier remembers (1024), so its caches start over too.
  const tokens = Array.from({ length: 1500 }, (_, i) =>
    createToken(privateJwk, { database: 'db1', now, permissions: [`t${i}:data_read`] }),
  );
  const verifier = new Verifier({ keys: [publicJwk] }, { database: 'db1' });
  const verifyAll = () => {
    for (const [i, token] of tokens.entries()) {
      const grant = verifier.verify(token, { now });
      assert.equal(checkStatement(grant, `SELECT * FROM t${i}`).allowed, true); // and the memo starts over
      grant.free();
    }
  };
  verifyAll(); // the high-water mark: both caches full
  const before = memory.buffer.byteLength;
  for (let pass = 0; pass < 6; pass++) verifyAll();
  verifier.free();
  // A grant that leaked would be about 1 KB (its claims); the allocator's fragmentation
  // may take a page or two (64 KiB each) once.
  const grown = memory.buffer.byteLength - before;
  assert.ok(
    grown <= 4 * 65536,
    `wasm memory grew by ${grown} bytes over ${6 * tokens.length} verifications`,
  );
});

test('createToken readAttach: databases the token may ATTACH read-only, as Turso mints read_attach', () => {
  const { privateJwk, publicJwk } = generateKeyPair();
  const options = { database: 'db1', readOnly: true, readAttach: ['db2'] };
  const token = createToken(privateJwk, { ...options, now });
  const grant = verifyToken(token, publicJwk, { database: 'db1', now });
  const { iat: _, ...claims } = grant.claims;
  assert.deepEqual(claims, {
    id: 'db1',
    a: 'ro',
    p: { ro: { ns: ['db1'] }, roa: { ns: ['db2'] } },
  });
  assert.deepEqual(claimsTemplate(options), claims);
  // As sqld attaches: under the database's own name.
  assert.equal(checkStatement(grant, "ATTACH 'db2' AS db2").allowed, true);
  assert.equal(checkStatement(grant, 'SELECT * FROM db2.t').allowed, true);
  assert.equal(checkStatement(grant, 'DELETE FROM db2.t').allowed, false);
  assert.equal(checkStatement(grant, "ATTACH 'db3' AS db3").allowed, false);
  assert.equal(checkStatement(grant, 'INSERT INTO t VALUES (1)').allowed, false);
  assertCode(() => verifyToken(token, publicJwk, { database: 'db3', now }), 'ERR_TOKEN_SCOPE');
  // `p` cannot name every database: readAttach needs a database or a group.
  assertCode(() => createToken(privateJwk, { readAttach: ['db2'] }), 'ERR_OPTIONS_INVALID');
  assertCode(
    () => createToken(privateJwk, { database: 'a', readAttach: 'db2' }),
    'ERR_OPTIONS_INVALID',
  );
});

test("claimsTemplate: a minted token's claims without its time; time options and unknown names refused", () => {
  const { privateJwk, publicJwk } = generateKeyPair();
  for (const options of [
    {},
    { database: 'db1', readOnly: true },
    { group: 'g1', permissions: ['all:data_read', 'comments:data_add'] },
    { permissions: [] },
  ]) {
    const token = createToken(privateJwk, { ...options, expiration: '1h', now });
    const { iat, exp, ...claims } = verifyToken(token, publicJwk, { now }).claims;
    assert.equal(exp - iat, 3600);
    assert.deepEqual(claimsTemplate(options), claims, JSON.stringify(options));
  }
  assert.deepEqual(claimsTemplate(), { a: 'rw' });
  for (const options of [
    { expiration: '7d' },
    { now },
    { database: 'a', group: 'b' },
    { databse: 'db1' },
    { permissions: ['t:data_insert'] },
  ]) {
    assertCode(() => claimsTemplate(options), 'ERR_OPTIONS_INVALID');
  }
});
