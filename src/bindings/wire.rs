//! A decision as it crosses to JS: nested JSON arrays that `js/api.js`
//! (`decisionFrom`) turns back into the documented object.
//!
//! Measured in Node, `JSON.parse` of the decision object was the largest part of a
//! short statement's check (BENCHMARKS.md). The arrays carry the same decision in a
//! quarter of the text: no member names, no `denied` list (it is every access whose
//! `allowed` is false, which JS collects), and a statement's text as its offsets in
//! the caller's own string when that string is ASCII (where a byte offset is a UTF-16
//! one: [`StatementDecision::span`]); otherwise the text itself.
//!
//! ```text
//! decision  = [allowed, [statement...]] or [allowed, [statement...], error]
//! statement = [kind, allowed, [access...], start, end] or [kind, allowed, [access...], sql]
//! access    = [table, action, allowed] or [table, action, allowed, reason]
//! error     = {"code": ..., "message": ...}
//! ```

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::decision::{AccessCheck, Decision, StatementDecision};

/// `decision` of the SQL text `sql`, serialized as the arrays above.
pub(super) struct WireDecision<'a> {
    pub decision: &'a Decision,
    pub sql: &'a str,
}

impl Serialize for WireDecision<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Decision { allowed, statements, denied: _, error } = self.decision;
        let mut seq = serializer.serialize_seq(Some(if error.is_some() { 3 } else { 2 }))?;
        seq.serialize_element(allowed)?;
        seq.serialize_element(&WireStatements { statements, ascii: self.sql.is_ascii() })?;
        if let Some(error) = error {
            seq.serialize_element(error)?;
        }
        seq.end()
    }
}

struct WireStatements<'a> {
    statements: &'a [StatementDecision],
    /// Whether the checked text is ASCII, where a byte offset is a UTF-16 one.
    ascii: bool,
}

impl Serialize for WireStatements<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.statements.iter().map(|statement| WireStatement { statement, ascii: self.ascii }))
    }
}

struct WireStatement<'a> {
    statement: &'a StatementDecision,
    ascii: bool,
}

impl Serialize for WireStatement<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let StatementDecision { sql, span, kind, accesses, allowed } = self.statement;
        let mut seq = serializer.serialize_seq(Some(if self.ascii { 5 } else { 4 }))?;
        seq.serialize_element(kind)?;
        seq.serialize_element(allowed)?;
        seq.serialize_element(&WireAccesses(accesses))?;
        if self.ascii {
            seq.serialize_element(&span.start)?;
            seq.serialize_element(&span.end)?;
        } else {
            seq.serialize_element(sql)?;
        }
        seq.end()
    }
}

struct WireAccesses<'a>(&'a [AccessCheck]);

impl Serialize for WireAccesses<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(WireAccess))
    }
}

struct WireAccess<'a>(&'a AccessCheck);

impl Serialize for WireAccess<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let AccessCheck { table, action, allowed, reason } = self.0;
        let mut seq = serializer.serialize_seq(Some(if reason.is_some() { 4 } else { 3 }))?;
        seq.serialize_element(table)?;
        seq.serialize_element(action)?;
        seq.serialize_element(allowed)?;
        if let Some(reason) = reason {
            seq.serialize_element(reason)?;
        }
        seq.end()
    }
}
