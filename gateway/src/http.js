// The gateway's HTTP answers. Content type exactly "application/json" and a "message":
// @libsql/client then turns the body into a LibsqlError whose `code` is ours (it ignores
// the body for other types), and @tursodatabase/serverless shows the `message` of a
// failed cursor request.

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request) {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return m ? m[1] : null;
}

/** A JSON response. */
export const json = (status, body) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** An error response: `{ error, message, code }`. */
export const failure = (status, code, message) => json(status, { error: message, message, code });

/** A plain-text response. */
export const text = (body, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * `response` with CORS headers for `origin` (`*` or one origin). Tokens travel in the
 * Authorization header, never in cookies, so allowing an origin lets its pages use tokens
 * they already hold, nothing more.
 */
export function withCors(response, origin) {
  const r = new Response(response.body, response);
  r.headers.set('access-control-allow-origin', origin);
  r.headers.set('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
  r.headers.set(
    'access-control-allow-headers',
    'authorization, content-type, x-turso-encryption-key',
  );
  r.headers.set('access-control-max-age', '86400');
  if (origin !== '*') r.headers.append('vary', 'origin');
  return r;
}
