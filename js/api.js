// The public API every entry point exports: the core's functions and classes as the
// wasm glue exports them, the error class (errors.js), and what only JS can do
// (checking that a value is a Grant). Nothing here decides about tokens, tables or SQL.
//
// This module never calls into wasm while it is evaluated: each entry point
// instantiates the module first, then registers AuthzError with `__setErrorClass`.

import { Grant, Verifier, __analyzeStatement, __checkStatement } from './libsql_authz.js';
import { AuthzError } from './errors.js';
import { bindRemoteJwks } from './remote-jwks.js';

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

export { AuthzError } from './errors.js';
export { Grant, Verifier, generateKeyPair, createToken, verifyToken } from './libsql_authz.js';

/**
 * A JWKS fetched from `url` and cached, with a `Verifier` kept in sync: the one
 * implementation is js/remote-jwks.js (docs/cli.md, "Remote JWKS"), bound here to the
 * package's `Verifier`.
 */
export const createRemoteJwks = bindRemoteJwks({ Verifier });
