// A remote JWKS for edge and server code, as jose's createRemoteJWKSet works: a cache in
// front of a local key set. `RemoteJwks` fetches a JSON Web Key Set from a URL and caches
// it; `RemoteVerifier` verifies with the keys at hand and, when the package answers
// ERR_TOKEN_KEY_NOT_FOUND outside the cooldown, reloads once and retries. Nothing here
// reads a token: which key fits is the package's `Verifier`'s decision. Documented in
// docs/cli.md ("Remote JWKS").
//
// Runs everywhere the package runs (Node, Deno, Bun, browsers, Cloudflare Workers): no
// Node APIs, nothing at module top level, no timers. Time comes from `now()`.
//
// Concurrency: at most one fetch runs at a time; every caller that needs keys while it
// runs shares its promise. A shared fetch that has not settled after `timeout` ms is
// abandoned: the next caller starts a new one. This matters on Cloudflare Workers,
// where a fetch started by a request that has since ended may never settle for the
// requests awaiting it; without the limit, that one promise would block the key set
// for the life of the isolate. Where `AbortSignal.timeout` exists, the fetch itself is
// also aborted after `timeout`. When fetches overlap, the newest result wins.
//
// A failed fetch (network, HTTP status, not a JWKS) rejects the callers that shared it
// with ERR_KEY_INVALID (the cause, if any, in `error.cause`), as index.d.ts documents,
// and is forgotten: the keys from the last good fetch stay, and the next call tries
// again. Keys older than `cacheMaxAge` are never used: if refreshing them fails, the
// call fails (closed), as jose does.

import { AuthzError } from './errors.js';

const DEFAULTS = { cacheMaxAge: 600_000, cooldown: 30_000, timeout: 5_000, maxBytes: 1 << 20 };
const KNOWN_OPTIONS = ['cacheMaxAge', 'cooldown', 'timeout', 'maxBytes', 'fetch', 'now', 'headers'];

const fail = (code, message, cause) =>
  new AuthzError(code, message, cause === undefined ? undefined : { cause });

const optionsError = (message) => fail('ERR_OPTIONS_INVALID', `createRemoteJwks: ${message}`);

function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** `options` checked and completed with the defaults; a misspelt name is an error. */
function normalizeOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw optionsError('options must be an object');
  }
  const unknown = Object.keys(options).find((name) => !KNOWN_OPTIONS.includes(name));
  if (unknown !== undefined) throw optionsError(`unknown option \`${unknown}\``);
  const normalized = { ...DEFAULTS };
  for (const [name, value] of Object.entries(options))
    if (value !== undefined) normalized[name] = value;
  for (const name of ['cacheMaxAge', 'cooldown', 'timeout', 'maxBytes']) {
    const value = normalized[name];
    if (typeof value !== 'number' || !(value >= 0))
      throw optionsError(`${name} must be a number >= 0`);
  }
  // The default calls fetch as a method of globalThis, never of another object:
  // browsers throw "Illegal invocation" when fetch's `this` is not the global.
  normalized.fetch ??=
    typeof globalThis.fetch === 'function'
      ? (input, init) => globalThis.fetch(input, init)
      : undefined;
  if (typeof normalized.fetch !== 'function')
    throw optionsError('no fetch function (pass options.fetch)');
  normalized.now ??= () => Date.now(); // looked up at each call (mocked clocks)
  if (typeof normalized.now !== 'function') throw optionsError('now must be a function');
  return normalized;
}

/** `url` as an absolute http: or https: URL. */
function normalizeUrl(url) {
  let parsed;
  try {
    parsed = new URL(String(url));
  } catch {
    throw optionsError(`invalid URL ${JSON.stringify(String(url))}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw optionsError('the URL must be http: or https:');
  return parsed.href;
}

/** A JWKS at a URL, cached for `cacheMaxAge`, fetched by one request at a time. */
class RemoteJwks {
  #Verifier;
  #options;
  /** `{ jwks, fetchedAt }` of the newest good fetch, or null. */
  #cached = null;
  /** +1 for each good fetch: a `RemoteVerifier` updates its keys when it moves. */
  #generation = 0;
  /** Fetches started, and the newest of them whose keys are in `#cached`. */
  #started = 0;
  #applied = 0;
  /** `{ promise, startedAt }` of the fetch running, or null. */
  #inFlight = null;
  /** When the last fetch started: the cooldown counts from it. */
  #lastAttemptAt = null;
  #lastError = null;

  constructor(url, options, Verifier) {
    this.url = normalizeUrl(url);
    this.#options = normalizeOptions(options);
    this.#Verifier = Verifier;
    // Bound, so that `const { getKeys } = remote` and `fetchKeys: remote.getKeys` work.
    for (const name of ['getKeys', 'getKeysFor', 'reload', 'reset', 'verifier'])
      this[name] = this[name].bind(this);
  }

  /** The key set, from the cache while it is younger than cacheMaxAge; with `kid`, as getKeysFor. */
  async getKeys(kid) {
    if (kid !== undefined) return this.getKeysFor(kid);
    return this.#fresh() ? this.#cached.jwks : this.#refresh();
  }

  /**
   * The key set, refetched first if it has no key `kid` and no fetch started within
   * the cooldown (a fetch already running is joined instead). It may still lack `kid`.
   */
  async getKeysFor(kid) {
    if (typeof kid !== 'string')
      throw fail('ERR_OPTIONS_INVALID', 'getKeysFor: kid must be a string');
    const startedBefore = this.#started;
    const jwks = await this.getKeys();
    if (jwks.keys.some((key) => key.kid === kid)) return jwks;
    if (this.#started !== startedBefore && !this.#inFlight) return jwks; // this call already fetched
    if (this.#inFlight) return this.#inFlight.promise;
    return this.#coolingDown() ? jwks : this.#refresh();
  }

  /** Fetches the key set now (joining a fetch already running), whatever the cache holds. */
  reload() {
    return this.#refresh();
  }

  /** Drops the cached keys: the next call fetches. */
  reset() {
    this.#cached = null;
    this.#applied = this.#started;
    this.#inFlight = null;
    this.#lastAttemptAt = null;
  }

  /** Cache state, for monitoring and tests. */
  get status() {
    return {
      fetchedAt: this.#cached ? this.#cached.fetchedAt : null,
      fresh: this.#fresh(),
      fetching: this.#inFlight !== null,
      fetches: this.#started,
      generation: this.#generation,
      lastError: this.#lastError,
    };
  }

  /** A Verifier built with `options` (checked here) and kept in sync with this key set. */
  verifier(options = {}) {
    if (typeof this.#Verifier !== 'function') {
      throw fail(
        'ERR_OPTIONS_INVALID',
        "verifier() needs the package's Verifier: use createRemoteJwks from the libsql-authz package",
      );
    }
    // No keys yet: the options are checked now, the keys come with the first verify.
    const verifier = new this.#Verifier(null, options);
    return new RemoteVerifier(verifier, {
      keys: () => this.getKeys(),
      generation: () => this.#generation,
      reloadUnlessCoolingDown: () => (this.#coolingDown() ? null : this.#refresh()),
    });
  }

  #fresh() {
    return (
      this.#cached !== null &&
      this.#options.now() - this.#cached.fetchedAt < this.#options.cacheMaxAge
    );
  }

  #coolingDown() {
    return (
      this.#lastAttemptAt !== null &&
      this.#options.now() - this.#lastAttemptAt < this.#options.cooldown
    );
  }

  /** The running fetch, or a new one. */
  #refresh() {
    const { now, timeout } = this.#options;
    const startedAt = now();
    if (this.#inFlight && startedAt - this.#inFlight.startedAt < timeout)
      return this.#inFlight.promise;
    const mine = ++this.#started;
    this.#lastAttemptAt = startedAt;
    const signal =
      typeof AbortSignal !== 'undefined' &&
      typeof AbortSignal.timeout === 'function' &&
      timeout > 0 &&
      timeout < 2 ** 31
        ? AbortSignal.timeout(timeout)
        : undefined;
    const entry = { startedAt, promise: null };
    entry.promise = this.#download(signal).then(
      (jwks) => {
        if (this.#inFlight === entry) this.#inFlight = null;
        if (mine > this.#applied) {
          this.#applied = mine;
          this.#cached = { jwks, fetchedAt: now() };
          this.#generation += 1;
          this.#lastError = null;
        }
        // An older fetch that lost to a newer one answers with the newer keys.
        return this.#cached !== null && this.#applied >= mine ? this.#cached.jwks : jwks;
      },
      (error) => {
        if (this.#inFlight === entry) this.#inFlight = null;
        this.#lastError = error;
        throw error;
      },
    );
    this.#inFlight = entry;
    return entry.promise;
  }

  /** One GET of the key set: a frozen JWKS, or an AuthzError. */
  async #download(signal) {
    const { fetch, headers, maxBytes } = this.#options;
    const href = this.url;
    const failure = (what, error) =>
      fail(
        'ERR_KEY_INVALID',
        `${what} the JWKS from ${href} failed: ${error?.message ?? error}`,
        error,
      );
    let response;
    try {
      response = await fetch(href, {
        method: 'GET',
        headers: { accept: 'application/jwk-set+json, application/json', ...(headers ?? {}) },
        redirect: 'follow',
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw failure('fetching', error);
    }
    if (!response?.ok) {
      throw fail(
        'ERR_KEY_INVALID',
        `fetching the JWKS from ${href} failed: HTTP ${response ? response.status : 'no response'}`,
      );
    }
    const tooLarge = () =>
      fail('ERR_INPUT_TOO_LARGE', `the JWKS from ${href} is over ${maxBytes} bytes`);
    const notJson = () => fail('ERR_KEY_INVALID', `the response of ${href} is not JSON`);
    const declared = Number(
      typeof response.headers?.get === 'function' ? response.headers.get('content-length') : NaN,
    );
    if (declared > maxBytes) throw tooLarge();
    let jwks;
    if (typeof response.text === 'function') {
      let text;
      try {
        text = await response.text();
      } catch (error) {
        throw failure('reading', error);
      }
      if (text.length > maxBytes) throw tooLarge();
      try {
        jwks = JSON.parse(text);
      } catch {
        throw notJson();
      }
    } else {
      // A minimal fetch stand-in with only json() (the FetchLike of index.d.ts).
      try {
        jwks = await response.json();
      } catch {
        throw notJson();
      }
    }
    if (
      !jwks ||
      typeof jwks !== 'object' ||
      !Array.isArray(jwks.keys) ||
      !jwks.keys.every((key) => key && typeof key === 'object' && !Array.isArray(key))
    ) {
      throw fail('ERR_KEY_INVALID', `the response of ${href} is not a JWKS ({"keys": [...]})`);
    }
    return deepFreeze(jwks);
  }
}

/**
 * A package `Verifier` fed by a `RemoteJwks`: `await v.verify(token, options)` returns
 * the package's Grant, or rejects with its AuthzError.
 */
class RemoteVerifier {
  #verifier;
  #source;
  /** The key set generation the Verifier holds; -1 before the first keys. */
  #synced = -1;

  constructor(verifier, source) {
    this.#verifier = verifier;
    this.#source = source;
  }

  async verify(token, options) {
    this.#sync(await this.#source.keys());
    try {
      return this.#verifier.verify(token, options);
    } catch (error) {
      // No key for this token: the provider may have rotated. Reload once, unless a
      // fetch started within the cooldown.
      const reload =
        error?.code === 'ERR_TOKEN_KEY_NOT_FOUND' && this.#source.reloadUnlessCoolingDown();
      if (!reload) throw error;
      this.#sync(await reload);
      return this.#verifier.verify(token, options);
    }
  }

  /** The underlying Verifier (null before the first keys reach it). */
  get current() {
    return this.#synced < 0 ? null : this.#verifier;
  }

  #sync(jwks) {
    const generation = this.#source.generation();
    if (generation === this.#synced) return;
    this.#verifier.updateKeys(jwks);
    this.#synced = generation;
  }
}

/**
 * Binds `createRemoteJwks` to the package's `Verifier`. Each entry point of the package
 * exports `bindRemoteJwks({ Verifier })`.
 */
export function bindRemoteJwks({ Verifier } = {}) {
  return (url, options = {}) => new RemoteJwks(url, options, Verifier);
}

/**
 * createRemoteJwks without a bound Verifier (`verifier()` needs options.Verifier then).
 * Prefer the one exported by the package, which is bound.
 */
export function createRemoteJwks(url, options = {}) {
  const { Verifier, ...rest } = options ?? {};
  return new RemoteJwks(url, rest, Verifier);
}
