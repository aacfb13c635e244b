// Keystore: creation, rotation, verification sets, validation, atomic writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authz } from './support/authz.mjs';
import {
  KEYSTORE_VERSION,
  KeystoreError,
  createDatabase,
  createGroup,
  databaseJwks,
  databasesInGroup,
  emptyKeystore,
  groupJwks,
  parseKeystore,
  rotateDatabase,
  rotateGroup,
  signingKey,
} from '../../js/keystore.js';
import { readKeystore, updateKeystore, writeKeystore } from '../../js/keystore-file.js';

const deps = { generateKeyPair: authz.generateKeyPair };
const tmpdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'authz-ks-'));
const kids = (jwks) => jwks.keys.map((k) => k.kid);

function sample() {
  const ks = emptyKeystore();
  createGroup(ks, 'g1', deps);
  createDatabase(ks, 'd1', 'g1', deps);
  createDatabase(ks, 'd2', 'g1', deps);
  createDatabase(ks, 'solo', null, deps);
  return ks;
}

test('a new keystore has a version and empty sections', () => {
  assert.deepEqual(emptyKeystore(), { version: KEYSTORE_VERSION, groups: {}, databases: {} });
});

test('databases and groups get their own key pairs; JWKS = database keys + group keys', () => {
  const ks = sample();
  const g = ks.groups.g1.keys[0];
  const d1 = ks.databases.d1.keys[0];
  assert.equal(ks.databases.d1.group, 'g1');
  assert.equal(ks.databases.solo.group, null);
  assert.notEqual(g.kid, d1.kid);
  assert.deepEqual(kids(databaseJwks(ks, 'd1')), [d1.kid, g.kid]);
  assert.deepEqual(kids(databaseJwks(ks, 'solo')), [ks.databases.solo.keys[0].kid]);
  assert.deepEqual(kids(groupJwks(ks, 'g1')), [g.kid]);
  assert.deepEqual(databasesInGroup(ks, 'g1'), ['d1', 'd2']);
  for (const k of databaseJwks(ks, 'd1').keys) {
    assert.equal(k.d, undefined, 'no private part in a JWKS');
    assert.equal(k.kty, 'OKP');
    assert.equal(k.crv, 'Ed25519');
    assert.equal(k.alg, 'EdDSA');
  }
  assert.equal(signingKey(ks, { database: 'd1' }).kid, d1.kid);
  assert.equal(typeof signingKey(ks, { group: 'g1' }).d, 'string');
  assert.ok(!Number.isNaN(Date.parse(d1.createdAt)));
});

test('rotating a database replaces its keys only', () => {
  const ks = sample();
  const before = structuredClone(ks);
  const kid = rotateDatabase(ks, 'd1', deps);
  assert.notEqual(kid, before.databases.d1.keys[0].kid);
  assert.deepEqual(kids(databaseJwks(ks, 'd1')), [kid, before.groups.g1.keys[0].kid]);
  assert.deepEqual(ks.databases.d2, before.databases.d2);
  assert.deepEqual(ks.groups, before.groups);
});

test('rotating a group replaces its keys and those of every database in it', () => {
  const ks = sample();
  const before = structuredClone(ks);
  const r = rotateGroup(ks, 'g1', deps);
  assert.deepEqual(Object.keys(r.databases), ['d1', 'd2']);
  assert.notEqual(ks.groups.g1.keys[0].kid, before.groups.g1.keys[0].kid);
  for (const db of ['d1', 'd2']) {
    const old = kids({ keys: before.databases[db].keys.map((k) => k.publicJwk) }).concat(
      kids({ keys: before.groups.g1.keys.map((k) => k.publicJwk) }),
    );
    for (const k of kids(databaseJwks(ks, db)))
      assert.ok(!old.includes(k), `${db}: old key ${k} still trusted`);
  }
  assert.deepEqual(ks.databases.solo, before.databases.solo);
});

test('names, duplicates and unknown references are refused with codes', () => {
  const ks = sample();
  const code = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof KeystoreError);
      return e.code;
    }
    return null;
  };
  assert.equal(
    code(() => createGroup(ks, 'g1', deps)),
    'ERR_ALREADY_EXISTS',
  );
  assert.equal(
    code(() => createDatabase(ks, 'd1', null, deps)),
    'ERR_ALREADY_EXISTS',
  );
  assert.equal(
    code(() => createDatabase(ks, 'd3', 'nope', deps)),
    'ERR_UNKNOWN_GROUP',
  );
  assert.equal(
    code(() => rotateDatabase(ks, 'nope', deps)),
    'ERR_UNKNOWN_DATABASE',
  );
  assert.equal(
    code(() => rotateGroup(ks, 'nope', deps)),
    'ERR_UNKNOWN_GROUP',
  );
  assert.equal(
    code(() => databaseJwks(ks, 'toString')),
    'ERR_UNKNOWN_DATABASE',
  );
  for (const bad of ['', 'UPPER', '-x', 'x-', 'a_b', '__proto__', 'a'.repeat(65), 'a b', '../x']) {
    assert.equal(
      code(() => createGroup(ks, bad, deps)),
      'ERR_INVALID_NAME',
      bad,
    );
    assert.equal(
      code(() => createDatabase(ks, bad, null, deps)),
      'ERR_INVALID_NAME',
      bad,
    );
  }
  assert.equal(
    code(() => createDatabase(ks, 'a'.repeat(64), null, deps)),
    null,
  );
});

test('parseKeystore rejects other versions and broken content', () => {
  const good = JSON.stringify(sample());
  assert.doesNotThrow(() => parseKeystore(good));
  const broken = (mutate) => {
    const ks = JSON.parse(good);
    mutate(ks);
    return JSON.stringify(ks);
  };
  const code = (text) => {
    try {
      parseKeystore(text);
    } catch (e) {
      return e.code;
    }
    return null;
  };
  assert.equal(code('{'), 'ERR_KEYSTORE_INVALID');
  assert.equal(code('[]'), 'ERR_KEYSTORE_INVALID');
  assert.equal(
    code(
      broken((ks) => {
        ks.version = 2;
      }),
    ),
    'ERR_KEYSTORE_VERSION',
  );
  assert.equal(
    code(
      broken((ks) => {
        delete ks.version;
      }),
    ),
    'ERR_KEYSTORE_VERSION',
  );
  assert.equal(
    code(
      broken((ks) => {
        ks.databases.d1.group = 'nope';
      }),
    ),
    'ERR_KEYSTORE_INVALID',
  );
  assert.equal(
    code(
      broken((ks) => {
        ks.databases.d1.keys = [];
      }),
    ),
    'ERR_KEYSTORE_INVALID',
  );
  assert.equal(
    code(
      broken((ks) => {
        delete ks.groups.g1.keys[0].privateJwk.d;
      }),
    ),
    'ERR_KEYSTORE_INVALID',
  );
  assert.equal(
    code(
      broken((ks) => {
        ks.groups.g1.keys[0].publicJwk.d = 'x';
      }),
    ),
    'ERR_KEYSTORE_INVALID',
  );
});

test('writes are atomic, mode 0600, and leave no temporary file', {
  skip: process.platform === 'win32',
}, () => {
  const dir = tmpdir();
  const file = path.join(dir, 'ks.json');
  fs.writeFileSync(file, 'old', { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  const ks = sample();
  writeKeystore(file, ks);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readKeystore(file), ks);
  assert.deepEqual(fs.readdirSync(dir), ['ks.json']);
});

test('a failing change or an invalid keystore leaves the file unchanged', () => {
  const dir = tmpdir();
  const file = path.join(dir, 'ks.json');
  updateKeystore(file, (ks) => {
    createGroup(ks, 'g1', deps);
    createDatabase(ks, 'd1', 'g1', deps);
  });
  const bytes = fs.readFileSync(file);
  assert.throws(
    () =>
      updateKeystore(file, (ks) => {
        rotateDatabase(ks, 'd1', deps);
        createGroup(ks, 'g1', deps);
      }),
    { code: 'ERR_ALREADY_EXISTS' },
  );
  assert.deepEqual(fs.readFileSync(file), bytes);
  assert.throws(() => writeKeystore(file, { version: 1, groups: { g: {} }, databases: {} }), {
    code: 'ERR_KEYSTORE_INVALID',
  });
  assert.deepEqual(fs.readFileSync(file), bytes);
  assert.deepEqual(fs.readdirSync(dir), ['ks.json'], 'lock and temporary files removed');
});

test('a held lock refuses concurrent updates', () => {
  const dir = tmpdir();
  const file = path.join(dir, 'ks.json');
  fs.writeFileSync(`${file}.lock`, '');
  assert.throws(() => updateKeystore(file, (ks) => createGroup(ks, 'g', deps)), {
    code: 'ERR_KEYSTORE_LOCKED',
  });
  assert.equal(fs.existsSync(file), false);
});

test('a missing keystore reads as empty; a corrupt one is an error', () => {
  const dir = tmpdir();
  assert.deepEqual(readKeystore(path.join(dir, 'none.json')), emptyKeystore());
  fs.writeFileSync(path.join(dir, 'bad.json'), 'not json');
  assert.throws(() => readKeystore(path.join(dir, 'bad.json')), { code: 'ERR_KEYSTORE_INVALID' });
});
