// The SQL panels: checkStatement's decision, and the matrix of what the grant allows
// (every cell is Grant.allows).
import { errorBox, fill, h, $ } from './dom.js';
import { ruleText } from './format.js';

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

/** Which actions the grant allows on the tables its rules and the SQL name. */
export function renderMatrix(grant, decision) {
  const box = $('matrix');
  const g = grant;
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

/** checkStatement's decision, statement by statement. */
export function renderSql(grant, decision, error) {
  const box = $('sql-result');
  if (!grant) {
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
                      : a.allowed && h('span.why', {}, whyAllowed(grant, a.table, a.action)),
                  ),
                ),
              )
            : h('p.muted.small.no-access', {}, 'touches no table: allowed to any valid token'),
        ),
      ),
    ),
  );
}
