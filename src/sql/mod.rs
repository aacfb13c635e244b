//! Statement analysis: which tables does this SQL touch, and how?
//!
//! [`analyze`] parses the SQL as SQLite does (`sqlite3-parser`, SQLite's own
//! `parse.y` through lemon) and returns, for each statement, what it [`Need`]s
//! according to the spec's `statement-actions.md`, edge rules included. It decides
//! nothing about tokens or grants: [`crate::decision`] does.
//!
//! Guarantees:
//! - limits ([`crate::limits`]) are checked on the raw text before parsing, and the
//!   walker carries a depth counter, so no input can overflow the stack;
//! - anything it cannot analyse with certainty (a parse error, a construct it does not
//!   know, input over a limit) is an [`Analysis::error`], which the decision turns into
//!   a denial;
//! - an input with no statement (only whitespace, comments and `;`) is an empty,
//!   error-free analysis: allowed, as SQLite would run nothing.

mod cache;
mod ddl;
mod kind;
mod modules;
mod names;
mod parameters;
mod scan;
mod special;
mod statement;
mod walk;
mod writes;

#[cfg(test)]
mod tests;

use std::ops::Range;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use sqlite3_parser::lexer::sql::{Error as ParseError, Parser};
use sqlite3_parser::{Bump, FallibleIterator};

pub use cache::AnalysisCache;
pub use kind::StatementKind;

use crate::error::{Error, ErrorCode};
use crate::limits::{MAX_SQL_NEEDS, MAX_STATEMENTS};
use crate::permissions::{Action, TableName};

/// Something a statement needs from the grant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Need {
    /// `action` on one table.
    Table {
        /// The table, as SQLite resolves the name.
        table: TableName,
        /// What the statement does to it.
        action: Action,
    },
    /// `action` on every table at once (`DROP INDEX`, bare `ANALYZE`, ...).
    AllTables(Action),
    /// Permission to `ATTACH` this database (full access or `p.roa` / `p.rwa`).
    Attach(String),
    /// Only full access may do this; the string says what.
    Admin(String),
}

impl Need {
    /// The table as shown to callers: `t`, `temp.t`, `aux.t`; `*` for every table or
    /// admin; the database name for `attach`.
    pub fn table_label(&self) -> String {
        match self {
            Need::Table { table, .. } => table.to_string(),
            Need::AllTables(_) | Need::Admin(_) => "*".to_owned(),
            Need::Attach(db) => db.clone(),
        }
    }

    /// The action's name: an [`Action`]'s, `"admin"` or `"attach"`.
    pub fn action_label(&self) -> &'static str {
        match self {
            Need::Table { action, .. } | Need::AllTables(action) => action.as_str(),
            Need::Attach(_) => "attach",
            Need::Admin(_) => "admin",
        }
    }
}

impl Serialize for Need {
    /// `{ "table": "t", "action": "data_read" }`, with `"reason"` for admin.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let reason = match self {
            Need::Admin(reason) => Some(reason),
            Need::Table { .. } | Need::AllTables(_) | Need::Attach(_) => None,
        };
        let mut s = serializer.serialize_struct("Need", if reason.is_some() { 3 } else { 2 })?;
        s.serialize_field("table", &self.table_label())?;
        s.serialize_field("action", self.action_label())?;
        if let Some(reason) = reason {
            s.serialize_field("reason", reason)?;
        }
        s.end()
    }
}

/// What one statement is and needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementAnalysis {
    /// The statement's own text (trimmed, without the `;` that ends it).
    pub sql: String,
    /// Where `sql` is in the analysed text, in bytes.
    #[serde(skip)]
    pub span: Range<usize>,
    /// The statement kind, e.g. `"select"`, `"insert"`, `"create_table"`; an
    /// `EXPLAIN` has its inner statement's kind.
    pub kind: StatementKind,
    /// Everything it needs, without duplicates, in the order found.
    pub needs: Vec<Need>,
    /// Its parameters as SQLite numbers them: parameter `i + 1` is named
    /// `parameters[i]` (`":id"`, `"?3"`) or unnamed (`None`, a plain `?`).
    pub parameters: Vec<Option<String>>,
}

/// The analysis of a whole SQL text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// The statements analysed, in order (those before an error, when there is one).
    pub statements: Vec<StatementAnalysis>,
    /// Why the text could not be analysed completely; any error means a denial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Error>,
}

/// Analyses every statement of `sql`. Never panics; see the module doc for what
/// becomes an error.
pub fn analyze(sql: &str) -> Analysis {
    let mut analysis = Analysis { statements: Vec::new(), error: None };
    let scan = match scan::check_limits(sql) {
        Ok(scan) => scan,
        Err(error) => {
            analysis.error = Some(error);
            return analysis;
        }
    };
    if scan::is_blank(sql) {
        return analysis;
    }
    // SQLite lets a final `/* ...` comment run to the end of input; the parser wants
    // it closed, so it reads a copy with the comment closed (offsets are unchanged).
    let closed;
    let input = if scan.open_comment {
        closed = format!("{sql}*/");
        closed.as_str()
    } else {
        sql
    };
    // One parser and one arena per statement: memory is that of the largest
    // statement, and positions are computed over that statement only.
    let mut start = 0usize;
    let mut needs_left = MAX_SQL_NEEDS;
    let mut next_variable = 0usize;
    loop {
        let Some(rest) = input.get(start..) else {
            analysis.error = Some(Error::new(
                ErrorCode::SqlUnsupported,
                "statement boundary inside a character",
            ));
            break;
        };
        if scan::is_blank(rest) {
            break;
        }
        let bump = Bump::new();
        let mut parser = Parser::new(&bump, rest.as_bytes());
        let next = parser.next();
        let position = parser.position();
        let end = start + offset_of(rest, position.line, position.column);
        match next {
            Ok(None) => break,
            Ok(Some(cmd)) => {
                let span = statement_span(sql, start, end);
                match statement::analyze_cmd(&cmd, needs_left) {
                    Ok((kind, needs)) => {
                        needs_left -= needs.len();
                        let text = sql.get(span.clone()).unwrap_or_default();
                        // Both in text order: this statement's are the next ones.
                        let own = scan.variables.get(next_variable..).unwrap_or_default();
                        let own = own
                            .get(..own.partition_point(|range| range.end <= end))
                            .unwrap_or_default();
                        next_variable += own.len();
                        let tokens = own.iter().filter_map(|range| sql.get(range.clone()));
                        let parameters = match parameters::number(tokens) {
                            Ok(parameters) => parameters,
                            Err(message) => {
                                analysis.error = Some(Error::new(ErrorCode::SqlParse, message));
                                break;
                            }
                        };
                        analysis.statements.push(StatementAnalysis {
                            sql: text.to_owned(),
                            span,
                            kind,
                            needs,
                            parameters,
                        });
                    }
                    Err(error) => {
                        analysis.error = Some(error);
                        break;
                    }
                }
                if analysis.statements.len() > MAX_STATEMENTS {
                    analysis.error = Some(Error::new(
                        ErrorCode::SqlTooLarge,
                        format!("more than {MAX_STATEMENTS} statements"),
                    ));
                    break;
                }
                if end <= start {
                    analysis.error =
                        Some(Error::new(ErrorCode::SqlUnsupported, "the parser made no progress"));
                    break;
                }
                start = end;
            }
            Err(error) => {
                analysis.error = Some(parse_error(&error, sql, start));
                break;
            }
        }
    }
    analysis
}

/// `ERR_SQL_UNSUPPORTED` for `what`, a construct the gate does not analyse.
fn unsupported(what: &str) -> Error {
    Error::new(ErrorCode::SqlUnsupported, format!("{what} is not supported by the gate"))
}

/// The byte offset of a 1-based (line, byte column) position.
fn offset_of(sql: &str, line: usize, column: usize) -> usize {
    let mut line_start = 0usize;
    if line > 1 {
        let mut seen = 1usize;
        for (i, b) in sql.bytes().enumerate() {
            if b == b'\n' {
                seen += 1;
                if seen == line {
                    line_start = i + 1;
                    break;
                }
            }
        }
    }
    line_start.saturating_add(column.saturating_sub(1)).min(sql.len())
}

/// Where one statement is, from its start and end offsets: trimmed, without leading
/// or trailing `;` (`end` may be past the end of `sql` when a final comment was closed).
fn statement_span(sql: &str, start: usize, end: usize) -> Range<usize> {
    let Some(text) = sql.get(start..end).or_else(|| sql.get(start..)) else {
        return 0..0;
    };
    let separator = |c: char| c.is_whitespace() || c == ';';
    let from_start = text.trim_start_matches(separator);
    let lo = start + (text.len() - from_start.len());
    lo..lo + from_start.trim_end_matches(separator).len()
}

/// `ERR_SQL_PARSE` with the line and column the parser stopped at, in the whole text
/// (the parser saw it from byte `start`).
fn parse_error(error: &ParseError, sql: &str, start: usize) -> Error {
    // `ParseError` is `#[non_exhaustive]`: a wildcard is required.
    #[allow(clippy::wildcard_enum_match_arm)]
    let (what, pos) = match error {
        ParseError::UnrecognizedToken(pos) => ("unrecognized token".to_owned(), pos),
        ParseError::UnterminatedLiteral(pos) => ("unterminated literal".to_owned(), pos),
        ParseError::UnterminatedBracket(pos) => ("unterminated bracket".to_owned(), pos),
        ParseError::UnterminatedBlockComment(pos) => ("unterminated block comment".to_owned(), pos),
        ParseError::BadVariableName(pos) => ("bad variable name".to_owned(), pos),
        ParseError::BadNumber(pos) => ("bad number".to_owned(), pos),
        ParseError::ExpectedEqualsSign(pos) => ("expected `=`".to_owned(), pos),
        ParseError::MalformedBlobLiteral(pos) => ("malformed blob literal".to_owned(), pos),
        ParseError::MalformedHexInteger(pos) => ("malformed hex integer".to_owned(), pos),
        ParseError::ParserError(error, pos) => (error.to_string(), pos),
        other => (other.to_string(), &None),
    };
    let message = match pos {
        Some(pos) => {
            let before = sql.as_bytes().get(..start).unwrap_or_default();
            let lines_before = before.iter().filter(|&&b| b == b'\n').count();
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let (line, column) = if pos.line == 1 {
                (lines_before + 1, start - line_start + pos.column)
            } else {
                (lines_before + pos.line, pos.column)
            };
            format!("{what} at line {line}, column {column}")
        }
        None => what,
    };
    Error::new(ErrorCode::SqlParse, message)
}
