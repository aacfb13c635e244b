// The public API every entry point exports: the core's functions and classes as the
// wasm glue exports them, plus what only JS can do (the error class, checking that a
// value is a Grant). Nothing here decides about tokens, tables or SQL.
//
// This module never calls into wasm while it is evaluated: each entry point
// instantiates the module first, then registers AuthzError with `__setErrorClass`.

import {
  Grant,
  Verifier as WasmVerifier,
  __analyzeStatement,
  __checkStatement,
} from './libsql_authz.js';
import { bindRemoteJwks } from './remote-jwks.js';

/** Every error the package throws: `code` is stable (`ERR_TOKEN_EXPIRED`, ...). */
export class AuthzError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'AuthzError';
    this.code = code;
  }
}

/** Decides whether `sql` may run under `grant` (a Grant from verifyToken or a Verifier). */
export function checkStatement(grant, sql) {
  // The glue's pointer is 0 once `grant.free()` ran, missing on `Object.create(Grant.prototype)`:
  // the glue would then throw a plain Error.
  if (!(grant instanceof Grant) || !grant.__wbg_ptr) {
    throw new AuthzError(
      'ERR_OPTIONS_INVALID',
      'checkStatement expects a Grant returned by verifyToken or Verifier.verify',
    );
  }
  return decisionFrom(__checkStatement(grant, sqlText(sql)), sql);
}

// The wasm's decision as fields separated by U+001F (src/bindings/wire.rs) -> the
// documented object: member names put back, a statement's text sliced from `sql` when
// the wasm sent its offsets, and `denied` collected from the accesses (copies). Any
// `allowed` field but "1" is a denial.
function decisionFrom(wire, sql) {
  const fields = new WireFields(wire);
  const offsets = fields.next() === 'o';
  const statementCount = fields.number();
  const statements = [];
  const denied = [];
  for (let s = 0; s < statementCount; s++) {
    const kind = fields.next();
    const text = offsets ? sql.slice(fields.number(), fields.number()) : fields.text();
    const accessCount = fields.number();
    const accesses = [];
    for (let a = 0; a < accessCount; a++) {
      const table = fields.text();
      const action = fields.next();
      const state = fields.next();
      const allowed = state[0] === '1';
      const access =
        state.length === 1
          ? { table, action, allowed }
          : { table, action, allowed, reason: fields.text() };
      accesses.push(access);
      if (!allowed) denied.push({ ...access });
    }
    statements.push({ sql: text, kind, accesses, allowed: fields.next() === '1' });
  }
  const allowed = fields.next() === '1';
  return fields.done()
    ? { allowed, statements, denied }
    : { allowed, statements, denied, error: JSON.parse(fields.next()) };
}

/** The fields of the wasm's decision, read in order (cheaper than `split` of a new string). */
class WireFields {
  constructor(wire) {
    this.wire = wire;
    this.at = 0;
  }

  /** The next field as it is. */
  next() {
    const { wire, at } = this;
    const separator = wire.indexOf('\x1f', at);
    const end = separator < 0 ? wire.length : separator;
    this.at = end + 1;
    return wire.slice(at, end);
  }

  number() {
    return Number(this.next());
  }

  /** A table, reason or statement text: sent as a JSON string when it starts with `"`
   * or holds the separator. */
  text() {
    const field = this.next();
    return field.charCodeAt(0) === 34 ? JSON.parse(field) : field;
  }

  done() {
    return this.at > this.wire.length;
  }
}

/** What `sql` does, statement by statement, without any grant. */
export function analyzeStatement(sql) {
  return JSON.parse(__analyzeStatement(sqlText(sql)));
}

// The glue would coerce a non-string to text (`undefined` -> "undefined").
function sqlText(sql) {
  if (typeof sql !== 'string') throw new AuthzError('ERR_OPTIONS_INVALID', 'sql must be a string');
  return sql;
}

/** Most tokens a Verifier's JS-side map remembers (the wasm's MAX_VERIFIER_CACHE_ENTRIES). */
const MAX_REMEMBERED_TOKENS = 1024;
/** Longest token remembered (the wasm's MAX_CACHED_TOKEN_BYTES; tokens are ASCII). */
const MAX_REMEMBERED_TOKEN_LENGTH = 4096;

/**
 * A key set and options kept between requests, with a cache of good tokens (the wasm's
 * `Verifier`). This subclass adds a map from the tokens it verified to the grants it
 * returned, so that a repeated token is not copied into wasm and hashed again; the wasm
 * still does the time check of every hit (`__recheck`), which returns a new `Grant`
 * sharing the same claims. The map is forgotten whenever the keys change and skips a
 * grant its caller has freed. Both shortcuts (the map, and `__verifyAt`, which skips the
 * wasm's reading of an options object) serve only options that are at most
 * `{ now: number }`; any other call takes the wasm's own path, which checks its options.
 */
export class Verifier extends WasmVerifier {
  #grants = new Map();

  verify(token, options) {
    const plain = onlyNow(options);
    const remembered = this.#grants.get(token);
    if (remembered?.__wbg_ptr && plain) {
      try {
        return this.__recheck(remembered, options?.now);
      } catch (error) {
        this.#grants.delete(token);
        throw error;
      }
    }
    const grant = plain ? this.__verifyAt(token, options?.now) : super.verify(token, options);
    if (typeof token === 'string' && token.length <= MAX_REMEMBERED_TOKEN_LENGTH) {
      if (this.#grants.size >= MAX_REMEMBERED_TOKENS) this.#grants.clear();
      this.#grants.set(token, grant);
    }
    return grant;
  }

  updateKeys(keys) {
    super.updateKeys(keys);
    this.#grants.clear();
  }

  free() {
    this.#grants.clear();
    super.free();
  }
}

// `undefined`, `{}` or `{ now: <number> }`, and nothing else.
function onlyNow(options) {
  if (options === undefined) return true;
  if (
    options === null ||
    typeof options !== 'object' ||
    Object.getPrototypeOf(options) !== Object.prototype
  )
    return false;
  for (const name in options) if (name !== 'now') return false;
  return options.now === undefined || typeof options.now === 'number';
}

export { Grant, generateKeyPair, createToken, verifyToken } from './libsql_authz.js';

/**
 * A JWKS fetched from `url` and cached, with a `Verifier` kept in sync: the one
 * implementation is js/remote-jwks.js (docs/cli.md, "Remote JWKS"), bound here to the
 * package's `Verifier` and `AuthzError`.
 */
export const createRemoteJwks = bindRemoteJwks({ Verifier, AuthzError });
