// The Platform API's state: one Durable Object (`Keystore`, binding KEYSTORE, one instance
// per gateway) holding the keystore (`libsql-authz/keystore`: groups, databases, their
// signing keys) and the organisation's saved JWKS sources, in its storage under one key.
//
// Private keys never leave it: tokens are minted here, and the Worker only ever gets
// public keys (verificationSet). Every change is made on a copy, validated, and stored
// with one `put`; only then does it replace the state. A change that fails (unknown name,
// taken name, a storage error) leaves the stored and the in-memory state as they were.
// A Durable Object runs one such call at a time, so changes never interleave.
//
// RPC methods answer `{ value }` or `{ error: { code, message } }`: errors crossing RPC
// lose their properties, codes must survive.
import { DurableObject } from 'cloudflare:workers';
import { claimsTemplate, createToken, generateKeyPair } from 'libsql-authz';
import {
  createDatabase,
  createGroup,
  databaseJwks,
  emptyKeystore,
  getDatabase,
  getGroup,
  parseKeystore,
  rotateDatabase,
  rotateGroup,
  signingKey,
} from 'libsql-authz/keystore';

const STATE_KEY = 'state';

/** The gateway's one Keystore (binding KEYSTORE). */
export const keystoreOf = (env) => env.KEYSTORE.get(env.KEYSTORE.idFromName('keystore'));
const deps = { generateKeyPair };

export class Keystore extends DurableObject {
  /** `{ keystore, sources: { [name]: url }, generation }`, loaded on first use. */
  #state = null;

  async #load() {
    if (this.#state === null) {
      const stored = await this.ctx.storage.get(STATE_KEY);
      this.#state = stored
        ? { ...stored, keystore: parseKeystore(JSON.stringify(stored.keystore)) }
        : { keystore: emptyKeystore(), sources: {}, generation: 0 };
    }
    return this.#state;
  }

  /** Runs `read(state)`; its result or its error as a value. */
  async #read(read) {
    try {
      return { value: read(await this.#load()) };
    } catch (e) {
      return failed(e);
    }
  }

  /** Runs `change(copy)` on a copy of the state, stores the copy, and only then adopts it. */
  async #change(change) {
    try {
      const next = structuredClone(await this.#load());
      const value = change(next);
      next.keystore = parseKeystore(JSON.stringify(next.keystore));
      next.generation += 1;
      await this.ctx.storage.put(STATE_KEY, next);
      this.#state = next;
      return { value };
    } catch (e) {
      return failed(e);
    }
  }

  listGroups() {
    return this.#read(({ keystore }) =>
      Object.keys(keystore.groups)
        .sort()
        .map((name) => describeGroup(keystore, name)),
    );
  }

  getGroup(name) {
    return this.#read(({ keystore }) => describeGroup(keystore, name));
  }

  createGroup(name) {
    return this.#change(({ keystore }) => {
      createGroup(keystore, name, deps).id = crypto.randomUUID();
      return describeGroup(keystore, name);
    });
  }

  listDatabases() {
    return this.#read(({ keystore }) =>
      Object.keys(keystore.databases)
        .sort()
        .map((name) => describeDatabase(keystore, name)),
    );
  }

  getDatabase(name) {
    return this.#read(({ keystore }) => describeDatabase(keystore, name));
  }

  createDatabase(name, group) {
    return this.#change(({ keystore }) => {
      createDatabase(keystore, name, group, deps).id = crypto.randomUUID();
      return describeDatabase(keystore, name);
    });
  }

  /**
   * A token for `scope` (`{ database }` or `{ group }`, names) signed by its newest key.
   * Its `id` / `gid` and the databases it may attach (`readAttach`, names) are written as
   * the platform's ids, as Turso Cloud writes them.
   */
  mintToken(scope, options) {
    return this.#read(({ keystore }) => {
      const claims = { ...options, ...scopeClaims(keystore, scope) };
      if (options.readAttach)
        claims.readAttach = options.readAttach.map((name) => databaseId(keystore, name));
      return createToken(signingKey(keystore, scope), claims);
    });
  }

  /** The claims a provider's JWT template writes for `scope` (`{}`: the organisation). */
  template(scope, options) {
    return this.#read(({ keystore }) =>
      claimsTemplate({ ...options, ...scopeClaims(keystore, scope) }),
    );
  }

  /** Replaces the keys of `{ database }`, or of `{ group }` and every database in it. */
  rotate(scope) {
    return this.#change(({ keystore }) => {
      if (scope.database !== undefined) rotateDatabase(keystore, scope.database, deps);
      else rotateGroup(keystore, scope.group, deps);
      return {};
    });
  }

  /**
   * What the Worker verifies a token for `database` with: the public keys of the database
   * and of its group, their ids, and the JWKS sources; `null` for an unknown database.
   * `generation` changes with every change of the state (the Worker's cache key).
   */
  verificationSet(database) {
    return this.#read(({ keystore, sources, generation }) => {
      if (!Object.hasOwn(keystore.databases, database)) return null;
      const entry = keystore.databases[database];
      return {
        generation,
        database,
        databaseId: entry.id ?? null,
        group: entry.group,
        groupId: entry.group === null ? null : (keystore.groups[entry.group].id ?? null),
        jwks: databaseJwks(keystore, database),
        sources: Object.entries(sources).map(([name, url]) => ({ name, url })),
      };
    });
  }

  listSources() {
    return this.#read(({ sources }) =>
      Object.entries(sources).map(([name, url]) => ({ name, jwks_url: url })),
    );
  }

  saveSource(name, url) {
    return this.#change((state) => {
      state.sources[name] = url;
      return { name, jwks_url: url };
    });
  }

  deleteSource(name) {
    return this.#change((state) => {
      if (!Object.hasOwn(state.sources, name))
        throw Object.assign(new Error(`JWKS source ${JSON.stringify(name)} does not exist`), {
          code: 'ERR_UNKNOWN_SOURCE',
        });
      delete state.sources[name];
      return {};
    });
  }
}

const failed = (e) => ({
  error: {
    code: typeof e?.code === 'string' ? e.code : 'ERR_INTERNAL',
    message: String(e?.message ?? e),
  },
});

const databaseId = (keystore, name) => getDatabase(keystore, name).id ?? name;

/** The `id` / `gid` claims of a scope: the platform's ids, as Turso Cloud's tokens carry them. */
function scopeClaims(keystore, { database, group }) {
  if (database !== undefined) return { database: databaseId(keystore, database) };
  if (group !== undefined) return { group: getGroup(keystore, group).id ?? group };
  return {};
}

function describeGroup(keystore, name) {
  const g = getGroup(keystore, name);
  return { name, id: g.id ?? null, createdAt: g.createdAt };
}

function describeDatabase(keystore, name) {
  const db = getDatabase(keystore, name);
  return { name, id: db.id ?? null, group: db.group, createdAt: db.createdAt };
}
