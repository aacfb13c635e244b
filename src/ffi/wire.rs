//! A [`Decision`] as it crosses to JS: one string of fields separated by U+001F (the
//! ASCII unit separator), which `js/wire.js` reads back into the decision's serde form.
//!
//! The decision's serde JSON is the contract (`index.d.ts` `Decision`); this is only its
//! transport, chosen because a JS object built from these fields costs a fraction of
//! `JSON.parse` of that JSON (BENCHMARKS.md). `tests/golden/boundary.json` pins both
//! ends to it: for each case the fields written here and the serde JSON of the same
//! `Decision`, which `js/wire.js` must rebuild exactly (`src/ffi/tests.rs`,
//! `tests/js/boundary.test.mjs`).
//!
//! ```text
//! decision  = texts count statement{count} allowed [error]
//! texts     = "o" (each statement's text as its start and end) | "t" (as text)
//! statement = kind (start end | sql) count access{count} allowed
//! access    = table action state [reason]
//! allowed   = "1" | "0"
//! state     = "1" | "0" (allowed or not) | "1+" | "0+" (the same, and a reason follows)
//! error     = the error as a JSON object, {"code": ..., "message": ...}
//! ```
//!
//! Left out, because JS rebuilds them: member names, and `denied` (every access whose
//! `allowed` is false, in order). A statement's text is sent as its offsets in the
//! caller's own string when that string is ASCII, where a byte offset is a UTF-16 one;
//! otherwise as the text itself.
//!
//! A free text (`sql`, `table`, `reason`) is sent as it is, unless it holds the
//! separator or starts with `"`: then it is sent as a JSON string, which starts with `"`
//! and never holds the separator (JSON escapes control characters). Kinds, actions and
//! the error's JSON never hold the separator.

use crate::decision::{AccessCheck, Decision, StatementDecision};
use crate::error::{Error, ErrorCode, Result};

/// Between two fields.
const SEPARATOR: char = '\u{1f}';

/// `decision`, the decision on the SQL text `sql`, as the fields above.
pub fn encode_decision(decision: &Decision, sql: &str) -> Result<String> {
    let offsets = sql.is_ascii();
    let mut fields = Fields(String::with_capacity(64 + 48 * decision.statements.len()));
    fields.0.push_str(if offsets { "o" } else { "t" });
    fields.number(decision.statements.len());
    for statement in &decision.statements {
        fields.statement(statement, offsets)?;
    }
    fields.flag(decision.allowed, false);
    if let Some(error) = &decision.error {
        fields.0.push(SEPARATOR);
        fields.0.push_str(&json_text(error)?);
    }
    Ok(fields.0)
}

/// `value` as JSON text. Never fails for the types written here (string keys, no
/// floats).
fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| {
        Error::new(ErrorCode::InputTooLarge, format!("cannot encode the decision: {e}"))
    })
}

/// The fields written so far.
struct Fields(String);

impl Fields {
    fn statement(&mut self, statement: &StatementDecision, offsets: bool) -> Result<()> {
        let StatementDecision { sql, span, kind, accesses, allowed } = statement;
        self.name(kind.as_str());
        if offsets {
            self.number(span.start);
            self.number(span.end);
        } else {
            self.text(sql)?;
        }
        self.number(accesses.len());
        for AccessCheck { table, action, allowed, reason } in accesses {
            self.text(table)?;
            self.name(action);
            self.flag(*allowed, reason.is_some());
            if let Some(reason) = reason {
                self.text(reason)?;
            }
        }
        self.flag(*allowed, false);
        Ok(())
    }

    /// A field of the crate's own making (a kind, an action, a code, digits): it never
    /// holds the separator.
    fn name(&mut self, name: &str) {
        self.0.push(SEPARATOR);
        self.0.push_str(name);
    }

    /// `"1"` or `"0"`, with `"+"` when a reason follows.
    fn flag(&mut self, allowed: bool, reason_follows: bool) {
        self.name(match (allowed, reason_follows) {
            (true, false) => "1",
            (false, false) => "0",
            (true, true) => "1+",
            (false, true) => "0+",
        });
    }

    fn number(&mut self, number: usize) {
        self.name(itoa::Buffer::new().format(number));
    }

    /// A free text: as it is, or as a JSON string when it could be misread.
    fn text(&mut self, text: &str) -> Result<()> {
        self.0.push(SEPARATOR);
        if text.starts_with('"') || text.contains(SEPARATOR) {
            self.0.push_str(&json_text(text)?);
        } else {
            self.0.push_str(text);
        }
        Ok(())
    }
}
