// A remote JWKS for edge and server code: fetches a JSON Web Key Set from a URL, caches
// it, refetches on an unknown `kid` (at most once per cooldown), and keeps a package
// `Verifier` in sync with it. Documented in docs/cli.md ("Remote JWKS").
//
// Runs everywhere the package runs (Node, Deno, Bun, browsers, Cloudflare Workers):
// no Node APIs, nothing at module top level, no timers. Time comes from `now()`.
//
// Concurrency: at most one fetch runs at a time; every caller that needs keys while it
// runs shares its promise. A shared fetch that has not settled after `timeout` ms is
// abandoned: the next caller starts a new one. This matters on Cloudflare Workers,
// where a fetch started by a request that has since ended may never settle for the
// requests awaiting it; without the limit, that one promise would block the key set
// for the life of the isolate. Where `AbortSignal.timeout` exists, the fetch itself is
// also aborted after `timeout`.
//
// A failed fetch (network, HTTP status, not a JWKS) rejects the callers that shared it
// with ERR_KEY_INVALID (the cause, if any, in `error.cause`), as index.d.ts documents,
// and is forgotten: the keys from the last good fetch stay, and the next call tries
// again. Keys older than `cacheMaxAge` are never used: if refreshing them fails, the
// call fails (closed), as `jose`'s createRemoteJWKSet does.

const DEFAULTS = { cacheMaxAge: 600_000, cooldown: 30_000, timeout: 5_000, maxBytes: 1 << 20 };
const KNOWN_OPTIONS = ['cacheMaxAge', 'cooldown', 'timeout', 'maxBytes', 'fetch', 'now', 'headers'];

class RemoteJwksError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'AuthzError';
    this.code = code;
  }
}

// A valid Ed25519 public key nobody holds the private key of (the base point): lets
// verifier() check its options before any key set is fetched.
const PLACEHOLDER_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'WGZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY',
};

function nonNegative(name, value) {
  return typeof value === 'number' && value >= 0 ? null : `${name} must be a number >= 0`;
}

function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function hasKid(jwks, kid) {
  return jwks.keys.some((k) => k.kid === kid);
}

// Reads the `kid` of a compact JWS header, without deciding anything about the token:
// only used to choose whether to refresh the key set. Anything odd yields undefined,
// and the Verifier then reports the token's real problem.
function peekKid(token) {
  if (typeof token !== 'string') return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > 8192) return undefined;
  try {
    const b64 = token.slice(0, dot).replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return header && typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Binds `createRemoteJwks` to the package's `Verifier` and `AuthzError`. Each entry
 * point of the package does
 *   export const createRemoteJwks = bindRemoteJwks({ Verifier, AuthzError });
 */
export function bindRemoteJwks({ Verifier, AuthzError } = {}) {
  // Errors carry a stable `code`; with the package's AuthzError bound they are
  // instances of it (`err instanceof AuthzError`), whatever its constructor takes.
  const makeError = (code, message, cause) => {
    const e = new RemoteJwksError(code, message, cause === undefined ? undefined : { cause });
    if (typeof AuthzError === 'function' && AuthzError.prototype instanceof Error) {
      Object.setPrototypeOf(e, AuthzError.prototype);
    }
    return e;
  };

  return function createRemoteJwks(url, options = {}) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw makeError('ERR_OPTIONS_INVALID', 'createRemoteJwks: options must be an object');
    }
    // A misspelt option must not silently fall back to a default.
    const unknown = Object.keys(options).find((name) => !KNOWN_OPTIONS.includes(name));
    if (unknown !== undefined)
      throw makeError('ERR_OPTIONS_INVALID', `createRemoteJwks: unknown option \`${unknown}\``);
    const opts = { ...DEFAULTS };
    for (const [name, value] of Object.entries(options))
      if (value !== undefined) opts[name] = value;
    // The default calls fetch as a method of globalThis, never of another object:
    // browsers throw "Illegal invocation" when fetch's `this` is not the global.
    const fetchImpl =
      opts.fetch ??
      (typeof globalThis.fetch === 'function'
        ? (input, init) => globalThis.fetch(input, init)
        : undefined);
    const now = opts.now ?? (() => Date.now()); // looked up at each call (mocked clocks)
    let href;
    try {
      href = new URL(String(url)).href;
    } catch {
      throw makeError(
        'ERR_OPTIONS_INVALID',
        `createRemoteJwks: invalid URL ${JSON.stringify(String(url))}`,
      );
    }
    if (!/^https?:$/.test(new URL(href).protocol)) {
      throw makeError('ERR_OPTIONS_INVALID', 'createRemoteJwks: the URL must be http: or https:');
    }
    for (const name of ['cacheMaxAge', 'cooldown', 'timeout', 'maxBytes']) {
      const problem = nonNegative(name, opts[name]);
      if (problem) throw makeError('ERR_OPTIONS_INVALID', `createRemoteJwks: ${problem}`);
    }
    if (typeof fetchImpl !== 'function') {
      throw makeError(
        'ERR_OPTIONS_INVALID',
        'createRemoteJwks: no fetch function (pass options.fetch)',
      );
    }
    if (typeof now !== 'function')
      throw makeError('ERR_OPTIONS_INVALID', 'createRemoteJwks: now must be a function');

    let cached = null; // { jwks, fetchedAt }
    let generation = 0; // +1 for each successful fetch
    let seq = 0; // fetches started
    let appliedSeq = 0; // the newest fetch whose result is in `cached`
    let inFlight = null; // { promise, startedAt, seq }
    let lastAttemptAt = null; // start of the last fetch, for the cooldown
    let lastError = null;

    async function download(signal) {
      let res;
      try {
        res = await fetchImpl(href, {
          method: 'GET',
          headers: {
            accept: 'application/jwk-set+json, application/json',
            ...(opts.headers ?? {}),
          },
          redirect: 'follow',
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        throw makeError(
          'ERR_KEY_INVALID',
          `fetching the JWKS from ${href} failed: ${err?.message ? err.message : err}`,
          err,
        );
      }
      if (!res?.ok) {
        throw makeError(
          'ERR_KEY_INVALID',
          `fetching the JWKS from ${href} failed: HTTP ${res ? res.status : 'no response'}`,
        );
      }
      const tooLarge = () =>
        makeError('ERR_INPUT_TOO_LARGE', `the JWKS from ${href} is over ${opts.maxBytes} bytes`);
      const declared = Number(
        res.headers && typeof res.headers.get === 'function'
          ? res.headers.get('content-length')
          : NaN,
      );
      if (declared > opts.maxBytes) throw tooLarge();
      let jwks;
      if (typeof res.text === 'function') {
        let text;
        try {
          text = await res.text();
        } catch (err) {
          throw makeError(
            'ERR_KEY_INVALID',
            `reading the JWKS from ${href} failed: ${err?.message ? err.message : err}`,
            err,
          );
        }
        if (text.length > opts.maxBytes) throw tooLarge();
        try {
          jwks = JSON.parse(text);
        } catch {
          throw makeError('ERR_KEY_INVALID', `the response of ${href} is not JSON`);
        }
      } else {
        // A minimal fetch stand-in with only json() (the FetchLike of index.d.ts).
        try {
          jwks = await res.json();
        } catch {
          throw makeError('ERR_KEY_INVALID', `the response of ${href} is not JSON`);
        }
      }
      if (
        !jwks ||
        typeof jwks !== 'object' ||
        !Array.isArray(jwks.keys) ||
        !jwks.keys.every((k) => k && typeof k === 'object' && !Array.isArray(k))
      ) {
        throw makeError(
          'ERR_KEY_INVALID',
          `the response of ${href} is not a JWKS ({"keys": [...]})`,
        );
      }
      return deepFreeze(jwks);
    }

    function refresh() {
      const t = now();
      if (inFlight && t - inFlight.startedAt < opts.timeout) return inFlight.promise;
      const mine = ++seq;
      lastAttemptAt = t;
      const signal =
        typeof AbortSignal !== 'undefined' &&
        typeof AbortSignal.timeout === 'function' &&
        opts.timeout > 0 &&
        opts.timeout < 2 ** 31
          ? AbortSignal.timeout(opts.timeout)
          : undefined;
      const entry = { startedAt: t, seq: mine, promise: null };
      entry.promise = download(signal).then(
        (jwks) => {
          if (inFlight === entry) inFlight = null;
          if (mine > appliedSeq) {
            appliedSeq = mine;
            cached = { jwks, fetchedAt: now() };
            generation += 1;
            lastError = null;
          }
          // An older fetch that lost to a newer one answers with the newer keys.
          return cached !== null && appliedSeq >= mine ? cached.jwks : jwks;
        },
        (err) => {
          if (inFlight === entry) inFlight = null;
          lastError = err;
          throw err;
        },
      );
      inFlight = entry;
      return entry.promise;
    }

    function fresh() {
      return cached !== null && now() - cached.fetchedAt < opts.cacheMaxAge;
    }

    /** The key set, from the cache while it is younger than cacheMaxAge. */
    async function getKeys(kid) {
      if (kid !== undefined) return getKeysFor(kid);
      return fresh() ? cached.jwks : refresh();
    }

    /**
     * The key set, refetched first if it has no key `kid` and no fetch started within
     * the cooldown (a fetch already running is joined instead). It may still lack `kid`:
     * the verifier then fails with ERR_TOKEN_KEY_NOT_FOUND.
     */
    async function getKeysFor(kid) {
      if (typeof kid !== 'string')
        throw makeError('ERR_OPTIONS_INVALID', 'getKeysFor: kid must be a string');
      const startedBefore = seq;
      const jwks = await getKeys();
      if (hasKid(jwks, kid)) return jwks;
      if (seq !== startedBefore && !inFlight) return jwks; // this call already fetched
      if (inFlight) return inFlight.promise;
      if (lastAttemptAt !== null && now() - lastAttemptAt < opts.cooldown) return jwks;
      return refresh();
    }

    /**
     * A verifier kept in sync with the remote key set: `await v.verify(token, opts)`
     * returns the package's Grant, or rejects with its AuthzError.
     */
    function verifier(verifyOptions = {}) {
      if (typeof Verifier !== 'function') {
        throw makeError(
          'ERR_OPTIONS_INVALID',
          "verifier() needs the package's Verifier: use createRemoteJwks from the libsql-authz package",
        );
      }
      // The options are checked here, not at the first request: a misspelt `databse`
      // must fail where the verifier is made. A placeholder key (the Ed25519 base
      // point) stands in for the key set, which is fetched later.
      const probe = new Verifier(PLACEHOLDER_JWK, verifyOptions);
      if (typeof probe.free === 'function') probe.free();
      let inner = null;
      let innerGeneration = -1;
      return {
        async verify(token, options) {
          const kid = peekKid(token);
          const jwks = kid === undefined ? await getKeys() : await getKeysFor(kid);
          if (inner === null) {
            inner = new Verifier(jwks, verifyOptions);
            innerGeneration = generation;
          } else if (innerGeneration !== generation) {
            inner.updateKeys(jwks);
            innerGeneration = generation;
          }
          return options === undefined ? inner.verify(token) : inner.verify(token, options);
        },
        /** The underlying Verifier (null before the first verify). */
        get current() {
          return inner;
        },
      };
    }

    return {
      url: href,
      getKeys,
      getKeysFor,
      verifier,
      /** Fetches the key set now (joining a fetch already running), whatever the cache holds. */
      reload: () => refresh(),
      /** Drops the cached keys: the next call fetches. */
      reset() {
        cached = null;
        appliedSeq = seq;
        inFlight = null;
        lastAttemptAt = null;
      },
      /** Cache state, for monitoring and tests. */
      get status() {
        return {
          fetchedAt: cached ? cached.fetchedAt : null,
          fresh: fresh(),
          fetching: inFlight !== null,
          fetches: seq,
          generation,
          lastError,
        };
      },
    };
  };
}

/**
 * createRemoteJwks without a bound Verifier (`verifier()` needs options.Verifier then).
 * Prefer the one exported by the package, which is bound.
 */
export function createRemoteJwks(url, options = {}) {
  const { Verifier, AuthzError, ...rest } = options ?? {};
  return bindRemoteJwks({ Verifier, AuthzError })(url, rest);
}
