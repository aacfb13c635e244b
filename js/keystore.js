// The keystore: the signing keys of every group and database, and which group each
// database belongs to, as one JSON object (format: docs/cli.md). Pure functions on the
// parsed object, no I/O, so they run wherever the package runs: the CLI keeps the object
// in a file (keystore-file.js), the gateway in a Durable Object's storage. Exported as
// `libsql-authz/keystore`.
//
// Key generation comes from the package API (`generateKeyPair`), passed in by the
// caller: this module decides nothing about tokens.

export const KEYSTORE_VERSION = 1;

/** Errors of the keystore and the CLI, with a stable `code`. */
export class KeystoreError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'KeystoreError';
    this.code = code;
  }
}

// Turso's rule for database and group names: lowercase letters, digits and dashes,
// starting and ending with a letter or digit, at most 64 characters. It also keeps
// names like `__proto__` out of the JSON objects.
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function validateName(kind, name) {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new KeystoreError(
      'ERR_INVALID_NAME',
      `invalid ${kind} name ${JSON.stringify(name)}: use 1-64 lowercase letters, digits and dashes, ` +
        'starting and ending with a letter or digit',
    );
  }
  return name;
}

const own = (obj, key) => Object.hasOwn(obj, key);

export function emptyKeystore() {
  return { version: KEYSTORE_VERSION, groups: {}, databases: {} };
}

// ---------------------------------------------------------------------------------
// Parsing and validation

function fail(message) {
  throw new KeystoreError('ERR_KEYSTORE_INVALID', `keystore is invalid: ${message}`);
}

function checkKey(where, k) {
  if (!k || typeof k !== 'object') fail(`${where}: key is not an object`);
  if (typeof k.kid !== 'string' || k.kid === '') fail(`${where}: key has no kid`);
  if (typeof k.createdAt !== 'string') fail(`${where}: key has no createdAt`);
  for (const part of ['privateJwk', 'publicJwk']) {
    const jwk = k[part];
    if (
      !jwk ||
      typeof jwk !== 'object' ||
      jwk.kty !== 'OKP' ||
      jwk.crv !== 'Ed25519' ||
      typeof jwk.x !== 'string'
    ) {
      fail(`${where}: ${part} is not an Ed25519 JWK`);
    }
  }
  if (typeof k.privateJwk.d !== 'string') fail(`${where}: privateJwk has no private part`);
  if (own(k.publicJwk, 'd')) fail(`${where}: publicJwk contains a private part`);
}

function checkEntry(where, e) {
  if (!e || typeof e !== 'object' || Array.isArray(e)) fail(`${where} is not an object`);
  if (!Array.isArray(e.keys) || e.keys.length === 0) fail(`${where} has no keys`);
  // Optional: the id a platform gives it (the gateway's Platform API: a UUID, as Turso's).
  if (own(e, 'id') && (typeof e.id !== 'string' || e.id === ''))
    fail(`${where}.id is not a string`);
  for (const [i, k] of e.keys.entries()) checkKey(`${where}.keys[${i}]`, k);
}

/** Parses and validates keystore JSON text. */
export function parseKeystore(text) {
  let ks;
  try {
    ks = JSON.parse(text);
  } catch (err) {
    fail(`not JSON (${err.message})`);
  }
  if (!ks || typeof ks !== 'object' || Array.isArray(ks)) fail('not a JSON object');
  if (ks.version !== KEYSTORE_VERSION) {
    throw new KeystoreError(
      'ERR_KEYSTORE_VERSION',
      `keystore version ${JSON.stringify(ks.version)} is not supported (this CLI reads version ${KEYSTORE_VERSION})`,
    );
  }
  for (const section of ['groups', 'databases']) {
    if (!ks[section] || typeof ks[section] !== 'object' || Array.isArray(ks[section]))
      fail(`"${section}" is not an object`);
  }
  for (const [name, g] of Object.entries(ks.groups)) {
    if (!NAME.test(name)) fail(`bad group name ${JSON.stringify(name)}`);
    checkEntry(`groups.${name}`, g);
  }
  for (const [name, db] of Object.entries(ks.databases)) {
    if (!NAME.test(name)) fail(`bad database name ${JSON.stringify(name)}`);
    checkEntry(`databases.${name}`, db);
    if (db.group !== null && (typeof db.group !== 'string' || !own(ks.groups, db.group))) {
      fail(`databases.${name}.group names an unknown group`);
    }
  }
  return ks;
}

// ---------------------------------------------------------------------------------
// Keys

function isoNow(now) {
  return new Date(now === undefined ? Date.now() : now).toISOString();
}

/** A new key entry from the package's `generateKeyPair()`. */
export function newKeyEntry(generateKeyPair, now) {
  if (typeof generateKeyPair !== 'function') {
    throw new TypeError("newKeyEntry needs the package's generateKeyPair function");
  }
  const pair = generateKeyPair();
  const kid = pair.kid ?? pair.privateJwk?.kid ?? pair.publicJwk?.kid;
  if (typeof kid !== 'string' || kid === '')
    throw new KeystoreError('ERR_KEY_INVALID', 'generated key pair has no kid');
  const pub = pair.publicJwk;
  return {
    kid,
    createdAt: isoNow(now),
    privateJwk: { ...pair.privateJwk, kid },
    // Only the public members, whatever else the generator put there.
    publicJwk: { kty: pub.kty, crv: pub.crv, x: pub.x, kid, alg: 'EdDSA', use: 'sig' },
  };
}

function publicKeys(entry) {
  return entry.keys.map((k) => ({ ...k.publicJwk }));
}

// ---------------------------------------------------------------------------------
// Groups and databases

export function getGroup(ks, name) {
  if (typeof name !== 'string' || !own(ks.groups, name)) {
    throw new KeystoreError('ERR_UNKNOWN_GROUP', `group ${JSON.stringify(name)} does not exist`);
  }
  return ks.groups[name];
}

export function getDatabase(ks, name) {
  if (typeof name !== 'string' || !own(ks.databases, name)) {
    throw new KeystoreError(
      'ERR_UNKNOWN_DATABASE',
      `database ${JSON.stringify(name)} does not exist`,
    );
  }
  return ks.databases[name];
}

/** Adds group `name` with a fresh key pair. `deps`: { generateKeyPair, now? }. */
export function createGroup(ks, name, deps) {
  validateName('group', name);
  if (own(ks.groups, name))
    throw new KeystoreError('ERR_ALREADY_EXISTS', `group ${JSON.stringify(name)} already exists`);
  const entry = {
    createdAt: isoNow(deps.now),
    keys: [newKeyEntry(deps.generateKeyPair, deps.now)],
  };
  ks.groups[name] = entry;
  return entry;
}

/** Adds database `name` (in `group`, or in none when `group` is null/undefined). */
export function createDatabase(ks, name, group, deps) {
  validateName('database', name);
  if (own(ks.databases, name))
    throw new KeystoreError(
      'ERR_ALREADY_EXISTS',
      `database ${JSON.stringify(name)} already exists`,
    );
  if (group !== undefined && group !== null) getGroup(ks, group);
  const entry = {
    group: group ?? null,
    createdAt: isoNow(deps.now),
    keys: [newKeyEntry(deps.generateKeyPair, deps.now)],
  };
  ks.databases[name] = entry;
  return entry;
}

/** Databases of `group`, sorted by name. */
export function databasesInGroup(ks, group) {
  getGroup(ks, group);
  return Object.keys(ks.databases)
    .filter((db) => ks.databases[db].group === group)
    .sort();
}

/**
 * Invalidates every token of database `name`: its keys are replaced by one new pair,
 * so the old public keys leave its verification set. Returns the new kid.
 */
export function rotateDatabase(ks, name, deps) {
  const db = getDatabase(ks, name);
  db.keys = [newKeyEntry(deps.generateKeyPair, deps.now)];
  return db.keys[0].kid;
}

/**
 * Invalidates every token of group `name` and of every database in it: the group's
 * keys and each database's keys are replaced. Returns { group: kid, databases: {db: kid} }.
 */
export function rotateGroup(ks, name, deps) {
  const g = getGroup(ks, name);
  g.keys = [newKeyEntry(deps.generateKeyPair, deps.now)];
  const databases = {};
  for (const db of databasesInGroup(ks, name)) databases[db] = rotateDatabase(ks, db, deps);
  return { group: g.keys[0].kid, databases };
}

/** The private JWK that signs new tokens for { database } or { group }. */
export function signingKey(ks, { database, group }) {
  const entry = database !== undefined ? getDatabase(ks, database) : getGroup(ks, group);
  return { ...entry.keys[0].privateJwk };
}

/** The JWKS a verifier of `database` needs: its public keys plus its group's. */
export function databaseJwks(ks, database) {
  const db = getDatabase(ks, database);
  const keys = publicKeys(db);
  if (db.group !== null) keys.push(...publicKeys(getGroup(ks, db.group)));
  return { keys };
}

/** The public keys of `group` alone (group tokens verify against these). */
export function groupJwks(ks, group) {
  return { keys: publicKeys(getGroup(ks, group)) };
}
