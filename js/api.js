// The public API every entry point exports: the core's functions and classes as the
// wasm glue exports them, plus what only JS can do (the error class, checking that a
// value is a Grant). Nothing here decides about tokens, tables or SQL.
//
// This module never calls into wasm while it is evaluated: each entry point
// instantiates the module first, then registers AuthzError with `__setErrorClass`.
// Written in the subset of ESM that scripts/esm-to-cjs.mjs turns into api.cjs.

import { Grant, checkStatement as checkGrantStatement } from './libsql_authz.js';

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
    throw new AuthzError('ERR_OPTIONS_INVALID', 'checkStatement expects a Grant returned by verifyToken or Verifier.verify');
  }
  return checkGrantStatement(grant, sql);
}

export { Grant, Verifier, generateKeyPair, createToken, verifyToken, analyzeStatement } from './libsql_authz.js';

/**
 * A JWKS fetched from `url` and cached: `getKeys(kid)` resolves to the cached set while
 * it is younger than `cacheMaxAge` ms, refetches when it is older, and refetches early
 * when `kid` is not in the set (key rotation) unless the last fetch is younger than
 * `cooldown` ms. Concurrent calls share one fetch. Pass the result to `verifyToken` or
 * `Verifier.updateKeys`; the core validates every key.
 */
export function createRemoteJwks(url, options = {}) {
  const { cacheMaxAge = 600_000, cooldown = 30_000, fetch: fetchJwks = globalThis.fetch, ...unknown } = options;
  const invalid = (message) => new AuthzError('ERR_OPTIONS_INVALID', message);
  const unknownName = Object.keys(unknown)[0];
  if (unknownName !== undefined) throw invalid(`unknown option \`${unknownName}\` in createRemoteJwks options`);
  if (typeof url !== 'string' && !(url instanceof URL)) throw invalid('createRemoteJwks expects a URL');
  for (const [name, value] of [['cacheMaxAge', cacheMaxAge], ['cooldown', cooldown]]) {
    if (typeof value !== 'number' || !(value >= 0)) throw invalid(`\`${name}\` must be a number of milliseconds >= 0`);
  }
  if (typeof fetchJwks !== 'function') throw invalid('no `fetch` available: pass options.fetch');

  let keys = null;
  let fetchedAt = -Infinity;
  let pending = null;

  const reload = () => {
    pending ??= (async () => {
      const response = await fetchJwks(url, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new AuthzError('ERR_KEY_INVALID', `fetching the JWKS at ${url} failed: HTTP ${response.status}`);
      const body = await response.json().catch(() => null);
      if (body === null || typeof body !== 'object' || !Array.isArray(body.keys)) {
        throw new AuthzError('ERR_KEY_INVALID', `the document at ${url} is not a JWKS`);
      }
      keys = body;
      fetchedAt = Date.now();
      return body;
    })().finally(() => {
      pending = null;
    });
    return pending;
  };

  return {
    /** The key set, fetched when missing, stale, or (after the cooldown) lacking `kid`. */
    async getKeys(kid) {
      const age = Date.now() - fetchedAt;
      if (keys === null || age >= cacheMaxAge) return reload();
      if (kid !== undefined && !keys.keys.some((key) => key && key.kid === kid) && age >= cooldown) return reload();
      return keys;
    },
    /** Fetches the key set now, whatever the cache holds. */
    reload,
  };
}
