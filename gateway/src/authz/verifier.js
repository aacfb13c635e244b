// Who is asking: the bearer token of a request, verified with the package's Verifier.
import { Verifier } from 'libsql-authz';
import { failure } from '../http.js';

// One Verifier per isolate (the JWKS is parsed once), rebuilt only if the config changes.
let verifier = null;
let verifierConfig = null;

function getVerifier(env) {
  const config = [
    env.AUTHZ_JWKS,
    env.DATABASE_NAME,
    env.DATABASE_ID,
    env.DATABASE_GROUP,
    env.DATABASE_GROUP_ID,
  ].join('\u0000');
  if (verifier === null || verifierConfig !== config) {
    const options = {};
    if (env.DATABASE_NAME) options.database = env.DATABASE_NAME;
    // Turso Cloud tokens name the database and group by id.
    if (env.DATABASE_ID) options.databaseId = env.DATABASE_ID;
    if (env.DATABASE_GROUP) options.group = env.DATABASE_GROUP;
    if (env.DATABASE_GROUP_ID) options.groupId = env.DATABASE_GROUP_ID;
    verifier = new Verifier(env.AUTHZ_JWKS, options);
    verifierConfig = config;
  }
  return verifier;
}

/**
 * The request's token and what it grants: `{ token, grant }`, or `{ response }` (401 for
 * the token, 500 for the gateway's own configuration). Fails closed.
 */
export function authenticate(request, env) {
  if (!env.AUTHZ_JWKS)
    return { response: failure(500, 'GATEWAY_MISCONFIGURED', 'AUTHZ_JWKS is not set') };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  if (!m)
    return {
      response: failure(
        401,
        'ERR_TOKEN_MISSING',
        'an Authorization: Bearer <token> header is required',
      ),
    };
  try {
    return { token: m[1], grant: getVerifier(env).verify(m[1]) };
  } catch (e) {
    // The gateway's own configuration (AUTHZ_JWKS, the scope options): a 500 for the
    // operator, not a 401 for the client. Every other code is the token's.
    if (e?.code === 'ERR_KEY_INVALID')
      return { response: failure(500, 'GATEWAY_MISCONFIGURED', `AUTHZ_JWKS: ${e.message}`) };
    if (e?.code === 'ERR_OPTIONS_INVALID')
      return { response: failure(500, 'GATEWAY_MISCONFIGURED', e.message) };
    return {
      response: failure(401, e?.code ?? 'ERR_TOKEN_INVALID', e?.message ?? 'invalid token'),
    };
  }
}
