// The playground page. Every decision shown comes from `libsql-authz`
// (verifyToken, Grant.allows, checkStatement); this file only gathers input and
// renders. The "decoded token" panel is plain base64url decoding for display.
import {
  AuthzError,
  checkStatement,
  createToken,
  generateKeyPair,
  verifyToken,
} from 'libsql-authz';

const ACTIONS = [
  'data_read',
  'data_add',
  'data_update',
  'data_delete',
  'schema_add',
  'schema_update',
  'schema_delete',
];
// A name no rule mentions: its row shows what "every other table" gets.
const OTHER_TABLE = 'any_other_table';
// verifyToken's default leeway (seconds) on exp / nbf.
const DEFAULT_LEEWAY = 60;
const EXAMPLES = [
  ['read', 'SELECT * FROM comments'],
  ['join', 'SELECT p.title, u.name FROM posts p JOIN users u ON u.id = p.author_id'],
  ['insert', "INSERT INTO comments (post_id, body) VALUES (1, 'Nice post!')"],
  ['update', "UPDATE posts SET title = 'Hello' WHERE id = 1"],
  ['delete', 'DELETE FROM comments WHERE id = 1'],
  ['create', 'CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT)'],
  ['drop', 'DROP TABLE users'],
  ['batch', 'SELECT * FROM comments; DELETE FROM comments'],
];

const $ = (id) => document.getElementById(id);

/** Tiny DOM builder: h("div.cls", {attr}, ...children). */
function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...nodes(children));
  return el;
}
/** Nested arrays flattened; null, undefined and false dropped. */
const nodes = (children) =>
  children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);
/** Replace an element's content. */
const fill = (el, ...children) => el.replaceChildren(...nodes(children));

const state = {
  keyPair: null,
  grant: null,
  error: null, // { code, message } of the last verification
};

// ---------------------------------------------------------------- decoding (display only)
function decodePart(part) {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '==='.slice((b64.length + 3) % 4));
  const text = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  return JSON.parse(text);
}

function decodeForDisplay(token) {
  const parts = token.split('.');
  const out = { parts, header: null, payload: null, problems: [] };
  if (parts.length !== 3)
    out.problems.push(`a JWT has 3 dot-separated parts; this has ${parts.length}`);
  try {
    out.header = decodePart(parts[0]);
  } catch {
    out.problems.push('the header is not base64url JSON');
  }
  if (parts.length > 1) {
    try {
      out.payload = decodePart(parts[1]);
    } catch {
      out.problems.push('the payload is not base64url JSON');
    }
  }
  return out;
}

// ---------------------------------------------------------------- time
function formatDuration(seconds) {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86400),
    hr = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60),
    sec = s % 60;
  if (d) return `${d}d ${hr}h ${m}m ${sec}s`;
  if (hr) return `${hr}h ${m}m ${sec}s`;
  if (m) return `${m}m ${sec}s`;
  return `${sec}s`;
}
const formatDate = (epoch) =>
  new Date(epoch * 1000).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
const nowSeconds = () => Math.floor(Date.now() / 1000);

function countdownText(expiresAt) {
  if (expiresAt === null) return 'never expires';
  const left = expiresAt - nowSeconds();
  return left >= 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(left)} ago`;
}

// ---------------------------------------------------------------- errors
function asError(e) {
  if (e instanceof AuthzError || (e && typeof e.code === 'string'))
    return { code: e.code, message: e.message };
  return { code: 'UNEXPECTED', message: String(e?.message ?? e) };
}
const errorBox = (err, testid) =>
  h(
    'div.error',
    { 'data-testid': testid },
    h('code.code-badge', { 'data-testid': `${testid}-code` }, err.code),
    h('span', {}, err.message),
  );

// ---------------------------------------------------------------- verification
function verify() {
  const token = $('token').value.trim();
  const keys = $('keys').value.trim();
  // A real Grant holds wasm memory: release the previous one explicitly.
  state.grant?.free?.();
  state.grant = null;
  state.error = null;
  if (token && keys) {
    const options = {};
    const database = $('req-database').value.trim();
    const group = $('req-group').value.trim();
    if (database) options.database = database;
    if (group) options.group = group;
    try {
      state.grant = verifyToken(token, keys, options);
    } catch (e) {
      state.error = asError(e);
    }
  }
  renderVerdict(token, keys);
  renderDecoded(token);
  renderChecks();
}

function renderVerdict(token, keys) {
  const box = $('verdict');
  if (!token || !keys) {
    box.dataset.state = 'empty';
    fill(
      box,
      h('h2', {}, !token ? 'No token yet' : 'Add the public keys'),
      h(
        'p.muted',
        {},
        !token
          ? 'Paste a token and its public keys on the left, or mint a demo token to explore.'
          : 'A token is verified against the public keys of the database or group it was minted for: paste them (JWKS) on the left.',
      ),
      !token && h('button.primary', { type: 'button', onclick: mintDemo }, 'Mint a demo token'),
    );
    return;
  }
  if (state.error) {
    box.dataset.state = 'error';
    // A scope error is about the request: show where the request's database/group is set.
    if (state.error.code === 'ERR_TOKEN_SCOPE') document.querySelector('details.scope').open = true;
    fill(
      box,
      h('div.verdict-title', {}, h('span.dot', {}), h('h2', {}, 'Not valid')),
      errorBox(state.error, 'verify-error'),
      h('p.muted.small', {}, 'Nothing is allowed with a token that does not verify.'),
    );
    return;
  }
  const g = state.grant;
  box.dataset.state = 'ok';
  const scope =
    g.database !== null
      ? ['Database', g.database]
      : g.group !== null
        ? ['Group', g.group]
        : g.claims.p
          ? [
              'Namespaces',
              Object.entries(g.claims.p)
                .map(([level, v]) => `${level}: ${(v?.ns ?? []).join(', ') || '—'}`)
                .join(' · '),
            ]
          : ['Scope', 'organisation-wide (every database)'];
  const countdown = h(
    'span',
    { id: 'countdown', 'data-testid': 'countdown' },
    countdownText(g.expiresAt),
  );
  fill(
    box,
    h(
      'div.verdict-title',
      {},
      h('span.dot', {}),
      h('h2', {}, 'Valid token'),
      h('span.muted.small', {}, 'signature, time and scope checked'),
    ),
    h(
      'dl.facts',
      { 'data-testid': 'grant' },
      fact(scope[0], h('strong', { 'data-testid': 'grant-scope' }, scope[1])),
      fact(
        'Access',
        h(
          'strong',
          { 'data-testid': 'grant-access' },
          g.readOnly ? 'read-only' : g.permissions ? 'fine-grained' : 'full access',
        ),
      ),
      fact(
        'Rules',
        g.permissions
          ? h(
              'ul.rules',
              { 'data-testid': 'grant-rules' },
              g.permissions.map((r) => h('li', {}, h('code', {}, ruleText(r)))),
            )
          : h('span.muted', {}, 'none (no table restriction beyond access level)'),
      ),
      fact(
        'Expires',
        h(
          'span',
          {},
          g.expiresAt === null ? '' : h('span', {}, formatDate(g.expiresAt), ' · '),
          countdown,
        ),
      ),
    ),
  );
}
const fact = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
/** A rule in the CLI's form, `comments:data_add,data_update`. */
const ruleText = (r) => `${r.tables === 'all' ? 'all' : r.tables.join(',')}:${r.actions.join(',')}`;

// ---------------------------------------------------------------- decoded claims
const CLAIM_NOTES = {
  alg: 'signature algorithm',
  typ: 'type',
  kid: 'key id',
  exp: 'expires',
  nbf: 'not before',
  iat: 'issued at',
  id: 'database',
  gid: 'group',
  a: 'access: ro / rw',
  p: 'sqld namespace scopes',
  perm: 'fine-grained rules',
  iss: 'issuer',
  aud: 'audience',
  sub: 'subject',
};

/** One-line JSON with a space after `,` and `:`, so a narrow column wraps between members. */
const spaced = (x) =>
  JSON.stringify(x, null, 1)
    .replace(/,\n\s*/g, ', ')
    .replace(/\n\s*/g, '');

/** JSON with one array item or object member per line, each compact. */
function claimJson(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const items = Array.isArray(v)
    ? v.map((x) => spaced(x))
    : Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${spaced(x)}`);
  if (items.length < 2) return JSON.stringify(v);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  return `${open}\n  ${items.join(',\n  ')}\n${close}`;
}

function claimsTable(obj, testid) {
  if (!obj || typeof obj !== 'object') return h('p.muted', {}, '—');
  return h(
    'table.claims',
    { 'data-testid': testid },
    h(
      'tbody',
      {},
      Object.entries(obj).map(([k, v]) => {
        const time =
          ['exp', 'nbf', 'iat'].includes(k) && Number.isInteger(v) ? formatDate(v) : null;
        return h(
          'tr',
          { dataset: { claim: k } },
          h('th', {}, h('code', {}, k), CLAIM_NOTES[k] && h('div.muted.small', {}, CLAIM_NOTES[k])),
          h('td', {}, h('code.json', {}, claimJson(v)), time && h('div.muted.small', {}, time)),
        );
      }),
    ),
  );
}

function renderDecoded(token) {
  const box = $('decoded');
  if (!token) {
    fill(box, h('p.muted', {}, "The token's header and claims will appear here."));
    return;
  }
  const d = decodeForDisplay(token);
  fill(
    box,
    d.problems.length
      ? h(
          'ul.problems',
          {},
          d.problems.map((p) => h('li', {}, p)),
        )
      : null,
    h(
      'div.decoded-grid',
      {},
      h('div', {}, h('h3', {}, 'Header'), claimsTable(d.header, 'decoded-header')),
      h('div', {}, h('h3', {}, 'Claims'), claimsTable(d.payload, 'decoded-claims')),
    ),
    h(
      'p.jwt',
      {},
      d.parts.map((p, i) => [
        i ? h('span.jwt-dot', {}, '.') : null,
        h(`span.jwt-${['h', 'p', 's'][i] ?? 'x'}`, {}, p.length > 120 ? `${p.slice(0, 117)}…` : p),
      ]),
    ),
  );
}

// ---------------------------------------------------------------- SQL and matrix
function runCheck() {
  const sql = $('sql').value;
  if (!state.grant || !sql.trim()) return { decision: null, error: null };
  try {
    return { decision: checkStatement(state.grant, sql), error: null };
  } catch (e) {
    return { decision: null, error: asError(e) };
  }
}

function renderChecks() {
  const { decision, error } = runCheck();
  renderMatrix(decision);
  renderSql(decision, error);
}

// For grouping rows and finding a rule to show; the decisions themselves come from grant.allows.
const bareName = (t) =>
  t
    .replace(/^main\./i, '')
    .replace(/^["`[]|["`\]]$/g, '')
    .toLowerCase();
const sameTable = (a, b) => bareName(a) === bareName(b);

function matrixTables(grant, decision) {
  const rows = [];
  const add = (table, source) => {
    if (!table || rows.some((r) => sameTable(r.table, table))) return;
    try {
      grant.allows(table, 'data_read');
    } catch {
      return;
    } // not a table name (e.g. "*")
    rows.push({ table, source });
  };
  for (const rule of grant.permissions ?? []) {
    if (rule.tables !== 'all') for (const t of rule.tables) add(t, 'token');
  }
  for (const st of decision?.statements ?? []) {
    for (const a of st.accesses) if (ACTIONS.includes(a.action)) add(a.table, 'sql');
  }
  rows.push({ table: OTHER_TABLE, source: 'other' });
  return rows;
}

function renderMatrix(decision) {
  const box = $('matrix');
  const g = state.grant;
  if (!g) {
    fill(
      box,
      h('p.muted.empty', {}, 'Verify a token to see which actions it allows on which tables.'),
    );
    return;
  }
  const rows = matrixTables(g, decision);
  fill(
    box,
    h(
      'div.table-scroll',
      {},
      h(
        'table.matrix',
        { 'data-testid': 'matrix' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'table'),
            ACTIONS.map((a) => {
              const [kind, verb] = a.split('_');
              return h(
                'th',
                { scope: 'col', title: a },
                h('span.kind', {}, kind),
                h('span', {}, verb),
              );
            }),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map(({ table, source }) =>
            h(
              'tr',
              { dataset: { table } },
              h(
                'th',
                { scope: 'row' },
                source === 'other' ? h('em.muted', {}, 'any other table') : h('code', {}, table),
                source === 'sql' && h('span.tag', { title: 'named in your SQL' }, 'sql'),
              ),
              ACTIONS.map((action) => {
                let ok;
                try {
                  ok = g.allows(table, action);
                } catch {
                  ok = null;
                }
                const label = ok === null ? 'error' : ok ? 'allowed' : 'denied';
                return h(
                  `td.cell.${label}`,
                  {
                    dataset: { action, allowed: String(ok) },
                    title: `${action} on ${source === 'other' ? 'any other table' : table}: ${label}`,
                  },
                  ok === null ? '!' : ok ? '✓' : '·',
                );
              }),
            ),
          ),
        ),
      ),
    ),
    h(
      'p.muted.small.legend',
      {},
      h('span.cell.allowed.swatch', {}, '✓'),
      ' allowed  ',
      h('span.cell.denied.swatch', {}, '·'),
      ' denied. ',
      "Rows: tables named by the token's rules and by your SQL. ",
      g.readOnly ? 'Read-only wins over any rule: only data_read can be allowed. ' : '',
      'Reads of sqlite_schema are always allowed.',
    ),
  );
}

const SYSTEM_TABLES = [
  'sqlite_master',
  'sqlite_schema',
  'sqlite_temp_master',
  'sqlite_temp_schema',
];

/** A short note for an allowed access, read off the grant for display (the decision is checkStatement's). */
function whyAllowed(g, table, action) {
  if (action === 'data_read' && SYSTEM_TABLES.includes(bareName(table)))
    return 'system table, readable by any valid token';
  if (!g.permissions) return g.readOnly ? 'read-only token' : 'full access';
  const rule = g.permissions.find(
    (r) =>
      r.actions.includes(action) &&
      (r.tables === 'all' || r.tables.some((t) => sameTable(t, table))),
  );
  return rule ? `rule ${ruleText(rule)}` : null;
}

function summaryText({ allowed, statements: { length: n } }) {
  if (!allowed)
    return n > 1 ? 'a batch runs only if every statement is allowed' : 'this statement may not run';
  if (n === 0) return 'no statement to check';
  return n === 1 ? 'this statement may run' : `all ${n} statements may run`;
}

function renderSql(decision, error) {
  const box = $('sql-result');
  if (!state.grant) {
    fill(box, h('p.muted.empty', {}, 'Statements are checked against a verified token.'));
    return;
  }
  if (error) {
    fill(box, errorBox(error, 'sql-error'));
    return;
  }
  if (!decision) {
    fill(
      box,
      h(
        'p.muted.empty',
        {},
        'Type SQL, or pick an example above. Each statement is checked as you type.',
      ),
    );
    return;
  }
  fill(
    box,
    h(
      'div.sql-summary',
      { 'data-testid': 'sql-summary', dataset: { allowed: String(decision.allowed) } },
      h(
        `span.pill.${decision.allowed ? 'allowed' : 'denied'}`,
        {},
        decision.allowed ? 'Allowed' : 'Denied',
      ),
      h('span', {}, summaryText(decision)),
    ),
    decision.error ? errorBox(decision.error, 'sql-error') : null,
    h(
      'ol.statements',
      { 'data-testid': 'statements' },
      decision.statements.map((st, i) =>
        h(
          'li.statement',
          { dataset: { index: String(i), allowed: String(st.allowed) } },
          h(
            'div.statement-head',
            {},
            h(
              `span.pill.${st.allowed ? 'allowed' : 'denied'}`,
              {},
              st.allowed ? 'allowed' : 'denied',
            ),
            h('code.stmt-sql', {}, st.sql),
            h('span.kind-tag', {}, st.kind),
          ),
          st.accesses.length
            ? h(
                'ul.accesses',
                {},
                st.accesses.map((a) =>
                  h(
                    'li.access',
                    { dataset: { table: a.table, action: a.action, allowed: String(a.allowed) } },
                    h(`span.mark.${a.allowed ? 'allowed' : 'denied'}`, {}, a.allowed ? '✓' : '✗'),
                    h('code.action', {}, a.action),
                    a.table ? h('span', {}, ' on ', h('code', {}, a.table)) : null,
                    a.reason
                      ? h('span.reason', { 'data-testid': 'reason' }, a.reason)
                      : a.allowed && h('span.why', {}, whyAllowed(state.grant, a.table, a.action)),
                  ),
                ),
              )
            : h('p.muted.small.no-access', {}, 'touches no table: allowed to any valid token'),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------- minting
/** Makes `pair` the page's signing key and puts its public half in the keys box. */
function useKeyPair(pair) {
  const { kid, publicJwk, privateJwk } = pair;
  state.keyPair = pair;
  $('kid').textContent = `key id ${kid}`;
  $('private-jwk').textContent = JSON.stringify(privateJwk, null, 2);
  $('keys').value = JSON.stringify({ keys: [publicJwk] }, null, 2);
  return pair;
}

function showMintError(e) {
  const err = asError(e);
  $('mint-error').textContent = `${err.code}: ${err.message}`;
}

function newKeyPair() {
  $('mint-error').textContent = '';
  try {
    useKeyPair(generateKeyPair());
  } catch (e) {
    showMintError(e);
    return;
  }
  verify();
}

function mint() {
  $('mint-error').textContent = '';
  try {
    const { privateJwk } = state.keyPair ?? useKeyPair(generateKeyPair());
    const options = { readOnly: $('mint-readonly').checked };
    const database = $('mint-database').value.trim();
    const group = $('mint-group').value.trim();
    const permissions = $('mint-permissions').value.trim().split(/\s+/).filter(Boolean);
    const expiration = $('mint-expiration').value.trim();
    if (database) options.database = database;
    if (group) options.group = group;
    if (permissions.length) options.permissions = permissions;
    if (expiration) options.expiration = expiration;
    $('token').value = createToken(privateJwk, options);
  } catch (e) {
    showMintError(e);
    return;
  }
  verify();
}

function mintDemo() {
  if (!$('mint-database').value.trim() && !$('mint-group').value.trim())
    $('mint-database').value = 'blog';
  if (!$('mint-permissions').value.trim())
    $('mint-permissions').value = 'all:data_read comments:data_add,data_update';
  mint();
  if (!$('sql').value.trim()) {
    $('sql').value = 'SELECT * FROM comments; DELETE FROM comments';
    renderChecks();
  }
}

// ---------------------------------------------------------------- wiring
function debounce(fn, ms) {
  let t = 0;
  return () => {
    clearTimeout(t);
    t = setTimeout(fn, ms);
  };
}

function init() {
  $('examples').append(
    ...EXAMPLES.map(([label, sql]) =>
      h(
        'button.chip',
        {
          type: 'button',
          title: sql,
          onclick: () => {
            $('sql').value = sql;
            renderChecks();
          },
        },
        label,
      ),
    ),
  );

  const reverify = debounce(verify, 120);
  for (const id of ['token', 'keys', 'req-database', 'req-group'])
    $(id).addEventListener('input', reverify);
  $('sql').addEventListener('input', debounce(renderChecks, 80));
  $('clear-token').addEventListener('click', () => {
    $('token').value = '';
    verify();
  });
  $('gen-keys').addEventListener('click', newKeyPair);
  $('mint').addEventListener('click', mint);
  for (const id of ['mint-database', 'mint-group', 'mint-permissions', 'mint-expiration']) {
    $(id).addEventListener('keydown', (e) => {
      if (e.key === 'Enter') mint();
    });
  }

  // Live countdown; re-verify once the expiry passes so the verdict follows the clock.
  setInterval(() => {
    const el = $('countdown');
    if (!el || !state.grant) return;
    el.textContent = countdownText(state.grant.expiresAt);
    if (state.grant.expiresAt !== null && nowSeconds() > state.grant.expiresAt + DEFAULT_LEEWAY)
      verify();
  }, 1000);

  verify();
  document.body.dataset.ready = 'true';
}

init();
