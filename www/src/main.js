// The playground page. Every decision shown comes from `libsql-authz`
// (verifyToken, Grant.allows, checkStatement); these modules only gather input and
// render: token-view.js (verdict, decoded claims), sql-view.js (decision, matrix),
// dom.js and format.js (helpers). This one holds the state and wires the page.
import { checkStatement, createToken, generateKeyPair, verifyToken } from 'libsql-authz';
import { asError, h, $ } from './dom.js';
import { countdownText, nowSeconds } from './format.js';
import { renderMatrix, renderSql } from './sql-view.js';
import { renderDecoded, renderVerdict } from './token-view.js';

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

const state = {
  keyPair: null,
  grant: null,
  error: null, // { code, message } of the last verification
};

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
  renderVerdict(token, keys, state, mintDemo);
  renderDecoded(token);
  renderChecks();
}

// ---------------------------------------------------------------- SQL
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
  renderMatrix(state.grant, decision);
  renderSql(state.grant, decision, error);
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
