// Types of the libsql-authz package, one file for every entry point (Node ESM and CJS,
// workerd, browsers and bundlers). Hand-written from docs/DESIGN.md, the API contract.

/** What a statement does to a table. */
export type Action =
  | "data_read"
  | "data_add"
  | "data_update"
  | "data_delete"
  | "schema_add"
  | "schema_update"
  | "schema_delete";

/** One fine-grained rule: these actions on these tables (`"all"`: every table). */
export interface Rule {
  tables: "all" | string[];
  actions: Action[];
}

/** The stable codes of every error the package throws (`AuthzError.code`). */
export type ErrorCode =
  | "ERR_TOKEN_MALFORMED"
  | "ERR_TOKEN_ALGORITHM"
  | "ERR_TOKEN_KEY_NOT_FOUND"
  | "ERR_TOKEN_SIGNATURE"
  | "ERR_TOKEN_EXPIRED"
  | "ERR_TOKEN_NOT_YET_VALID"
  | "ERR_TOKEN_CLAIMS"
  | "ERR_TOKEN_SCOPE"
  | "ERR_TOKEN_ISSUER"
  | "ERR_TOKEN_AUDIENCE"
  | "ERR_KEY_INVALID"
  | "ERR_OPTIONS_INVALID"
  | "ERR_INPUT_TOO_LARGE"
  | "ERR_SQL_PARSE"
  | "ERR_SQL_UNSUPPORTED"
  | "ERR_SQL_TOO_LARGE";

/** Every error the package throws; branch on `code`, not on `message`. */
export class AuthzError extends Error {
  constructor(code: ErrorCode, message: string);
  readonly name: "AuthzError";
  readonly code: ErrorCode;
}

/** A JSON Web Key as the package reads and writes it (OKP Ed25519, RSA, EC). */
export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  crv?: string;
  x?: string;
  y?: string;
  /** Private part (OKP, EC) or private exponent (RSA). */
  d?: string;
  n?: string;
  e?: string;
  [parameter: string]: unknown;
}

/** A JSON Web Key Set. */
export interface Jwks {
  keys: Jwk[];
}

/**
 * Verification keys: a JWKS, one JWK, an array of JWKs, the JSON text of any of those,
 * a raw base64url Ed25519 public key, or a PEM SPKI public key.
 */
export type KeyInput = Jwks | Jwk | Jwk[] | string;

/** What `verifyToken` checks besides the signature. Unknown option names are an error. */
export interface VerifyOptions {
  /** The database the request targets; omitted: the database scope is not checked. */
  database?: string;
  /** The group of that database; omitted: the group scope is not checked. */
  group?: string;
  /** Current time in seconds since the epoch (floored); default `Date.now() / 1000`. */
  now?: number;
  /** Clock tolerance for `exp` / `nbf` in whole seconds; default 60, 0 allowed. */
  leeway?: number;
  /** Accepted `alg` values; default: every asymmetric algorithm the keys allow. */
  algorithms?: string[];
  /** Accepted `iss` values; omitted: not checked. */
  issuer?: string | string[];
  /** Accepted `aud` values (one must be in the token); omitted: not checked. */
  audience?: string | string[];
}

/** Options of a `Verifier`: those of `verifyToken` except `now`, given per call. */
export type VerifierOptions = Omit<VerifyOptions, "now">;

/** What `createToken` writes into the token. Unknown option names are an error. */
export interface CreateTokenOptions {
  /** `id`: the one database the token is scoped to. */
  database?: string;
  /** `gid`: the group the token is scoped to. */
  group?: string;
  /** `a: "ro"`; default false (`rw`). */
  readOnly?: boolean;
  /** `perm` rules in the CLI form: `"all:data_read"`, `"comments:data_add,data_update"`. */
  permissions?: string[];
  /** `"never"` (the default), `"30s"`, `"15m"`, `"12h"`, `"7d"`, `"2w"`, or whole seconds. */
  expiration?: string | number;
  /** `iat` in seconds since the epoch; default `Date.now() / 1000`. */
  now?: number;
}

/** A fresh Ed25519 key pair; the same `kid` is in both JWKs. */
export interface KeyPair {
  kid: string;
  privateJwk: Jwk;
  publicJwk: Jwk;
}

/** A JSON value, as found in a token's claims. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [name: string]: JsonValue };

/** What a verified token grants. Only `verifyToken` and `Verifier.verify` make one. */
export class Grant {
  private constructor();
  /** `id`: the database the token is scoped to. */
  readonly database: string | null;
  /** `gid`: the group the token is scoped to. */
  readonly group: string | null;
  /** Whether the token may only read the requested database. */
  readonly readOnly: boolean;
  /** The `perm` rules; `null` when the token has none. */
  readonly permissions: Rule[] | null;
  /** `exp` in seconds since the epoch; `null` for a token that never expires. */
  readonly expiresAt: number | null;
  /** The verified claims as they were in the token (a fresh copy on every read). */
  readonly claims: { [name: string]: JsonValue };
  /**
   * Whether `action` is allowed on `table`, written as SQLite reads a qualified name
   * (`comments`, `main.comments`, `temp.t`, `"odd.name"`). Throws ERR_OPTIONS_INVALID for
   * an unknown action or a malformed name.
   */
  allows(table: string, action: Action): boolean;
  /** Releases the wasm memory now instead of at garbage collection; the Grant is then unusable. */
  free(): void;
  [Symbol.dispose](): void;
}

/** A key set and options kept between requests. */
export class Verifier {
  constructor(keys: KeyInput, options?: VerifierOptions);
  verify(token: string, options?: { now?: number }): Grant;
  /** Replaces the key set (rotation); on error the previous keys stay. */
  updateKeys(keys: KeyInput): void;
  free(): void;
  [Symbol.dispose](): void;
}

/** Generates an Ed25519 key pair. */
export function generateKeyPair(): KeyPair;

/** Mints an EdDSA token signed with `privateJwk` (a JWK or its JSON text). */
export function createToken(privateJwk: Jwk | string, options?: CreateTokenOptions): string;

/** Verifies `token` against `keys`; throws an AuthzError when it is not valid here. */
export function verifyToken(token: string, keys: KeyInput, options?: VerifyOptions): Grant;

/** One table access a statement makes. `admin` / `attach` are not table actions. */
export interface Access {
  table: string;
  action: Action | "admin" | "attach";
  allowed: boolean;
  reason?: string;
}

/** The decision for one statement. */
export interface StatementDecision {
  sql: string;
  kind: string;
  accesses: Access[];
  allowed: boolean;
}

/** A failure to analyse SQL, with its stable code. */
export interface SqlError {
  code: ErrorCode;
  message: string;
}

/** Whether a SQL text may run under a grant: `allowed` only if every statement is. */
export interface Decision {
  allowed: boolean;
  statements: StatementDecision[];
  denied: Access[];
  error?: SqlError;
}

/** One access a statement needs: `table` is `*` for every table or admin, the database for `attach`. */
export interface Need {
  table: string;
  action: Action | "admin" | "attach";
  /** For `admin`: what needs full access. */
  reason?: string;
}

/** What one statement does, without any grant. */
export interface StatementAnalysis {
  /** The statement's own text. */
  sql: string;
  /** `"select"`, `"insert"`, `"create_table"`, ... (an EXPLAIN has its inner statement's kind). */
  kind: string;
  needs: Need[];
}

/** What a SQL text does, statement by statement. */
export interface Analysis {
  statements: StatementAnalysis[];
  error?: SqlError;
}

/** Decides whether `sql` may run under `grant`; a non-Grant throws ERR_OPTIONS_INVALID. */
export function checkStatement(grant: Grant, sql: string): Decision;

/** What `sql` does, as SQLite parses it. */
export function analyzeStatement(sql: string): Analysis;

/** The `fetch` a remote key set uses: any function with the standard signature's subset. */
export type FetchLike = (
  url: string | URL,
  init: { headers: { accept: string } },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface RemoteJwksOptions {
  /** How long a fetched set is used, in ms; default 600000 (10 minutes). */
  cacheMaxAge?: number;
  /** Shortest time between two fetches triggered by an unknown `kid`, in ms; default 30000. */
  cooldown?: number;
  /** The fetch to use; default `globalThis.fetch`. */
  fetch?: FetchLike;
}

/** A JWKS fetched from a provider (Clerk, Auth0, any OIDC issuer) and cached. */
export interface RemoteJwks {
  /** The cached set, refetched when stale or (after the cooldown) lacking `kid`. */
  getKeys(kid?: string): Promise<Jwks>;
  /** Fetches the set now. */
  reload(): Promise<Jwks>;
}

/** A remote key set; fetch errors reject with ERR_KEY_INVALID. */
export function createRemoteJwks(url: string | URL, options?: RemoteJwksOptions): RemoteJwks;
