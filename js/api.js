// The public API every entry point exports: the core's functions and classes as the
// wasm glue exports them, the error class (errors.js), and what only JS can do
// (checking that a value is a Grant). Nothing here decides about tokens, tables or SQL.
//
// This module never calls into wasm while it is evaluated: each entry point
// instantiates the module first, then registers AuthzError with `__setErrorClass`.

import { Grant, Verifier, __checkStatement } from './libsql_authz.js';
import { AuthzError } from './errors.js';
import { bindRemoteJwks } from './remote-jwks.js';
import { decisionFrom } from './wire.js';

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

// The glue would coerce a non-string to text (`undefined` -> "undefined").
function sqlText(sql) {
  if (typeof sql !== 'string') throw new AuthzError('ERR_OPTIONS_INVALID', 'sql must be a string');
  return sql;
}

export { AuthzError } from './errors.js';
export {
  Grant,
  Verifier,
  analyzeStatement,
  claimsTemplate,
  createToken,
  generateKeyPair,
  verifyToken,
} from './libsql_authz.js';

/**
 * A JWKS fetched from `url` and cached, with a `Verifier` kept in sync: the one
 * implementation is js/remote-jwks.js (docs/cli.md, "Remote JWKS"), bound here to the
 * package's `Verifier`.
 */
export const createRemoteJwks = bindRemoteJwks({ Verifier });
