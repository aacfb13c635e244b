// TEMPORARY STAND-IN for the real `libsql-authz` package, which is being built elsewhere.
// Same API names and shapes as docs/DESIGN.md, trivial logic, NO SECURITY AT ALL:
//  - the literal token "good" is a full-access token;
//  - createToken() makes "fake.<base64url(JSON claims)>.<checksum>" tokens that verify()
//    decodes (so tests can ask for read-only, expired or other-database tokens);
//  - checkStatement denies any SQL containing "DROP", and, for read-only grants, any SQL
//    whose first word is a write. Nothing is parsed.
// Delete this directory once the real package is wired in (see ../../README.md).

export class AuthzError extends Error {
  constructor(code, message) { super(message); this.name = "AuthzError"; this.code = code; }
}

const b64u = (s) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64u = (s) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));
function checksum(secret, text) { // not a signature: just enough to make "forged" testable
  let h = 2166136261;
  for (const c of secret + "|" + text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16);
}
const secretOf = (keys) => {
  const k = typeof keys === "string" ? JSON.parse(keys) : keys;
  const jwk = Array.isArray(k?.keys) ? k.keys[0] : Array.isArray(k) ? k[0] : k;
  if (!jwk || typeof jwk.x !== "string") throw new AuthzError("ERR_KEY_INVALID", "fake: no key");
  return jwk.x;
};

export function generateKeyPair() {
  const x = b64u(String(Math.random()) + String(Date.now()));
  const kid = "fake-" + x.slice(0, 8);
  return { kid, privateJwk: { kty: "OKP", crv: "Ed25519", kid, x, d: "fake" },
           publicJwk: { kty: "OKP", crv: "Ed25519", kid, x } };
}

export function createToken(privateJwk, options = {}) {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const claims = { iat: now };
  if (options.database) claims.id = options.database;
  if (options.group) claims.gid = options.group;
  if (options.readOnly) claims.a = "ro";
  if (options.permissions) claims.perm = options.permissions; // CLI form: "items:data_add,data_read"
  if (options.expiration !== undefined && options.expiration !== "never") {
    const m = /^(\d+)([smhdw])$/.exec(String(options.expiration));
    const secs = m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]] : Number(options.expiration);
    claims.exp = now + secs;
  }
  const payload = b64u(JSON.stringify(claims));
  return `fake.${payload}.${checksum(secretOf(privateJwk), payload)}`;
}

class Grant {
  constructor(claims) {
    this.claims = claims; this.database = claims.id ?? null; this.group = claims.gid ?? null;
    this.readOnly = claims.a === "ro"; this.permissions = claims.perm ? claims.perm.map((r) => {
      const [t, a] = r.split(":"); return { tables: t === "all" ? "all" : t.split(","), actions: a.split(",") };
    }) : null; this.expiresAt = claims.exp ?? null;
  }
  allows(table, action) {
    if (this.readOnly && action !== "data_read") return false;
    if (!this.permissions) return true;
    return this.permissions.some((r) => (r.tables === "all" || r.tables.includes(table.toLowerCase())) && r.actions.includes(action));
  }
}

export function verifyToken(token, keys, options = {}) {
  if (token === "good") return new Grant({});
  const parts = String(token).split(".");
  if (parts.length !== 3 || parts[0] !== "fake") throw new AuthzError("ERR_TOKEN_MALFORMED", "fake: not a token");
  if (checksum(secretOf(keys), parts[1]) !== parts[2]) throw new AuthzError("ERR_TOKEN_SIGNATURE", "fake: bad signature");
  const claims = JSON.parse(unb64u(parts[1]));
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (claims.exp !== undefined && claims.exp + (options.leeway ?? 60) < now) throw new AuthzError("ERR_TOKEN_EXPIRED", "fake: expired");
  if (options.database && claims.id && claims.id !== options.database) throw new AuthzError("ERR_TOKEN_SCOPE", "fake: other database");
  if (claims.gid && options.group !== claims.gid) throw new AuthzError("ERR_TOKEN_SCOPE", "fake: other group");
  return new Grant(claims);
}

export class Verifier {
  constructor(keys, options = {}) { secretOf(keys); this.keys = keys; this.options = options; }
  verify(token, options = {}) { return verifyToken(token, this.keys, { ...this.options, ...options }); }
  updateKeys(keys) { secretOf(keys); this.keys = keys; }
}

const WRITE = /^\s*(insert|update|delete|replace|create|drop|alter|pragma|attach|detach|vacuum|reindex|analyze)\b/i;

export function checkStatement(grant, sql) {
  // crude: split on ";" (quotes ignored), check each piece
  const parts = String(sql).split(";").map((x) => x.trim()).filter(Boolean);
  const statements = parts.map((p) => checkOne(grant, p).statements[0]);
  const denied = statements.flatMap((st) => st.accesses.filter((a) => !a.allowed));
  return { allowed: denied.length === 0, statements, denied };
}

function checkOne(grant, sql) {
  let denied = [];
  if (/drop/i.test(sql)) denied.push({ table: "*", action: "schema_delete", allowed: false, reason: "fake: DROP is denied" });
  else if (grant.readOnly && WRITE.test(sql)) denied.push({ table: "*", action: "data_add", allowed: false, reason: "fake: read-only token" });
  else if (grant.permissions) { // crude: first table after INSERT INTO / UPDATE / DELETE FROM / FROM
    const w = /^\s*(?:insert\s+into|update|delete\s+from)\s+["`]?(\w+)/i.exec(sql);
    const action = w ? ({ i: "data_add", u: "data_update", d: "data_delete" })[sql.trim()[0].toLowerCase()] : "data_read";
    const table = w ? w[1] : (/\bfrom\s+["`]?(\w+)/i.exec(sql)?.[1] ?? "sqlite_master");
    if (WRITE.test(sql) && !w) denied.push({ table: "*", action: "schema_update", allowed: false, reason: "fake: schema change" });
    else if (!grant.allows(table, action)) denied.push({ table, action, allowed: false, reason: "fake: no rule" });
  }
  return { allowed: denied.length === 0, statements: [{ sql, kind: "unknown", accesses: denied, allowed: denied.length === 0 }], denied };
}

export function analyzeStatement(sql) { return { sql, statements: [] }; }
