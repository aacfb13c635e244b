// Stream batons bound to the client's token: `<stream id>.<HMAC(stream id, SHA-256(token))>`.
// Why: a later request on a stream may execute SQL by `sql_id`, stored by an earlier request
// whose text the gateway no longer sees. Every store_sql is checked when stored, so SQL
// stored on a stream is SQL the stream's token may run; binding the baton to that token
// keeps it that way (and a leaked baton is useless without the token).
// Keyed by BATON_SECRET; without it, a random key per isolate (streams then survive only
// within one isolate: set BATON_SECRET in production).

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
