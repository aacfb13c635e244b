// The CLI end to end, in a temporary directory: every token kind, verified against the
// `jwks <db>` output with the package's verifyToken AND with jose (independent check),
// invalidation of a database and of a group, errors, keystore integrity and mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { authz, CLI_PATH } from './support/authz.mjs';
import { main } from '../../js/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authz-cli-'));
const KS = path.join(dir, 'keys.json');
const env = { ...process.env, NODE_NO_WARNINGS: '1' };

function cli(...args) {
  const r = spawnSync(process.execPath, [CLI_PATH, '--keystore', KS, ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(...args) {
  const r = cli(...args);
  assert.equal(r.code, 0, `libsql-authz ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

function token(...args) {
  const { stdout } = ok(...args);
  assert.match(
    stdout,
    /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/,
    'the token alone on stdout',
  );
  return stdout.trim();
}

const jwks = (db) => JSON.parse(ok('jwks', db).stdout);

/** Verifies with the package and with jose; returns { grant, payload }. */
async function verifyBoth(tok, db, group) {
  const set = jwks(db);
  const grant = authz.verifyToken(tok, set, group ? { database: db, group } : { database: db });
  const { payload, protectedHeader } = await jwtVerify(tok, createLocalJWKSet(set), {
    algorithms: ['EdDSA', 'Ed25519'],
  });
  assert.ok(
    set.keys.some((k) => k.kid === protectedHeader.kid),
    'kid of the header is in the JWKS',
  );
  return { grant, payload };
}

/** Asserts that both verifiers reject `tok` for `db`; returns the package's error code. */
async function rejectBoth(tok, db, group) {
  const set = jwks(db);
  let code;
  assert.throws(
    () => authz.verifyToken(tok, set, group ? { database: db, group } : { database: db }),
    (e) => {
      code = e.code;
      return typeof e.code === 'string';
    },
  );
  await assert.rejects(jwtVerify(tok, createLocalJWKSet(set)));
  return code;
}

const T = {}; // tokens minted along the way

test('setup: groups and databases', () => {
  ok('group', 'create', 'g1');
  ok('group', 'create', 'g2');
  ok('db', 'create', 'd1', '--group', 'g1');
  ok('db', 'create', 'd2', '-g', 'g1');
  ok('db', 'create', 'other', '--group', 'g2');
  ok('db', 'create', 'solo');
  assert.equal(ok('db', 'list').stdout, 'd1\tg1\nd2\tg1\nother\tg2\nsolo\t\n');
  assert.equal(ok('group', 'list').stdout, 'g1\td1,d2\ng2\tother\n');
});

test('keystore file is mode 0600 and has a version', { skip: process.platform === 'win32' }, () => {
  assert.equal(fs.statSync(KS).mode & 0o777, 0o600);
  assert.equal(JSON.parse(fs.readFileSync(KS, 'utf8')).version, 1);
});

test("jwks <db> = the database's public key + its group's, no private parts", () => {
  const ks = JSON.parse(fs.readFileSync(KS, 'utf8'));
  const set = jwks('d1');
  assert.deepEqual(
    set.keys.map((k) => k.kid),
    [ks.databases.d1.keys[0].kid, ks.groups.g1.keys[0].kid],
  );
  assert.ok(set.keys.every((k) => k.d === undefined && k.kty === 'OKP' && k.crv === 'Ed25519'));
  assert.deepEqual(
    jwks('solo').keys.map((k) => k.kid),
    [ks.databases.solo.keys[0].kid],
  );
});

test('database token (default: full access, never expires)', async () => {
  T.d1 = token('db', 'tokens', 'create', 'd1');
  const { grant, payload } = await verifyBoth(T.d1, 'd1');
  assert.equal(payload.id, 'd1');
  assert.equal(payload.gid, undefined);
  assert.equal(payload.exp, undefined, 'never expires by default');
  assert.equal(grant.database, 'd1');
  assert.equal(grant.readOnly, false);
  assert.equal(grant.expiresAt, null);
  assert.equal(grant.allows('anything', 'schema_delete'), true);
  T.d2 = token('db', 'tokens', 'create', 'd2');
  await verifyBoth(T.d2, 'd2');
  T.solo = token('db', 'tokens', 'create', 'solo');
  await verifyBoth(T.solo, 'solo');
  T.other = token('db', 'tokens', 'create', 'other');
});

test('a database token is not valid for another database', async () => {
  await rejectBoth(T.d1, 'd2', 'g1');
  const code = await rejectBoth(T.d1, 'solo');
  assert.ok(['ERR_TOKEN_KEY_NOT_FOUND', 'ERR_TOKEN_SIGNATURE'].includes(code), code);
  // Even with d2's key set joined to d1's, the id claim keeps it out of d2.
  const d1keys = jwks('d1').keys;
  const both = {
    keys: [...d1keys, ...jwks('d2').keys.filter((k) => !d1keys.some((j) => j.kid === k.kid))],
  };
  assert.throws(() => authz.verifyToken(T.d1, both, { database: 'd2', group: 'g1' }), {
    code: 'ERR_TOKEN_SCOPE',
  });
});

test('group token: valid for every database of the group, not for others', async () => {
  T.g1 = token('group', 'tokens', 'create', 'g1');
  for (const db of ['d1', 'd2']) {
    const { grant, payload } = await verifyBoth(T.g1, db, 'g1');
    assert.equal(payload.gid, 'g1');
    assert.equal(payload.id, undefined);
    assert.equal(grant.group, 'g1');
    assert.equal(grant.database, null);
  }
  await rejectBoth(T.g1, 'other', 'g2');
  await rejectBoth(T.g1, 'solo');
});

test('read-only token', async () => {
  T.ro = token('db', 'tokens', 'create', 'd1', '--read-only');
  const { grant, payload } = await verifyBoth(T.ro, 'd1');
  assert.equal(payload.a, 'ro');
  assert.equal(grant.readOnly, true);
  assert.equal(grant.allows('t', 'data_read'), true);
  assert.equal(grant.allows('t', 'data_add'), false);
  T.gro = token('group', 'tokens', 'create', 'g1', '-r');
  assert.equal((await verifyBoth(T.gro, 'd2', 'g1')).grant.readOnly, true);
});

test('fine-grained token (repeatable -p)', async () => {
  T.fine = token(
    'db',
    'tokens',
    'create',
    'd1',
    '-p',
    'all:data_read',
    '--permissions',
    'comments:data_add,data_update',
  );
  const { grant, payload } = await verifyBoth(T.fine, 'd1');
  assert.ok(Array.isArray(payload.perm) && payload.perm.length === 2);
  assert.equal(grant.allows('posts', 'data_read'), true);
  assert.equal(grant.allows('comments', 'data_add'), true);
  assert.equal(grant.allows('comments', 'data_update'), true);
  assert.equal(grant.allows('comments', 'data_delete'), false);
  assert.equal(grant.allows('posts', 'data_add'), false);
  // One -p with several space-separated permissions is the same.
  const same = token(
    'db',
    'tokens',
    'create',
    'd1',
    '-p',
    'all:data_read comments:data_add,data_update',
  );
  assert.deepEqual((await verifyBoth(same, 'd1')).payload.perm, payload.perm);
});

test('-p none: a token that may use no table says so with a rule, never `perm: []`', async () => {
  const none = token('db', 'tokens', 'create', 'd1', '-p', 'none');
  const { grant, payload } = await verifyBoth(none, 'd1');
  assert.deepEqual(payload.perm, [{ a: [] }]);
  assert.deepEqual(grant.permissions, [{ tables: 'all', actions: [] }]);
  assert.equal(grant.allows('posts', 'data_read'), false);
  assert.equal(grant.allows('sqlite_schema', 'data_read'), true);
});

test('org jwks template: the claims a provider token must carry, read back as the same grant', async () => {
  const template = (...args) => JSON.parse(ok('org', 'jwks', 'template', ...args).stdout);
  assert.deepEqual(template('-d', 'd1'), { id: 'd1', a: 'rw' });
  assert.deepEqual(template('--group', 'g1', '--scope', 'read-only'), { gid: 'g1', a: 'ro' });
  const fine = template('-d', 'd1', '-p', 'all:data_read', '-p', 'comments:data_add');
  assert.deepEqual(fine, {
    id: 'd1',
    a: 'rw',
    perm: [{ a: ['data_read'] }, { t: ['comments'], a: ['data_add'] }],
  });
  // A provider token (jose, RS256) carrying the template reads as the CLI's own token does.
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'idp', alg: 'RS256' };
  const provider = await new SignJWT({ ...fine, sub: 'user_1', azp: 'https://app.example' })
    .setProtectedHeader({ alg: 'RS256', kid: 'idp' })
    .setExpirationTime('1h')
    .sign(privateKey);
  const grant = authz.verifyToken(provider, { keys: [jwk] }, { database: 'd1' });
  assert.equal(grant.allows('posts', 'data_read'), true);
  assert.equal(grant.allows('comments', 'data_add'), true);
  assert.equal(grant.allows('comments', 'data_delete'), false);
  for (const [args, message] of [
    [['-d', 'd1', '-g', 'g1'], /not both/],
    [['-s', 'admin'], /full-access or read-only/],
    [['-p', 'comments:data_insert'], /data_insert.*data_read/],
    [['-e', '7d'], /--expiration does not apply/],
    [['extra'], /unexpected argument/],
  ]) {
    const r = cli('org', 'jwks', 'template', ...args);
    assert.equal(r.code, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('expiring and never-expiring tokens', async () => {
  const before = Math.floor(Date.now() / 1000);
  T.exp = token('db', 'tokens', 'create', 'd1', '-e', '7d');
  const { grant, payload } = await verifyBoth(T.exp, 'd1');
  assert.ok(Math.abs(payload.exp - (before + 7 * 86400)) <= 5, `exp ${payload.exp}`);
  assert.equal(grant.expiresAt, payload.exp);
  const h = token('group', 'tokens', 'create', 'g1', '--expiration', '12h');
  assert.ok(Math.abs((await verifyBoth(h, 'd1', 'g1')).payload.exp - (before + 12 * 3600)) <= 5);
  // Turso's compound form.
  const compound = token('db', 'tokens', 'create', 'd1', '-e', '2w1d30m');
  const lifetime = 2 * 7 * 86400 + 86400 + 30 * 60;
  assert.ok(Math.abs((await verifyBoth(compound, 'd1')).payload.exp - (before + lifetime)) <= 5);
  T.never = token('db', 'tokens', 'create', 'd1', '-e', 'never');
  assert.equal((await verifyBoth(T.never, 'd1')).payload.exp, undefined);
  // Past its expiry the 7d token fails (jose, and the package with its `now` option,
  // whose unit, ms or s, is found out rather than assumed).
  await assert.rejects(
    jwtVerify(T.exp, createLocalJWKSet(jwks('d1')), {
      currentDate: new Date((payload.exp + 3600) * 1000),
    }),
    { code: 'ERR_JWT_EXPIRED' },
  );
  const set = jwks('d1');
  let unit = 1;
  try {
    authz.verifyToken(T.exp, set, { database: 'd1', now: Date.now() });
    unit = 1000;
  } catch {
    /* seconds */
  }
  assert.doesNotThrow(() =>
    authz.verifyToken(T.exp, set, { database: 'd1', now: (payload.exp - 3600) * unit }),
  );
  assert.throws(
    () => authz.verifyToken(T.exp, set, { database: 'd1', now: (payload.exp + 3600) * unit }),
    { code: 'ERR_TOKEN_EXPIRED' },
  );
});

test("invalidating a database: its old tokens fail, new ones and the siblings' work", async () => {
  const oldKid = decodeProtectedHeader(T.d1).kid;
  const r = ok('db', 'tokens', 'invalidate', 'd1');
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /d1/);
  assert.ok(!jwks('d1').keys.some((k) => k.kid === oldKid), 'the old key left the set');
  for (const t of [T.d1, T.ro, T.fine, T.exp, T.never]) {
    assert.equal(await rejectBoth(t, 'd1'), 'ERR_TOKEN_KEY_NOT_FOUND');
  }
  T.d1new = token('db', 'tokens', 'create', 'd1');
  await verifyBoth(T.d1new, 'd1');
  await verifyBoth(T.d2, 'd2');
  await verifyBoth(T.g1, 'd1', 'g1'); // the group's keys were not rotated
  await verifyBoth(T.g1, 'd2', 'g1');
});

test('invalidating a group: every old token of the group and its databases fails', async () => {
  ok('group', 'tokens', 'invalidate', 'g1');
  for (const [t, db] of [
    [T.d1new, 'd1'],
    [T.d2, 'd2'],
    [T.g1, 'd1'],
    [T.g1, 'd2'],
    [T.gro, 'd2'],
  ]) {
    assert.equal(await rejectBoth(t, db, 'g1'), 'ERR_TOKEN_KEY_NOT_FOUND');
  }
  // Other groups and databases without a group are untouched.
  await verifyBoth(T.other, 'other', 'g2');
  await verifyBoth(T.solo, 'solo');
  // New tokens work.
  await verifyBoth(token('db', 'tokens', 'create', 'd2'), 'd2');
  await verifyBoth(token('group', 'tokens', 'create', 'g1'), 'd1', 'g1');
});

test('errors: message on stderr, nothing on stdout, non-zero exit, keystore unchanged', () => {
  const before = fs.readFileSync(KS);
  const cases = [
    [['db', 'tokens', 'create', 'nope'], 1, /database "nope" does not exist/],
    [['group', 'tokens', 'create', 'nope'], 1, /group "nope" does not exist/],
    [['db', 'tokens', 'invalidate', 'nope'], 1, /does not exist/],
    [['group', 'tokens', 'invalidate', 'nope'], 1, /does not exist/],
    [['jwks', 'nope'], 1, /does not exist/],
    [['db', 'create', 'd9', '--group', 'nope'], 1, /group "nope" does not exist/],
    [['group', 'create', 'g1'], 1, /already exists/],
    [['db', 'create', 'd1'], 1, /already exists/],
    [['db', 'create', 'Bad_Name'], 1, /invalid database name/],
    [['db', 'tokens', 'create', 'd1', '--bogus'], 2, /bogus/],
    [['db', 'tokens', 'create', 'd1', '-e'], 2, /expiration/],
    [['db', 'tokens', 'create', 'd1', '-e', '7x'], 2, /expiration/],
    [['db', 'tokens', 'create', 'd1', '-e', 'forever'], 2, /expiration/],
    [['db', 'tokens', 'create', 'd1', '-e', '1d1d'], 2, /expiration/],
    [['db', 'tokens', 'create', 'd1', '-p', 'all:data_eat'], 2, /data_eat/],
    // The turso CLI's help text says `data_insert`: the message names the real actions.
    [
      ['db', 'tokens', 'create', 'd1', '-p', 'comments:data_insert'],
      2,
      /unknown action `data_insert`.*data_read, data_add, data_update, data_delete, schema_add/,
    ],
    [['db', 'tokens', 'create', 'd1', '-p', 'none', '-p', 't:data_read'], 2, /none cannot be/],
    [['db', 'tokens', 'create', 'd1', '--group', 'g1'], 2, /--group does not apply/],
    [['group', 'create', 'g9', '-r'], 2, /--read-only does not apply/],
    [['db', 'tokens', 'invalidate', 'd1', '-e', '7d'], 2, /does not apply/],
    [['db', 'tokens', 'create'], 2, /missing argument/],
    [['db', 'tokens', 'create', 'd1', 'd2'], 2, /unexpected argument/],
    [['db', 'destroy', 'd1'], 2, /unknown command/],
    [[], 2, /Usage/],
  ];
  for (const [args, code, message] of cases) {
    const r = cli(...args);
    assert.equal(r.code, code, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.deepEqual(fs.readFileSync(KS), before, `${args.join(' ')} changed the keystore`);
  }
  assert.deepEqual(fs.readdirSync(dir).sort(), ['keys.json'], 'no lock or temporary file left');
});

test('a corrupt keystore is reported and never overwritten', () => {
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"version": 1, "groups": {}, "databases": ');
  const r = spawnSync(process.execPath, [CLI_PATH, '--keystore', bad, 'group', 'create', 'g'], {
    env,
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /keystore is invalid/);
  assert.equal(fs.readFileSync(bad, 'utf8'), '{"version": 1, "groups": {}, "databases": ');
  fs.unlinkSync(bad);
});

test('a keystore readable by others is reported, and 0600 again after a write', {
  skip: process.platform === 'win32',
}, () => {
  fs.chmodSync(KS, 0o644);
  const r = ok('db', 'tokens', 'create', 'd2');
  assert.match(r.stderr, /warning: keystore .* mode 0644/);
  ok('db', 'create', 'd3', '--group', 'g1');
  assert.equal(fs.statSync(KS).mode & 0o777, 0o600);
  assert.doesNotMatch(ok('jwks', 'd3').stderr, /warning/);
});

test('--help prints usage on stdout and exits 0', () => {
  const r = cli('--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /db tokens create <db>/);
  assert.match(r.stdout, /--keystore/);
});

test('default keystore path is ./libsql-authz.keystore.json', () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'authz-cli-default-'));
  const r = spawnSync(process.execPath, [CLI_PATH, 'group', 'create', 'g'], {
    cwd: d,
    env,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.existsSync(path.join(d, 'libsql-authz.keystore.json')));
});

test('main() runs in-process with injected streams', async () => {
  const chunks = { out: '', err: '' };
  const io = {
    stdout: {
      write: (s) => {
        chunks.out += s;
      },
    },
    stderr: {
      write: (s) => {
        chunks.err += s;
      },
    },
    env,
  };
  assert.equal(await main(['--keystore', KS, 'jwks', 'd2'], io), 0);
  assert.deepEqual(JSON.parse(chunks.out), jwks('d2'));
  assert.equal(await main(['--keystore', KS, 'jwks', 'zzz'], io), 1);
  assert.match(chunks.err, /zzz/);
});
