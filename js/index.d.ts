// Types of the libsql-authz package, one file for every entry point (Node ESM and CJS,
// workerd, browsers and bundlers). Hand-written from docs/DESIGN.md, the API contract.

/** What a statement does to a table. */
export type Action =
  | 'data_read'
  | 'data_add'
  | 'data_update'
  | 'data_delete'
  | 'schema_add'
  | 'schema_update'
  | 'schema_delete';

/** One fine-grained rule: these actions on these tables (`"all"`: every table). */
export interface Rule {
  /** Each name written as SQLite reads it back: `comments`, `temp.t`, `"a.b"`. */
  tables: 'all' | string[];
  actions: Action[];
}

/** The stable codes of every error the package throws (`AuthzError.code`). */
export type ErrorCode =
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_ALGORITHM'
  | 'ERR_TOKEN_KEY_NOT_FOUND'
  | 'ERR_TOKEN_SIGNATURE'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  | 'ERR_TOKEN_CLAIMS'
  | 'ERR_TOKEN_SCOPE'
  | 'ERR_TOKEN_ISSUER'
  | 'ERR_TOKEN_AUDIENCE'
  | 'ERR_KEY_INVALID'
  | 'ERR_OPTIONS_INVALID'
  | 'ERR_INPUT_TOO_LARGE'
  | 'ERR_SQL_PARSE'
  | 'ERR_SQL_UNSUPPORTED'
  | 'ERR_SQL_TOO_LARGE';

/** Every error the package throws; branch on `code`, not on `message`. */
export class AuthzError extends Error {
  constructor(code: ErrorCode, message: string);
  readonly name: 'AuthzError';
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
  /**
   * The name of the database the request targets (sqld's namespace); with `databaseId`
   * omitted too, the database scope is not checked (a `p` token then needs a group).
   */
  database?: string;
  /**
   * The database's Turso Cloud id (a UUID), which Cloud tokens carry in `id`. A token's
   * `id` and `p` names match when they equal `database` or `databaseId`.
   */
  databaseId?: string;
  /** The name of that database's group; with `groupId` omitted too, not checked. */
  group?: string;
  /** The group's Turso Cloud id; a token's `gid` and `p` tags match either. */
  groupId?: string;
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
export type VerifierOptions = Omit<VerifyOptions, 'now'>;

/** What `createToken` writes into the token. Unknown option names are an error. */
export interface CreateTokenOptions {
  /** `id`: the one database the token is scoped to. */
  database?: string;
  /** `gid`: the group the token is scoped to. */
  group?: string;
  /** `a: "ro"`; default false (`rw`). */
  readOnly?: boolean;
  /**
   * `perm` rules in the CLI form: `"all:data_read"`, `"comments:data_add,data_update"`.
   * `[]` writes `perm: [{"a": []}]`: no table at all (an empty `perm` means no restriction).
   */
  permissions?: string[];
  /**
   * Databases the token may `ATTACH`, read-only (Turso's `read_attach`). Non-empty: writes
   * `p: {"rw" | "ro": {"ns": [database]} | {"tags": [group]}, "roa": {"ns": readAttach}}`
   * beside `a` and `id` / `gid`; needs `database` or `group`.
   */
  readAttach?: string[];
  /** `"never"` (the default), `"30s"`, `"15m"`, `"12h"`, `"7d"`, `"2w1d30m"`, or whole seconds. */
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
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [name: string]: JsonValue };

/** What a verified token grants. Only `verifyToken` and `Verifier.verify` make one. */
export class Grant {
  private constructor();
  /** `id`: the database the token is scoped to (`null` for a `p` token: `id` is not read). */
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

/**
 * A key set and options kept between requests, with a cache of good tokens (at most 1024
 * tokens of at most 4096 bytes; a hit skips only the signature, never the time check).
 * `keys` may be `null`: no keys yet, every token is ERR_TOKEN_KEY_NOT_FOUND until
 * `updateKeys` brings some.
 */
export class Verifier {
  constructor(keys: KeyInput | null, options?: VerifierOptions);
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

/** What `claimsTemplate` describes: `CreateTokenOptions` without the time. Unknown names are an error. */
export type ClaimsTemplateOptions = Omit<CreateTokenOptions, 'expiration' | 'now'>;

/**
 * The claims a token made with `options` carries besides `iat` / `exp` (`id` or `gid`, `a`,
 * `perm`): what a provider's JWT template (Clerk, Auth0) must write for `verifyToken` to
 * read the same grant, as `turso org jwks template` prints them.
 */
export function claimsTemplate(options?: ClaimsTemplateOptions): { [claim: string]: JsonValue };

/** Verifies `token` against `keys`; throws an AuthzError when it is not valid here. */
export function verifyToken(token: string, keys: KeyInput, options?: VerifyOptions): Grant;

/** One table access a statement makes. `admin` / `attach` are not table actions. */
export interface Access {
  table: string;
  action: Action | 'admin' | 'attach';
  allowed: boolean;
  reason?: string;
}

/** What a statement is (an EXPLAIN has its inner statement's kind). */
export type StatementKind =
  | 'select'
  | 'insert'
  | 'update'
  | 'delete'
  | 'create_table'
  | 'create_view'
  | 'create_virtual_table'
  | 'create_index'
  | 'create_trigger'
  | 'drop_table'
  | 'drop_view'
  | 'drop_index'
  | 'drop_trigger'
  | 'alter_table'
  | 'analyze'
  | 'reindex'
  | 'vacuum'
  | 'pragma'
  | 'attach'
  | 'detach'
  | 'begin'
  | 'begin_readonly'
  | 'commit'
  | 'rollback'
  | 'rollback_to'
  | 'savepoint'
  | 'release';

/** The decision for one statement. */
export interface StatementDecision {
  sql: string;
  kind: StatementKind;
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
  action: Action | 'admin' | 'attach';
  /** For `admin`: what needs full access. */
  reason?: string;
}

/** What one statement does, without any grant. */
export interface StatementAnalysis {
  /** The statement's own text. */
  sql: string;
  /** `"select"`, `"insert"`, `"create_table"`, ... (an EXPLAIN has its inner statement's kind). */
  kind: StatementKind;
  needs: Need[];
  /**
   * Its parameters as SQLite numbers them: parameter `i + 1` is named `parameters[i]`
   * (`":id"`, `"@id"`, `"$id"`, `"?3"`), or `null` for a plain `?`. The length is what
   * `sqlite3_bind_parameter_count` reports.
   */
  parameters: (string | null)[];
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

/** The request a remote key set makes: a GET, standard `fetch` options only. */
export interface RemoteJwksRequestInit {
  method: 'GET';
  /** `accept: "application/jwk-set+json, application/json"`, then `options.headers`. */
  headers: { [name: string]: string };
  redirect: 'follow';
  /** `AbortSignal.timeout(options.timeout)`, where the runtime has it. */
  signal?: AbortSignal;
}

/**
 * What the remote key set reads of a response: `ok`, `status`, the `content-length`
 * header when `headers` is there, the body through `text()` when it is there (so that
 * `maxBytes` applies), `json()` otherwise. A standard `Response` is one.
 */
export interface RemoteJwksResponse {
  ok: boolean;
  status: number;
  headers?: { get(name: string): string | null };
  text?(): Promise<string>;
  json(): Promise<unknown>;
}

/** The `fetch` a remote key set uses: the standard one, or any function of this shape. */
export type FetchLike = (url: string, init: RemoteJwksRequestInit) => Promise<RemoteJwksResponse>;

/** Options of `createRemoteJwks`. Unknown option names are ERR_OPTIONS_INVALID. */
export interface RemoteJwksOptions {
  /** How long a fetched set is used, in ms; default 600000 (10 minutes). Stale keys are never used. */
  cacheMaxAge?: number;
  /**
   * Least time between the start of the last fetch (failed ones too) and a fetch caused
   * by an unknown `kid`, in ms; default 30000.
   */
  cooldown?: number;
  /** A shared fetch unsettled after this many ms is abandoned (and aborted where possible); default 5000. */
  timeout?: number;
  /** A larger response is refused with ERR_INPUT_TOO_LARGE; default 1048576 bytes. */
  maxBytes?: number;
  /** Extra request headers. */
  headers?: { [name: string]: string };
  /** The fetch to use; default `globalThis.fetch`, called with the global as `this`. */
  fetch?: FetchLike;
  /** The clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
}

/** The state of a remote key set's cache, for monitoring. */
export interface RemoteJwksStatus {
  /** When the cached set was fetched (ms, from `now`); `null` when nothing is cached. */
  fetchedAt: number | null;
  /** Whether the cached set is younger than `cacheMaxAge`. */
  fresh: boolean;
  /** Whether a fetch is running. */
  fetching: boolean;
  /** Fetches started so far. */
  fetches: number;
  /** Successful fetches so far. */
  generation: number;
  /** The error of the last fetch if it failed (ERR_KEY_INVALID, ERR_INPUT_TOO_LARGE); `null` after a success. */
  lastError: AuthzError | null;
}

/**
 * A `Verifier` fed by a remote key set, as jose's: it verifies with the cached keys and,
 * on ERR_TOKEN_KEY_NOT_FOUND outside the cooldown, reloads once and retries.
 */
export interface RemoteVerifier {
  /** Verifies `token` with the freshest keys; rejects with an AuthzError. */
  verify(token: string, options?: { now?: number }): Promise<Grant>;
  /** The underlying Verifier; `null` before the first keys reach it. */
  readonly current: Verifier | null;
}

/** A JWKS fetched from a URL (your `jwks <db>` output, Clerk, Auth0, any OIDC issuer) and cached. */
export interface RemoteJwks {
  /** The URL, normalised. */
  readonly url: string;
  /**
   * The key set (deep-frozen): from the cache while it is younger than `cacheMaxAge`,
   * fetched otherwise. `getKeys(kid)` is `getKeysFor(kid)`.
   */
  getKeys(kid?: string): Promise<Readonly<Jwks>>;
  /**
   * The key set, refetched first when it has no key `kid` and no fetch started within
   * `cooldown`. It may still lack `kid`: verification then fails with ERR_TOKEN_KEY_NOT_FOUND.
   */
  getKeysFor(kid: string): Promise<Readonly<Jwks>>;
  /** A Verifier built with `options` and kept in sync with this key set; bad options throw ERR_OPTIONS_INVALID here. */
  verifier(options?: VerifierOptions): RemoteVerifier;
  /** Fetches now (or joins the fetch already running). */
  reload(): Promise<Readonly<Jwks>>;
  /** Forgets the cached keys: the next call fetches. */
  reset(): void;
  /** The cache state (a fresh object on every read). */
  readonly status: RemoteJwksStatus;
}

/**
 * A remote key set. Nothing is fetched until a key is needed, so it may be created at
 * module scope (Workers). Bad arguments throw ERR_OPTIONS_INVALID; a failed fetch
 * rejects with ERR_KEY_INVALID (the cause in `cause`), an oversized one with
 * ERR_INPUT_TOO_LARGE.
 */
export function createRemoteJwks(url: string | URL, options?: RemoteJwksOptions): RemoteJwks;
