// Who is asking: the bearer token of a request, verified with the package's Verifier for
// the database the request is for.
//
// A token is tried against these key sets in order, moving on only while the answer is
// ERR_TOKEN_KEY_NOT_FOUND (no key of that set fits):
//   1. AUTHZ_JWKS, the operator's static keys (optional when the Platform API is on);
//   2. the keystore's keys of the database and of its group (Platform API), read from the
//      Keystore Durable Object at every request, so a rotation holds from the next request;
//   3. every saved provider JWKS source, through createRemoteJwks (cache, cooldown).
// Any other answer (expired, forged, another database) is final.
import { Verifier, createRemoteJwks } from 'libsql-authz';
import { bearerToken, failure } from '../http.js';
import { keystoreOf } from '../platform/keystore-do.js';

const MAX_CACHED = 64;
// Built Verifiers by key set and scope, and remote key sets by URL: kept per isolate.
const verifiers = new Map();
const remotes = new Map();

function cached(map, key, make) {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= MAX_CACHED) map.delete(map.keys().next().value);
    value = make();
    map.set(key, value);
  }
  return value;
}

/**
 * What a token for `database` is checked with: `{ set, options }` (`set`: the keystore's
 * verificationSet, or null), or `{ response }` when the database is unknown or nothing
 * could verify a token.
 * `database`: `{ name, routed }`; a routed database (by host or path) must be in the
 * keystore, the default one (DATABASE_NAME) may be configured by vars alone.
 */
async function verificationFor(env, database) {
  let set = null;
  if (env.PLATFORM_API_TOKEN && env.KEYSTORE) {
    const answer = await keystoreOf(env).verificationSet(database.name);
    if (answer.error)
      return { response: failure(500, 'GATEWAY_KEYSTORE_ERROR', answer.error.message) };
    set = answer.value;
  }
  if (set === null && database.routed)
    return {
      response: failure(
        404,
        'GATEWAY_DATABASE_UNKNOWN',
        `database ${JSON.stringify(database.name)} does not exist on this gateway`,
      ),
    };
  if (set === null && !env.AUTHZ_JWKS)
    return { response: failure(500, 'GATEWAY_MISCONFIGURED', 'AUTHZ_JWKS is not set') };
  const options = { database: database.name };
  const databaseId = set ? set.databaseId : env.DATABASE_ID;
  const group = set ? set.group : env.DATABASE_GROUP;
  const groupId = set ? set.groupId : env.DATABASE_GROUP_ID;
  // Turso Cloud tokens name the database and group by id.
  if (databaseId) options.databaseId = databaseId;
  if (group) options.group = group;
  if (groupId) options.groupId = groupId;
  return { set, options };
}

/**
 * The request's token and what it grants for `database`: `{ token, grant }`, or
 * `{ response }` (401 for the token, 404 for an unknown database, 500 for the gateway's
 * own configuration). Fails closed.
 */
export async function authenticate(request, env, database) {
  const token = bearerToken(request);
  const verification = await verificationFor(env, database);
  if (verification.response) return verification;
  if (token === null)
    return {
      response: failure(
        401,
        'ERR_TOKEN_MISSING',
        'an Authorization: Bearer <token> header is required',
      ),
    };
  try {
    return { token, grant: await verify(token, env, verification) };
  } catch (e) {
    // The gateway's own configuration (AUTHZ_JWKS, the scope options): a 500 for the
    // operator, not a 401 for the client. Every other code is the token's.
    if (e?.code === 'ERR_KEY_INVALID' && e.source === 'AUTHZ_JWKS')
      return { response: failure(500, 'GATEWAY_MISCONFIGURED', `AUTHZ_JWKS: ${e.message}`) };
    if (e?.code === 'ERR_OPTIONS_INVALID')
      return { response: failure(500, 'GATEWAY_MISCONFIGURED', e.message) };
    return {
      response: failure(401, e?.code ?? 'ERR_TOKEN_INVALID', e?.message ?? 'invalid token'),
    };
  }
}

async function verify(token, env, { set, options }) {
  const scope = JSON.stringify(options);
  const attempts = [];
  if (env.AUTHZ_JWKS)
    attempts.push(async () => {
      let verifier;
      try {
        verifier = cached(
          verifiers,
          `static\0${env.AUTHZ_JWKS}\0${scope}`,
          () => new Verifier(env.AUTHZ_JWKS, options),
        );
      } catch (e) {
        if (e?.code === 'ERR_KEY_INVALID') e.source = 'AUTHZ_JWKS';
        throw e;
      }
      return verifier.verify(token);
    });
  if (set) {
    attempts.push(async () =>
      cached(
        verifiers,
        `keystore\0${set.generation}\0${scope}`,
        () => new Verifier(set.jwks, options),
      ).verify(token),
    );
    for (const { url } of set.sources)
      attempts.push(async () => {
        // One key set per URL (one cache, one cooldown), a Verifier per database.
        const jwks = cached(remotes, url, () => createRemoteJwks(url));
        const remote = cached(verifiers, `remote\0${url}\0${scope}`, () => jwks.verifier(options));
        try {
          return await remote.verify(token);
        } catch (e) {
          // A source that cannot be fetched only means its keys are not at hand.
          if (e?.code === 'ERR_KEY_INVALID' || e?.code === 'ERR_INPUT_TOO_LARGE')
            e.unreachable = true;
          throw e;
        }
      });
  }
  let notFound = null;
  let unreachable = null;
  for (const attempt of attempts) {
    try {
      return await attempt();
    } catch (e) {
      if (e?.code === 'ERR_TOKEN_KEY_NOT_FOUND') notFound ??= e;
      else if (e?.unreachable) unreachable ??= e;
      else throw e;
    }
  }
  throw notFound ?? unreachable;
}
