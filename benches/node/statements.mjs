// The statement mix of the benchmarks (the Rust criterion bench reads the same texts
// from benches/statements/*.sql, written by this module's `writeSqlFiles`).
const values = Array.from(
  { length: 200 },
  (_, i) => `(${i}, 'user${i}', 'comment number ${i}', ${(i * 7) % 13})`,
).join(', ');
let nested = 'SELECT id FROM comments WHERE id = 1';
for (let i = 0; i < 20; i++) nested = `SELECT id FROM t${i} WHERE id IN (${nested})`;
const joins = [
  'comments c0',
  ...Array.from({ length: 9 }, (_, i) => `JOIN t${i + 1} c${i + 1} ON c${i + 1}.id = c${i}.ref`),
].join(' ');

export const statements = {
  // about 150 bytes: the "typical statement" of the targets (no `?` after LIMIT / OFFSET:
  // node-sql-parser cannot parse it there)
  typical:
    'SELECT c.id, c.author, c.body, c.created_at FROM comments AS c WHERE c.post_id = ? AND c.deleted = 0 ORDER BY c.created_at DESC LIMIT 50 OFFSET 100',
  'short select': 'SELECT * FROM comments WHERE id = ?',
  'short insert': 'INSERT INTO comments (post_id, body) VALUES (?, ?)',
  'short update': 'UPDATE comments SET body = ? WHERE id = ?',
  'short delete': 'DELETE FROM comments WHERE id = ?',
  '10-way join': `SELECT c0.id, c9.id FROM ${joins} WHERE c0.id > 10`,
  'INSERT 200 rows': `INSERT INTO comments (id, author, body, score) VALUES ${values}`,
  'nested subqueries x20': nested,
};
export const typicalStatement = 'typical';

/** How many distinct texts a "first seen" statement case cycles through: more than the
 * package remembers (MAX_CACHED_ANALYSES = 256), so every call parses. */
export const FIRST_SEEN_TEXTS = 512;

/** The `i`-th distinct text of `sql` for the first-seen cases: a trailing comment, so
 * both parsers do the same work on every variant. */
export const variant = (sql, i) => `${sql} -- ${i}`;
