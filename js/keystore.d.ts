// Types of `libsql-authz/keystore`: the keystore as a plain object, no I/O (docs/cli.md,
// "The keystore"). Node's file keystore (locking, atomic writes) is the CLI's own.
import type { Jwk, KeyPair } from './index.js';

export declare const KEYSTORE_VERSION: 1;

/** A signing key: the newest is `keys[0]`, which signs new tokens. */
export interface KeyEntry {
  kid: string;
  /** ISO 8601. */
  createdAt: string;
  privateJwk: Jwk;
  publicJwk: Jwk;
}

export interface GroupEntry {
  createdAt: string;
  keys: KeyEntry[];
  /** The id a platform gave it (the gateway's Platform API: a UUID). */
  id?: string;
}

export interface DatabaseEntry extends GroupEntry {
  group: string | null;
}

export interface Keystore {
  version: 1;
  groups: { [name: string]: GroupEntry };
  databases: { [name: string]: DatabaseEntry };
}

/** What changing functions need: the package's `generateKeyPair`, and a clock (ms). */
export interface KeystoreDeps {
  generateKeyPair: () => KeyPair;
  now?: number;
}

export type KeystoreErrorCode =
  | 'ERR_INVALID_NAME'
  | 'ERR_ALREADY_EXISTS'
  | 'ERR_UNKNOWN_GROUP'
  | 'ERR_UNKNOWN_DATABASE'
  | 'ERR_KEYSTORE_INVALID'
  | 'ERR_KEYSTORE_VERSION'
  | 'ERR_KEYSTORE_IO'
  | 'ERR_KEYSTORE_LOCKED'
  | 'ERR_KEY_INVALID';

export declare class KeystoreError extends Error {
  readonly code: KeystoreErrorCode;
}

/** Throws ERR_INVALID_NAME unless `name` is Turso's form: 1-64 of `a-z`, `0-9`, `-`, not starting or ending with `-`. */
export function validateName(kind: string, name: string): string;
export function emptyKeystore(): Keystore;
/** Parses and validates keystore JSON text (ERR_KEYSTORE_INVALID, ERR_KEYSTORE_VERSION). */
export function parseKeystore(text: string): Keystore;
export function newKeyEntry(generateKeyPair: () => KeyPair, now?: number): KeyEntry;
export function getGroup(ks: Keystore, name: string): GroupEntry;
export function getDatabase(ks: Keystore, name: string): DatabaseEntry;
export function createGroup(ks: Keystore, name: string, deps: KeystoreDeps): GroupEntry;
export function createDatabase(
  ks: Keystore,
  name: string,
  group: string | null | undefined,
  deps: KeystoreDeps,
): DatabaseEntry;
/** Names of the databases in `group`, sorted. */
export function databasesInGroup(ks: Keystore, group: string): string[];
/** Replaces the database's keys with one new pair (its tokens fail); returns the new kid. */
export function rotateDatabase(ks: Keystore, name: string, deps: KeystoreDeps): string;
/** Replaces the keys of the group and of every database in it. */
export function rotateGroup(
  ks: Keystore,
  name: string,
  deps: KeystoreDeps,
): { group: string; databases: { [database: string]: string } };
/** The private JWK that signs new tokens of `{ database }` or `{ group }`. */
export function signingKey(ks: Keystore, scope: { database: string } | { group: string }): Jwk;
/** The JWKS a verifier of `database` needs: its public keys and its group's. */
export function databaseJwks(ks: Keystore, database: string): { keys: Jwk[] };
/** The public keys of `group` alone. */
export function groupJwks(ks: Keystore, group: string): { keys: Jwk[] };
