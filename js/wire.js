// The decision's transport from the wasm (src/ffi/wire.rs states the grammar): reads
// the fields back into the object `checkStatement` returns. tests/golden/boundary.json,
// written from the Rust types, pins it: every wire there decodes to the serde JSON of the
// same decision (tests/js/boundary.test.mjs). Imports nothing.

/**
 * The decision the wasm sent as its wire fields -> the decision's serde form, the
 * documented `Decision`: member names put back, a statement's text sliced from `sql`
 * when the wasm sent its offsets, and `denied` collected from the accesses (copies).
 * Any `allowed` field but "1" is a denial.
 */
export function decisionFrom(wire, sql) {
  const fields = new WireFields(wire);
  const offsets = fields.next() === 'o';
  const statementCount = fields.number();
  const statements = [];
  const denied = [];
  for (let s = 0; s < statementCount; s++) {
    const kind = fields.next();
    const text = offsets ? sql.slice(fields.number(), fields.number()) : fields.text();
    const accessCount = fields.number();
    const accesses = [];
    for (let a = 0; a < accessCount; a++) {
      const table = fields.text();
      const action = fields.next();
      const state = fields.next();
      const allowed = state[0] === '1';
      const access =
        state.length === 1
          ? { table, action, allowed }
          : { table, action, allowed, reason: fields.text() };
      accesses.push(access);
      if (!allowed) denied.push({ ...access });
    }
    statements.push({ sql: text, kind, accesses, allowed: fields.next() === '1' });
  }
  const allowed = fields.next() === '1';
  return fields.done()
    ? { allowed, statements, denied }
    : { allowed, statements, denied, error: JSON.parse(fields.next()) };
}

/** The fields of the wasm's decision, read in order (cheaper than `split` of a new string). */
class WireFields {
  constructor(wire) {
    this.wire = wire;
    this.at = 0;
  }

  /** The next field as it is. */
  next() {
    const { wire, at } = this;
    const separator = wire.indexOf('\x1f', at);
    const end = separator < 0 ? wire.length : separator;
    this.at = end + 1;
    return wire.slice(at, end);
  }

  number() {
    return Number(this.next());
  }

  /** A table, reason or statement text: sent as a JSON string when it starts with `"`
   * or holds the separator. */
  text() {
    const field = this.next();
    return field.charCodeAt(0) === 34 ? JSON.parse(field) : field;
  }

  done() {
    return this.at > this.wire.length;
  }
}
