//! A decision as it crosses to JS: one string of fields separated by U+001F (the ASCII
//! unit separator), which `js/api.js` (`decisionFrom`) reads and turns back into the
//! documented object.
//!
//! Measured in Node, parsing the decision was the largest part of a short statement's
//! check: first as the decision object's JSON, then as nested JSON arrays, whose
//! `JSON.parse` still took about 0.7 µs for one short statement against 0.15 µs to
//! read these fields (BENCHMARKS.md, levers). The fields carry no member names and no
//! `denied` list (it is every access whose `allowed` is false, which JS collects), and
//! a statement's text as its offsets in the caller's own string when that string is
//! ASCII (where a byte offset is a UTF-16 one: [`StatementAnalysis::span`]); otherwise
//! the text itself.
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
//! Each `allowed` comes after what it sums up, as [`decision::check_each`] finds it: the
//! fields are written while the grant is checked, without building a
//! [`decision::Decision`] (its `denied` copies and statement texts, which JS does not
//! need).
//!
//! A free text (`sql`, `table`, `reason`) is sent as it is, unless it holds the
//! separator or starts with `"`: then it is sent as a JSON string, which starts with `"`
//! and never holds the separator (JSON escapes control characters). Kinds, actions and
//! the error's JSON never hold the separator.

use super::json_text;
use crate::decision::{self, AccessCheck};
use crate::error::Result;
use crate::grant::Grant;
use crate::sql::{Analysis, StatementAnalysis};

/// Between two fields.
const SEPARATOR: char = '\u{1f}';

/// The decision of `grant` on `analysis`, the analysis of the SQL text `sql`, as the
/// fields above.
pub(super) fn wire_decision(grant: &Grant, analysis: &Analysis, sql: &str) -> Result<String> {
    let offsets = sql.is_ascii();
    let mut wire = Fields(String::with_capacity(64 + 48 * analysis.statements.len()));
    wire.0.push_str(if offsets { "o" } else { "t" });
    wire.number(analysis.statements.len());
    let mut written = Ok(());
    let allowed = decision::check_each(grant, analysis, |statement, accesses, allowed| {
        if written.is_ok() {
            written = wire.statement(statement, &accesses, allowed, offsets);
        }
    });
    written?;
    wire.flag(allowed, false);
    if let Some(error) = &analysis.error {
        wire.0.push(SEPARATOR);
        wire.0.push_str(&json_text(error)?);
    }
    Ok(wire.0)
}

/// The fields written so far.
struct Fields(String);

impl Fields {
    fn statement(
        &mut self,
        statement: &StatementAnalysis,
        accesses: &[AccessCheck],
        allowed: bool,
        offsets: bool,
    ) -> Result<()> {
        let StatementAnalysis { sql, span, kind, needs: _ } = statement;
        self.name(kind);
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
        self.flag(allowed, false);
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
