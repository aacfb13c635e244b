// Turso's Platform API request shapes turned into the package's options: what
// `createToken` and `claimsTemplate` take. Nothing is minted or decided here.

export class BadRequest extends Error {}

const AUTHORIZATION = { 'full-access': false, 'read-only': true };

/**
 * The options of a token request: query `expiration` (`never`, `7d`, `2w1d30m`, ...;
 * default `never`) and `authorization` (`full-access`, the default, or `read-only`); body
 * `fine_grained_permissions` and `permissions.read_attach.databases`.
 */
export function tokenOptions(query, body) {
  const options = {
    expiration: query.get('expiration') || 'never',
    readOnly: readOnly(query.get('authorization') ?? 'full-access', 'authorization'),
  };
  // Names here; the Keystore writes them as the databases' ids, as Turso Cloud does.
  const attach = body.permissions?.read_attach?.databases;
  if (attach !== undefined && attach !== null) {
    if (!Array.isArray(attach) || !attach.every((name) => typeof name === 'string'))
      throw new BadRequest('permissions.read_attach.databases must be a list of database names');
    if (attach.length > 0) options.readAttach = attach;
  }
  const rules = permissionRules(body.fine_grained_permissions, 'fine_grained_permissions');
  if (rules !== undefined) options.permissions = rules;
  return options;
}

/** The options of a JWKS template request: `{ database?, group?, scope?, permissions? }`. */
export function templateOptions(body) {
  const options = { readOnly: readOnly(body.scope ?? 'full-access', 'scope') };
  const rules = permissionRules(body.permissions, 'permissions');
  if (rules !== undefined) options.permissions = rules;
  return options;
}

function readOnly(value, name) {
  if (!Object.hasOwn(AUTHORIZATION, value))
    throw new BadRequest(
      `${name} must be "full-access" or "read-only", not ${JSON.stringify(value)}`,
    );
  return AUTHORIZATION[value];
}

/**
 * `[{ t: ["table", ...] | null, a: ["data_read", ...] }]` as the package's rules
 * (`"comments:data_read,data_add"`, `"all:data_read"`): `t` null or absent is every table,
 * as the turso CLI sends `all`. The actions are checked by `createToken`.
 */
function permissionRules(list, name) {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw new BadRequest(`${name} must be a list`);
  const rules = [];
  for (const [i, rule] of list.entries()) {
    const where = `${name}[${i}]`;
    if (!rule || typeof rule !== 'object' || Array.isArray(rule))
      throw new BadRequest(`${where} must be an object { t, a }`);
    const { t, a } = rule;
    if (!Array.isArray(a) || a.length === 0 || !a.every((x) => typeof x === 'string'))
      throw new BadRequest(`${where}.a must be a non-empty list of actions`);
    const actions = a.join(',');
    if (t === undefined || t === null) {
      rules.push(`all:${actions}`);
      continue;
    }
    if (!Array.isArray(t) || t.length === 0)
      throw new BadRequest(
        `${where}.t must be a non-empty list of tables, or null for every table`,
      );
    for (const table of t) {
      // The rule's text form cannot carry these; refused rather than misread.
      if (typeof table !== 'string' || table === '' || /[:,]/.test(table) || table === 'all')
        throw new BadRequest(`${where}.t: table name ${JSON.stringify(table)} is not supported`);
      rules.push(`${table}:${actions}`);
    }
  }
  return rules;
}
