// TEMPORARY STAND-IN for the `libsql-authz` package API (generateKeyPair, createToken,
// verifyToken, Verifier, AuthzError), written with node:crypto Ed25519 so the CLI,
// keystore and remote-JWKS tests can run before the wasm package (`pkg/`) is built.
//
// It is NOT the package and decides nothing in production. The tests use it only when
// pkg/ is not built or LIBSQL_AUTHZ_MODULE=standin (see tests/js/support/authz.mjs and
// docs/cli.md); delete it once nobody runs the JS tests without a build.
//
// Semantics follow docs/DESIGN.md, ../shared/spec/authorization-model.md and the
// package's index.d.ts closely enough for those tests: `now` in seconds since the epoch,
// unknown option names are ERR_OPTIONS_INVALID, JWKs carry kid, alg "EdDSA", use "sig".
import crypto from "node:crypto";

export const IS_STANDIN = true;

export class AuthzError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "AuthzError";
    this.code = code;
  }
}

const ACTIONS = new Set(["data_read", "data_add", "data_update", "data_delete",
  "schema_add", "schema_update", "schema_delete"]);

const b64u = (buf) => Buffer.from(buf).toString("base64url");

export function generateKeyPair() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
  const kid = b64u(crypto.randomBytes(16));
  return {
    kid,
    privateJwk: { ...privateKey.export({ format: "jwk" }), kid, alg: "EdDSA", use: "sig" },
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "EdDSA", use: "sig" },
  };
}

function parseExpiration(expiration) {
  if (expiration === undefined || expiration === "never") return null;
  if (typeof expiration === "number" && Number.isSafeInteger(expiration) && expiration > 0) return expiration;
  const m = typeof expiration === "string" && /^([0-9]{1,9})([smhdw])$/.exec(expiration);
  if (!m || Number(m[1]) === 0) {
    throw new AuthzError("ERR_OPTIONS_INVALID",
      `invalid expiration ${JSON.stringify(expiration)}: use "never" or a number with unit s, m, h, d, w (e.g. 7d)`);
  }
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]];
}

function parsePermission(item) {
  const m = typeof item === "string" && /^([^:]+):(.+)$/.exec(item);
  if (!m) throw new AuthzError("ERR_OPTIONS_INVALID", `invalid permission ${JSON.stringify(item)}: use table:action[,action]`);
  const tables = m[1].split(",").map((t) => t.trim());
  const actions = m[2].split(",").map((a) => a.trim());
  for (const a of actions) {
    if (!ACTIONS.has(a)) throw new AuthzError("ERR_OPTIONS_INVALID", `unknown action ${JSON.stringify(a)} in permission ${JSON.stringify(item)}`);
  }
  if (tables.some((t) => t === "")) throw new AuthzError("ERR_OPTIONS_INVALID", `empty table name in ${JSON.stringify(item)}`);
  const all = tables.some((t) => t.toLowerCase() === "all");
  return { t: all ? [] : tables, a: actions };
}

function checkOptions(options, known, what) {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) throw new AuthzError("ERR_OPTIONS_INVALID", `${what} must be an object`);
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) throw new AuthzError("ERR_OPTIONS_INVALID", `unknown option \`${name}\` in ${what}`);
  }
  return options;
}

const VERIFY_OPTIONS = ["database", "group", "now", "leeway", "algorithms", "issuer", "audience"];

export function createToken(privateJwk, options = {}) {
  options = checkOptions(options, ["database", "group", "readOnly", "permissions", "expiration", "now"], "createToken options");
  const jwk = typeof privateJwk === "string" ? JSON.parse(privateJwk) : privateJwk;
  if (!jwk || jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.d !== "string") {
    throw new AuthzError("ERR_KEY_INVALID", "createToken needs a private Ed25519 JWK");
  }
  if (options.database !== undefined && options.group !== undefined) {
    throw new AuthzError("ERR_OPTIONS_INVALID", "a token is scoped to a database or a group, not both");
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const lifetime = parseExpiration(options.expiration);
  const payload = { iat: now };
  if (lifetime !== null) payload.exp = now + lifetime;
  if (options.database !== undefined) payload.id = options.database;
  if (options.group !== undefined) payload.gid = options.group;
  payload.a = options.readOnly ? "ro" : "rw";
  if (options.permissions !== undefined && options.permissions.length > 0) {
    payload.perm = options.permissions.map(parsePermission);
  }
  const header = { alg: "EdDSA", typ: "JWT" };
  if (jwk.kid) header.kid = jwk.kid;
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  const key = crypto.createPrivateKey({ key: jwk, format: "jwk" });
  return `${input}.${b64u(crypto.sign(null, Buffer.from(input), key))}`;
}

function normalizeKeys(keys) {
  let k;
  try {
    k = typeof keys === "string" ? JSON.parse(keys) : keys;
  } catch {
    throw new AuthzError("ERR_KEY_INVALID", "key text is not JSON");
  }
  const list = Array.isArray(k) ? k : k && Array.isArray(k.keys) ? k.keys : k && typeof k === "object" ? [k] : null;
  if (list === null) throw new AuthzError("ERR_KEY_INVALID", "unsupported key input");
  // As the package: a verification key set holds public keys only.
  if (list.some((j) => j && typeof j === "object" && "d" in j)) {
    throw new AuthzError("ERR_KEY_INVALID", "JWK has the private member `d`: a verification key set holds public keys only");
  }
  const kids = list.map((j) => j && j.kid).filter((kid) => kid !== undefined);
  const dup = kids.find((kid, i) => kids.indexOf(kid) !== i);
  if (dup !== undefined) throw new AuthzError("ERR_KEY_INVALID", `duplicate \`kid\` \`${dup}\` in the key set`);
  return list;
}

class Grant {
  constructor(claims) {
    this.claims = claims;
    this.database = claims.id ?? null;
    this.group = claims.gid ?? null;
    this.readOnly = claims.a === "ro";
    this.permissions = claims.perm
      ? claims.perm.map((r) => ({ tables: r.t && r.t.length ? r.t : "all", actions: r.a })) : null;
    this.expiresAt = claims.exp ?? null;
  }
  allows(table, action) {
    if (this.readOnly) return action === "data_read";
    if (!this.permissions) return true;
    return this.permissions.some((r) => r.actions.includes(action)
      && (r.tables === "all" || r.tables.some((t) => t.toLowerCase() === table.toLowerCase())));
  }
}

export function verifyToken(token, keys, options = {}) {
  options = checkOptions(options, VERIFY_OPTIONS, "verify options");
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) throw new AuthzError("ERR_TOKEN_MALFORMED", "not a compact JWS");
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    throw new AuthzError("ERR_TOKEN_MALFORMED", "header or payload is not JSON");
  }
  if (header.alg !== "EdDSA" && header.alg !== "Ed25519") {
    throw new AuthzError("ERR_TOKEN_ALGORITHM", `algorithm ${header.alg} not accepted`);
  }
  const candidates = normalizeKeys(keys).filter((k) => k && k.kty === "OKP" && k.crv === "Ed25519"
    && (header.kid === undefined || k.kid === header.kid));
  if (candidates.length === 0) throw new AuthzError("ERR_TOKEN_KEY_NOT_FOUND", "no key matches the token's kid");
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const sig = Buffer.from(parts[2], "base64url");
  const ok = candidates.some((k) => crypto.verify(null, data, crypto.createPublicKey({ key: k, format: "jwk" }), sig));
  if (!ok) throw new AuthzError("ERR_TOKEN_SIGNATURE", "signature does not verify");
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const leeway = options.leeway ?? 60;
  if (claims.exp !== undefined && now - leeway >= claims.exp) throw new AuthzError("ERR_TOKEN_EXPIRED", "token expired");
  if (claims.nbf !== undefined && now + leeway < claims.nbf) throw new AuthzError("ERR_TOKEN_NOT_YET_VALID", "token not yet valid");
  if (claims.id !== undefined && claims.gid !== undefined) throw new AuthzError("ERR_TOKEN_CLAIMS", "id and gid together");
  if (claims.a !== undefined && claims.a !== "ro" && claims.a !== "rw") throw new AuthzError("ERR_TOKEN_CLAIMS", "bad a");
  if (claims.id !== undefined && options.database !== undefined && claims.id !== options.database) {
    throw new AuthzError("ERR_TOKEN_SCOPE", `token is for database ${claims.id}`);
  }
  if (claims.gid !== undefined && (options.database !== undefined || options.group !== undefined)
      && claims.gid !== options.group) {
    throw new AuthzError("ERR_TOKEN_SCOPE", `token is for group ${claims.gid}`);
  }
  return new Grant(claims);
}

export class Verifier {
  #keys;
  #options;
  constructor(keys, options = {}) {
    this.#keys = normalizeKeys(keys);
    this.#options = checkOptions(options, VERIFY_OPTIONS.filter((o) => o !== "now"), "Verifier options");
  }
  verify(token, options = {}) {
    checkOptions(options, ["now"], "verify options");
    return verifyToken(token, this.#keys, { ...this.#options, ...options });
  }
  updateKeys(keys) {
    this.#keys = normalizeKeys(keys);
  }
}
