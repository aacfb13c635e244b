// The database endpoints, Hrana over HTTP: `POST /v2/pipeline`, `/v3/pipeline` and
// `/v3/cursor`. Each request goes through the same steps, in this order, and stops at
// the first that fails: who is asking (authz/verifier.js), what is asked (protocol/),
// the stream it continues (protocol/baton.js), every SQL text checked (authz/authorize.js),
// and only then the database (storage/).
import { authorizePipeline } from './authz/authorize.js';
import { authenticate } from './authz/verifier.js';
import { failure, json } from './http.js';
import { staleAfterDenial, staleAfterRun, unwrapBaton, wrapBaton } from './protocol/baton.js';
import { cursorEntries, cursorResponse } from './protocol/cursor.js';
import { ProtocolError, parseCursor, parsePipeline } from './protocol/hrana.js';
import { forwardPipeline } from './storage/forward.js';

const MAX_BODY = 4 * 1024 * 1024;

/**
 * Serves one Hrana request. `endpoint`: `{ version: 2 | 3, cursor: boolean }`; `database`:
 * `{ name, routed }` (index.js). A cursor's batch runs as a pipeline of one `batch`
 * request, answered as cursor entries.
 */
export async function serveDatabase(request, env, { version, cursor }, database) {
  // 1. Who is asking. Fail closed on any misconfiguration.
  const who = await authenticate(request, env, database);
  if (who.response) return who.response;
  const { token, grant } = who;

  // 2. What is asked. The body is JSON whatever its Content-Type, as sqld reads it.
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_BODY) return failure(413, 'HRANA_PROTO_ERROR', 'request body too large');
  const text = await request.text();
  if (text.length > MAX_BODY) return failure(413, 'HRANA_PROTO_ERROR', 'request body too large');
  let asked;
  try {
    const body = JSON.parse(text);
    if (cursor) {
      const { baton, batch } = parseCursor(body);
      asked = { baton, requests: [{ type: 'batch', batch }] };
    } else {
      asked = parsePipeline(body);
    }
  } catch (e) {
    return failure(
      400,
      'HRANA_PROTO_ERROR',
      e instanceof ProtocolError ? e.message : `invalid JSON: ${e.message}`,
    );
  }
  const { requests } = asked;
  const answer = async (streamId, stale, results) => {
    const baton = streamId === null ? null : await wrapBaton(env, streamId, token, stale);
    return cursor
      ? cursorResponse(baton, cursorEntries(results[0]))
      : json(200, { baton, base_url: null, results });
  };

  // 3. A stream continued from an earlier request must have been opened by this gateway
  //    for this very token: SQL stored on it was checked for it (protocol/baton.js).
  let stream = null;
  if (asked.baton !== null) {
    stream = await unwrapBaton(env, asked.baton, token);
    if (stream === null)
      return failure(
        400,
        'ERR_BATON_INVALID',
        'this baton was not issued by this gateway for this token',
      );
  }

  // 4. Every statement checked before anything reaches the database. A denied request
  //    leaves the stream as it was (the client goes on with it), except that sql_ids the
  //    client believes it stored or closed are marked stale.
  const denied = authorizePipeline(grant, requests, {
    streamBound: stream !== null,
    stale: stream?.stale,
  });
  if (denied) return answer(stream?.id ?? null, staleAfterDenial(stream?.stale, requests), denied);
  const stale = staleAfterRun(stream?.stale ?? [], requests);

  // 5. The database.
  const ran = await runOnStorage(request, env, {
    database,
    requests,
    streamId: stream?.id ?? null,
    version,
  });
  if (ran.response) return ran.response;
  return answer(ran.streamId, stale, ran.results);
}

/** Runs checked requests on the configured storage: `{ streamId, results }` or `{ response }`. */
async function runOnStorage(request, env, { database, requests, streamId, version }) {
  // LIBSQL_URL is one database: the default one. Routed databases live in Durable Objects.
  if (env.LIBSQL_URL && !database.routed) {
    return forwardPipeline(env, {
      requests,
      streamId,
      version,
      encryptionKey: request.headers.get('x-turso-encryption-key'),
    });
  }
  if (!env.DB)
    return {
      response: failure(
        500,
        'GATEWAY_MISCONFIGURED',
        'neither LIBSQL_URL nor the DB Durable Object binding is configured',
      ),
    };
  const stub = env.DB.get(env.DB.idFromName(database.name));
  try {
    const out = await stub.pipeline(requests, streamId);
    if (out.error) return { response: failure(400, out.error.code, out.error.message) };
    return { streamId: out.streamId, results: out.results };
  } catch (e) {
    if (e?.code === 'ARGS_INVALID' || e instanceof ProtocolError)
      return { response: failure(400, e.code, e.message) };
    return { response: failure(500, 'GATEWAY_DATABASE_ERROR', e?.message ?? String(e)) };
  }
}
