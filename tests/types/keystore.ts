// Compiled (never run) with usage.ts: `libsql-authz/keystore` used as docs/cli.md shows it.
import { createToken, generateKeyPair, verifyToken } from 'libsql-authz';
import {
  KeystoreError,
  createDatabase,
  createGroup,
  databaseJwks,
  emptyKeystore,
  parseKeystore,
  rotateGroup,
  signingKey,
} from 'libsql-authz/keystore';
import type { DatabaseEntry, Keystore, KeystoreErrorCode } from 'libsql-authz/keystore';

const deps = { generateKeyPair };
const ks: Keystore = emptyKeystore();
createGroup(ks, 'prod', deps);
const db: DatabaseEntry = createDatabase(ks, 'app', 'prod', deps);
const group: string | null = db.group;
const token = createToken(signingKey(ks, { database: 'app' }), { database: 'app' });
verifyToken(token, databaseJwks(ks, 'app'), { database: 'app', group: group ?? undefined });
const rotated: { [database: string]: string } = rotateGroup(ks, 'prod', deps).databases;
const again: Keystore = parseKeystore(JSON.stringify(ks));
try {
  createGroup(again, 'prod', deps);
} catch (e) {
  if (e instanceof KeystoreError) {
    const code: KeystoreErrorCode = e.code;
    console.log(code, rotated);
  }
}
// @ts-expect-error a scope names a database or a group
signingKey(ks, {});
