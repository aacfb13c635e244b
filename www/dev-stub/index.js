// TEMPORARY STAND-IN for the `libsql-authz` npm package. Delete this folder once
// `pkg/` is built on main and www depends on it (see www/README.md).
//
// Same exports and shapes as docs/DESIGN.md ("JS API"), FAKE results:
// - signatures are a keyed checksum, not Ed25519: nothing here is secure;
// - the SQL "analysis" is a handful of regular expressions, not SQLite's grammar.
// It exists so the playground can be built and tested before the wasm package
// exists. It loads a (empty) wasm module with top-level await through
// `new URL(..., import.meta.url)`, exactly as the real browser entry does, so the
// production build is exercised on the same path.

const wasmUrl = new URL("./stub_bg.wasm", import.meta.url);
await WebAssembly.instantiate(await (await fetch(wasmUrl)).arrayBuffer());

const ACTIONS = [
  "data_read", "data_add", "data_update", "data_delete",
  "schema_add", "schema_update", "schema_delete",
];
const SYSTEM_TABLES = ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"];
const DEFAULT_LEEWAY = 60;

export class AuthzError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "AuthzError";
    this.code = code;
  }
}
const fail = (code, message) => { throw new AuthzError(code, message); };

// --- base64url ------------------------------------------------------------
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });
function b64u(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function unb64u(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
function randomB64u(n) {
  return b64u(crypto.getRandomValues(new Uint8Array(n)));
}
// The fake "signature": an FNV-style checksum of the signing input keyed by the public x.
function fakeSign(input, x) {
  const data = enc.encode(x + "." + input);
  const out = new Uint8Array(64);
  let h = 0x811c9dc5;
  for (let round = 0; round < 16; round++) {
    for (const b of data) h = Math.imul(h ^ b ^ round, 0x01000193) >>> 0;
    out.set([h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255], round * 4);
  }
  return b64u(out);
}

// --- keys -----------------------------------------------------------------
export function generateKeyPair() {
  const kid = randomB64u(8);
  const x = randomB64u(32);
  const publicJwk = { kty: "OKP", crv: "Ed25519", x, kid, alg: "EdDSA", use: "sig" };
  return { kid, publicJwk, privateJwk: { ...publicJwk, d: randomB64u(32) } };
}

function parseKeys(keys) {
  let value = keys;
  if (typeof value === "string") {
    const text = value.trim();
    if (!text) fail("ERR_KEY_INVALID", "no key given");
    try { value = JSON.parse(text); } catch {
      fail("ERR_KEY_INVALID", "keys are not JSON (the stand-in accepts only JWK / JWKS)");
    }
  }
  const list = Array.isArray(value) ? value : value && Array.isArray(value.keys) ? value.keys : [value];
  if (!list.length) fail("ERR_KEY_INVALID", "the key set is empty");
  for (const k of list) {
    if (!k || k.kty !== "OKP" || k.crv !== "Ed25519" || typeof k.x !== "string") {
      fail("ERR_KEY_INVALID", "expected OKP Ed25519 JWKs with an `x` member");
    }
  }
  return list;
}

// --- permissions ------------------------------------------------------------
function parseRuleText(text) {
  const m = /^([^:]+):(.+)$/.exec(text.trim());
  if (!m) fail("ERR_OPTIONS_INVALID", `permission "${text}" is not "tables:actions"`);
  const tables = m[1].split(",").map((t) => t.trim()).filter(Boolean);
  const actions = m[2].split(",").map((a) => a.trim()).filter(Boolean);
  for (const a of actions) {
    if (!ACTIONS.includes(a)) fail("ERR_OPTIONS_INVALID", `unknown action "${a}"`);
  }
  const all = tables.some((t) => t.toLowerCase() === "all");
  return { t: all ? ["all"] : tables, a: actions };
}

function parseExpiration(value) {
  if (value === undefined || value === "never") return null;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  const m = /^(\d+)([smhdw])$/.exec(String(value));
  if (!m) fail("ERR_OPTIONS_INVALID", `expiration "${value}" is not "never" or a number with unit s, m, h, d, w`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]];
}

export function createToken(privateJwk, options = {}) {
  const key = typeof privateJwk === "string" ? JSON.parse(privateJwk) : privateJwk;
  if (!key || typeof key.d !== "string" || typeof key.x !== "string") {
    fail("ERR_KEY_INVALID", "a private OKP Ed25519 JWK is needed to sign");
  }
  if (options.database && options.group) {
    fail("ERR_OPTIONS_INVALID", "a token is scoped to a database or a group, not both");
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const ttl = parseExpiration(options.expiration);
  const payload = { iat: now };
  if (ttl !== null) payload.exp = now + ttl;
  if (options.database) payload.id = options.database;
  if (options.group) payload.gid = options.group;
  payload.a = options.readOnly ? "ro" : "rw";
  if (options.permissions?.length) payload.perm = options.permissions.map(parseRuleText);
  const header = { alg: "EdDSA", typ: "JWT", kid: key.kid };
  const input = b64u(enc.encode(JSON.stringify(header))) + "." + b64u(enc.encode(JSON.stringify(payload)));
  return input + "." + fakeSign(input, key.x);
}

// --- grant ------------------------------------------------------------------
const norm = (t) => t.replace(/^["`[]|["`\]]$/g, "").replace(/^main\./i, "").toLowerCase();

export class Grant {
  #rules;
  constructor(claims, readOnly) {
    this.claims = claims;
    this.database = typeof claims.id === "string" ? claims.id : null;
    this.group = typeof claims.gid === "string" ? claims.gid : null;
    this.readOnly = readOnly;
    this.expiresAt = typeof claims.exp === "number" ? claims.exp : null;
    this.#rules = Array.isArray(claims.perm)
      ? claims.perm.map((r) => (typeof r === "string" ? parseRuleText(r) : r))
      : null;
    this.permissions = this.#rules?.map((r) => ({
      tables: !r.t?.length || r.t.some((t) => t.toLowerCase() === "all") ? "all" : [...r.t],
      actions: [...r.a],
    })) ?? null;
    Object.freeze(this);
  }
  allows(table, action) {
    if (!ACTIONS.includes(action)) fail("ERR_OPTIONS_INVALID", `unknown action "${action}"`);
    const name = norm(String(table));
    if (action === "data_read" && SYSTEM_TABLES.includes(name)) return true;
    if (this.readOnly && action !== "data_read") return false;
    if (!this.permissions) return this.readOnly ? action === "data_read" : true;
    return this.permissions.some((r) =>
      r.actions.includes(action) &&
      (r.tables === "all" || (!name.includes(".") && r.tables.some((t) => norm(t) === name))));
  }
}

export function verifyToken(token, keys, options = {}) {
  const list = parseKeys(keys);
  if (typeof token !== "string" || token.length > 16384) fail("ERR_INPUT_TOO_LARGE", "token too large");
  const parts = token.trim().split(".");
  if (parts.length !== 3) fail("ERR_TOKEN_MALFORMED", `a JWS has 3 dot-separated parts, this has ${parts.length}`);
  let header, claims;
  try {
    header = JSON.parse(dec.decode(unb64u(parts[0])));
    claims = JSON.parse(dec.decode(unb64u(parts[1])));
  } catch {
    fail("ERR_TOKEN_MALFORMED", "header or payload is not base64url-encoded JSON");
  }
  if (!header || typeof header !== "object" || !claims || typeof claims !== "object" || Array.isArray(claims)) {
    fail("ERR_TOKEN_MALFORMED", "header and payload must be JSON objects");
  }
  if (header.alg !== "EdDSA" && header.alg !== "Ed25519") {
    fail("ERR_TOKEN_ALGORITHM", `algorithm ${JSON.stringify(header.alg)} is not accepted`);
  }
  const candidates = header.kid === undefined ? list : list.filter((k) => k.kid === header.kid);
  if (!candidates.length) fail("ERR_TOKEN_KEY_NOT_FOUND", `no key with kid ${JSON.stringify(header.kid)}`);
  const input = parts[0] + "." + parts[1];
  if (!candidates.some((k) => fakeSign(input, k.x) === parts[2])) {
    fail("ERR_TOKEN_SIGNATURE", "the signature does not match any key");
  }
  for (const c of ["exp", "nbf", "iat"]) {
    if (c in claims && !Number.isInteger(claims[c])) fail("ERR_TOKEN_CLAIMS", `"${c}" must be an integer`);
  }
  if ("a" in claims && claims.a !== "ro" && claims.a !== "rw") fail("ERR_TOKEN_CLAIMS", `"a" must be "ro" or "rw"`);
  if ("id" in claims && "gid" in claims) fail("ERR_TOKEN_CLAIMS", `"id" and "gid" together`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const leeway = options.leeway ?? DEFAULT_LEEWAY;
  if (typeof claims.exp === "number" && now > claims.exp + leeway) {
    fail("ERR_TOKEN_EXPIRED", `the token expired at ${new Date(claims.exp * 1000).toISOString()}`);
  }
  if (typeof claims.nbf === "number" && now + leeway < claims.nbf) {
    fail("ERR_TOKEN_NOT_YET_VALID", `the token is not valid before ${new Date(claims.nbf * 1000).toISOString()}`);
  }
  if (options.database && typeof claims.id === "string" && claims.id !== options.database) {
    fail("ERR_TOKEN_SCOPE", `the token is for database "${claims.id}", not "${options.database}"`);
  }
  if (typeof claims.gid === "string" && options.group !== undefined && claims.gid !== options.group) {
    fail("ERR_TOKEN_SCOPE", `the token is for group "${claims.gid}", not "${options.group}"`);
  }
  if (Array.isArray(claims.perm)) {
    for (const r of claims.perm) {
      if (typeof r === "string") continue;
      if (!r || !Array.isArray(r.a) || r.a.some((a) => !ACTIONS.includes(a))) {
        fail("ERR_TOKEN_CLAIMS", "a perm rule lists an unknown action");
      }
    }
  }
  return new Grant(claims, claims.a === "ro");
}

export class Verifier {
  #keys; #options;
  constructor(keys, options = {}) { this.#keys = parseKeys(keys); this.#options = options; }
  verify(token, options = {}) { return verifyToken(token, this.#keys, { ...this.#options, ...options }); }
  updateKeys(keys) { this.#keys = parseKeys(keys); }
}

// --- SQL: a few regular expressions, nothing like the real parser ------------
const IDENT = String.raw`((?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)(?:\.(?:"[^"]+"|[A-Za-z_][\w$]*))?)`;
const rx = (s, f = "i") => new RegExp(s.replaceAll("IDENT", IDENT), f);

function splitStatements(sql) {
  const out = [];
  let cur = "", quote = null;
  for (const ch of sql) {
    if (quote) { cur += ch; if (ch === quote) quote = null; continue; }
    if (ch === "'" || ch === '"' || ch === "`") { quote = ch; cur += ch; continue; }
    if (ch === ";") { if (cur.trim()) out.push(cur.trim()); cur = ""; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function readsIn(sql) {
  const tables = [];
  for (const m of sql.matchAll(rx(String.raw`\b(?:FROM|JOIN)\s+IDENT`, "gi"))) tables.push(m[1]);
  return tables;
}

function accessesOf(stmt) {
  let m;
  const body = stmt.replace(/^EXPLAIN\s+(QUERY\s+PLAN\s+)?/i, "");
  if (/^(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(body)) return ["transaction", []];
  if (/^(SELECT|WITH|VALUES)\b/i.test(body)) {
    return ["select", readsIn(body).map((t) => [t, "data_read"])];
  }
  if ((m = rx(String.raw`^(?:INSERT|REPLACE)(?:\s+OR\s+(\w+))?\s+INTO\s+IDENT`).exec(body))) {
    const acc = [[m[2], "data_add"], ...readsIn(body).map((t) => [t, "data_read"])];
    if (/^REPLACE/i.test(body) || /^replace$/i.test(m[1] ?? "")) acc.push([m[2], "data_delete"]);
    if (/ON\s+CONFLICT[^;]*DO\s+UPDATE/i.test(body)) acc.push([m[2], "data_read"], [m[2], "data_update"]);
    return ["insert", acc];
  }
  if ((m = rx(String.raw`^UPDATE(?:\s+OR\s+\w+)?\s+IDENT`).exec(body))) {
    const acc = [[m[1], "data_update"], ...readsIn(body).map((t) => [t, "data_read"])];
    if (/\bWHERE\b|\bRETURNING\b/i.test(body)) acc.push([m[1], "data_read"]);
    return ["update", acc];
  }
  if ((m = rx(String.raw`^DELETE\s+FROM\s+IDENT`).exec(body))) {
    const acc = [[m[1], "data_delete"]];
    if (/\bWHERE\b|\bRETURNING\b/i.test(body)) acc.push([m[1], "data_read"]);
    return ["delete", acc];
  }
  if ((m = rx(String.raw`^CREATE\s+(?:TEMP\w*\s+)?(?:TABLE|VIEW|VIRTUAL\s+TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?IDENT`).exec(body))) {
    return ["create", [[m[1], "schema_add"], ...readsIn(body).map((t) => [t, "data_read"])]];
  }
  if ((m = rx(String.raw`^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?IDENT\s+ON\s+IDENT`).exec(body))) {
    return ["create_index", [[m[2], "schema_update"]]];
  }
  if ((m = rx(String.raw`^DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?IDENT`).exec(body))) {
    return ["drop", [[m[1], "schema_delete"]]];
  }
  if ((m = rx(String.raw`^ALTER\s+TABLE\s+IDENT`).exec(body))) return ["alter", [[m[1], "schema_update"]]];
  if (/^(ATTACH|DETACH|VACUUM|PRAGMA\s+\w+\s*=)/i.test(body)) return ["admin", [["", "admin"]]];
  return null;
}

export function analyzeStatement(sql) {
  return {
    statements: splitStatements(sql).map((s) => {
      const r = accessesOf(s);
      return { sql: s, kind: r ? r[0] : "unknown", accesses: r ? r[1].map(([table, action]) => ({ table, action })) : [] };
    }),
  };
}

export function checkStatement(grant, sql) {
  if (!(grant instanceof Grant)) fail("ERR_OPTIONS_INVALID", "checkStatement needs a Grant from verifyToken");
  if (sql.length > 100_000) fail("ERR_SQL_TOO_LARGE", "SQL over 100000 bytes");
  const statements = [];
  const denied = [];
  let error;
  for (const s of splitStatements(sql)) {
    const r = accessesOf(s);
    if (!r) {
      const access = { table: "", action: "admin", allowed: false, reason: "ERR_SQL_UNSUPPORTED: the stand-in does not know this statement" };
      error ??= { code: "ERR_SQL_UNSUPPORTED", message: `cannot analyse: ${s.slice(0, 40)}` };
      statements.push({ sql: s, kind: "unknown", accesses: [access], allowed: false });
      denied.push(access);
      continue;
    }
    const seen = new Set();
    const accesses = [];
    for (const [table, action] of r[1]) {
      const key = norm(table) + "\0" + action;
      if (seen.has(key)) continue;
      seen.add(key);
      const allowed = action === "admin" ? !grant.permissions && !grant.readOnly : grant.allows(table, action);
      const access = { table: table.replace(/^["`[]|["`\]]$/g, ""), action, allowed };
      if (!allowed) {
        access.reason = action === "admin"
          ? "only a full-access token may do this"
          : grant.readOnly && action !== "data_read"
            ? `read-only token: ${action} is not allowed`
            : `no permission rule allows ${action} on ${access.table}`;
        denied.push(access);
      }
      accesses.push(access);
    }
    statements.push({ sql: s, kind: r[0], accesses, allowed: accesses.every((a) => a.allowed) });
  }
  const out = { allowed: statements.every((s) => s.allowed), statements, denied };
  if (error) out.error = error;
  return out;
}

export function createRemoteJwks() {
  fail("ERR_OPTIONS_INVALID", "createRemoteJwks is not part of the stand-in");
}
