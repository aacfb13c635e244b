// The token's panels: the verdict (verifyToken's answer and what its Grant allows) and
// the decoded header and claims.
import { errorBox, fact, fill, h, $ } from './dom.js';
import { countdownText, decodeForDisplay, formatDate, ruleText } from './format.js';

/** The verdict panel: no input yet, the verification's error, or what the grant allows. */
export function renderVerdict(token, keys, { grant, error }, mintDemo) {
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
  if (error) {
    box.dataset.state = 'error';
    // A scope error is about the request: show where the request's database/group is set.
    if (error.code === 'ERR_TOKEN_SCOPE') document.querySelector('details.scope').open = true;
    fill(
      box,
      h('div.verdict-title', {}, h('span.dot', {}), h('h2', {}, 'Not valid')),
      errorBox(error, 'verify-error'),
      h('p.muted.small', {}, 'Nothing is allowed with a token that does not verify.'),
    );
    return;
  }
  const g = grant;
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
                .map(([level, v]) => {
                  const names = [...(v?.ns ?? []), ...(v?.tags ?? []).map((t) => `group ${t}`)];
                  return `${level}: ${names.join(', ') || '—'}`;
                })
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
  a: 'access: ro / rw / roa',
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

/** The decoded header and claims of `token`, for display. */
export function renderDecoded(token) {
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
