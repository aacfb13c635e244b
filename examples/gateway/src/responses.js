// The gateway's HTTP answers. Content type exactly "application/json" and a "message":
// @libsql/client then turns the body into a LibsqlError whose `code` is ours (it ignores
// the body for other types).

/** A JSON response. */
export const json = (status, body) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** An error response: `{ error, message, code }`. */
export const failure = (status, code, message) => json(status, { error: message, message, code });
