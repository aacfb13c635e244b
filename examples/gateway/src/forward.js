// Forwarding backend: the checked pipeline goes to a real libSQL server (sqld, Turso) at
// LIBSQL_URL. Streams (batons) pass through, so interactive transactions work, with one
// twist: the upstream baton is handed to the client bound to the client's token
// (`<upstream baton>.<HMAC(upstream baton, SHA-256(token))>`). Why: a later request on the
// stream may execute SQL by `sql_id`, stored by an earlier request whose text the gateway
// no longer sees. Every store_sql is checked when stored, so SQL stored on a stream is
// SQL the stream's token may run; binding the baton to that token keeps it that way.
// The body sent upstream is the validated JSON re-serialized (what was checked is exactly
// what is sent: no JSON parser differences such as duplicate keys).

const enc = new TextEncoder();
let isolateKey = null; // used when BATON_SECRET is not set: batons then work within one isolate only

async function macKey(env) {
  if (env.BATON_SECRET) {
    return crypto.subtle.importKey("raw", enc.encode(env.BATON_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }
  isolateKey ??= await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  return isolateKey;
}

const b64u = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
function unb64u(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function macInput(upstream, token) {
  const th = await crypto.subtle.digest("SHA-256", enc.encode(token));
  return enc.encode(`libsql-authz-gateway baton v1\u0000${b64u(th)}\u0000${upstream}`);
}

/** Binds an upstream baton to `token`. */
export async function wrapBaton(env, upstream, token) {
  if (upstream == null) return null;
  const sig = await crypto.subtle.sign("HMAC", await macKey(env), await macInput(upstream, token));
  return `${upstream}.${b64u(sig)}`;
}

/** The upstream baton if `baton` was issued by this gateway to `token`, else null. */
export async function unwrapBaton(env, baton, token) {
  const dot = baton.lastIndexOf(".");
  if (dot <= 0) return null;
  const upstream = baton.slice(0, dot);
  const sig = unb64u(baton.slice(dot + 1));
  if (!sig) return null;
  const ok = await crypto.subtle.verify("HMAC", await macKey(env), sig, await macInput(upstream, token));
  return ok ? upstream : null;
}

/**
 * Sends the checked pipeline upstream. `upstreamBaton` is already unwrapped. Returns a
 * Response for the client.
 */
export async function forwardPipeline(env, body, upstreamBaton, token, failure, json, encryptionKey) {
  const headers = { "content-type": "application/json" };
  if (encryptionKey) headers["x-turso-encryption-key"] = encryptionKey; // the client's remoteEncryptionKey
  if (env.LIBSQL_AUTH_TOKEN) headers.authorization = `Bearer ${env.LIBSQL_AUTH_TOKEN}`;
  const base = env.LIBSQL_URL.endsWith("/") ? env.LIBSQL_URL : env.LIBSQL_URL + "/";
  const target = new URL("v2/pipeline", base.replace(/^libsql:/, "https:"));
  let resp;
  try {
    resp = await fetch(target, { method: "POST", headers, body: JSON.stringify({ ...body, baton: upstreamBaton }) });
  } catch (e) {
    return failure(502, "GATEWAY_UPSTREAM_ERROR", `upstream unreachable: ${e.message}`);
  }
  if (resp.status === 401 || resp.status === 403) {
    await resp.body?.cancel();
    return failure(502, "GATEWAY_UPSTREAM_AUTH", `upstream refused the gateway's credentials (HTTP ${resp.status}); check LIBSQL_AUTH_TOKEN`);
  }
  if (!resp.ok) {
    return new Response(resp.body, { status: resp.status, headers: { "content-type": resp.headers.get("content-type") ?? "text/plain" } });
  }
  let out;
  try {
    out = await resp.json();
  } catch (e) {
    return failure(502, "GATEWAY_UPSTREAM_ERROR", `upstream sent invalid JSON: ${e.message}`);
  }
  out.baton = await wrapBaton(env, out.baton ?? null, token);
  out.base_url = null; // keep the client talking to the gateway
  return json(200, out);
}
