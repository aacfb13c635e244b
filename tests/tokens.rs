//! The gate sees the same tokens and statement boundaries as SQLite.
//!
//! SQLite's own boundaries come from `sqlite3_prepare_v2`'s tail: where each statement
//! of a text ends. For every text the analyser accepts, SQLite must prepare the same
//! number of statements, each of the analyser's starting where SQLite's previous one
//! ended (past whitespace, comments and `;`) and ending within SQLite's; a syntax error
//! SQLite finds must be an error to the analyser too. For the generated texts, whose
//! schema is simple, SQLite's authorizer must also report no access the analyser did not
//! find (the corpus is judged grant by grant in `differential.rs`). A text the analyser
//! refuses is never compared: refusing is always safe.
//!
//! The texts: every corpus entry and fuzz seed; every Unicode scalar value in three
//! places where whitespace and identifier characters mean different things; and every
//! sequence of up to three fragments (sigils, quotes, brackets, comment openers,
//! separators, BOM, NUL) in four templates, among them a virtual table's free-form
//! module arguments, where SQLite's tokens alone decide where a statement ends. With
//! the pre-scan's refusals of issue 13 reverted, the code points find the BOM and NUL
//! and the fragments find the TCL-style variables.

// Host only: this target needs SQLite's C (rusqlite), which wasm32 has not;
// under `wasm-pack test --node` it compiles to nothing.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::ffi::c_char;
use std::ptr;

use common::{corpus, is_syntax_error, Access, Oracle};
use libsql_authz::permissions::Action;
use libsql_authz::sql::{analyze, Analysis, Need};
use rusqlite::ffi;

/// Where SQLite ends each statement of `sql` (byte offsets past each statement, blank
/// statements skipped), or the message of the first statement it cannot prepare.
fn sqlite_statement_ends(oracle: &Oracle, sql: &str) -> Result<Vec<usize>, String> {
    let mut ends = Vec::new();
    let base = sql.as_ptr();
    let mut offset = 0usize;
    while offset < sql.len() {
        let rest = &sql.as_bytes()[offset..];
        let mut statement = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        // SAFETY: the handle is open for the oracle's lifetime; `rest` outlives the
        // call and its length is passed, so SQLite reads no further; the statement is
        // finalized before the next iteration.
        let message = unsafe {
            let db = oracle.conn.handle();
            let rc = ffi::sqlite3_prepare_v2(
                db,
                rest.as_ptr().cast(),
                i32::try_from(rest.len()).expect("short text"),
                &mut statement,
                &mut tail,
            );
            let message = (rc != ffi::SQLITE_OK).then(|| {
                std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(db)).to_string_lossy().into_owned()
            });
            ffi::sqlite3_finalize(statement);
            message
        };
        if let Some(message) = message {
            return Err(message);
        }
        let next = if tail.is_null() { sql.len() } else { tail as usize - base as usize };
        if next <= offset {
            break;
        }
        if !statement.is_null() {
            ends.push(next);
        }
        offset = next;
    }
    Ok(ends)
}

/// Whether `between` holds only what SQLite skips between two statements: whitespace,
/// comments and `;`.
fn only_separators(between: &str) -> bool {
    let bytes = between.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b';' => i += 1,
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = between[i..].find('\n').map_or(bytes.len(), |end| i + end + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = between[i + 2..].find("*/").map_or(bytes.len(), |end| i + 2 + end + 2);
            }
            _ => return false,
        }
    }
    true
}

/// Whether the analyser found `access` (or something that covers it).
fn covered(analysis: &Analysis, access: &Access) -> bool {
    // Every grant may read SQLite's schema tables (the spec).
    if let Access::Table(table, Action::DataRead) = access {
        if table.is_system_table() {
            return true;
        }
    }
    analysis.statements.iter().flat_map(|s| &s.needs).any(|need| match (need, access) {
        (Need::Admin(_), _) => true,
        (Need::Table { table, action }, Access::Table(t, a)) => table == t && action == a,
        (Need::AllTables(action), Access::Table(_, a) | Access::All(a)) => action == a,
        // SQLite reports the file name, the analyser the schema name.
        (Need::Attach(_), Access::Attach(_)) => true,
        (Need::Table { .. } | Need::AllTables(_) | Need::Attach(_), _) => false,
    })
}

/// Compares the analyser with SQLite on one text; the difference found, if any.
fn compare(oracle: &Oracle, sql: &str, judge_accesses: bool) -> Option<String> {
    let analysis = analyze(sql);
    if analysis.error.is_some() {
        return None;
    }
    let ends = match sqlite_statement_ends(oracle, sql) {
        Ok(ends) => ends,
        Err(message) if is_syntax_error(&message) => {
            return Some(format!("SQLite: {message}; the analyser parsed it"));
        }
        // A schema error (no such table, ...): SQLite runs nothing.
        Err(_) => return None,
    };
    let spans: Vec<_> = analysis.statements.iter().map(|s| s.span.clone()).collect();
    if spans.len() != ends.len() {
        return Some(format!(
            "SQLite ends statements at {ends:?}, the analyser sees statements at {spans:?}"
        ));
    }
    // Statement k starts where SQLite's statement k - 1 ended, past separators, and ends
    // within SQLite's statement k.
    let mut previous = 0usize;
    for (span, &end) in spans.iter().zip(&ends) {
        let before = sql.get(previous..span.start);
        if span.end > end || !before.is_some_and(only_separators) {
            return Some(format!(
                "SQLite's statement ends at byte {end}, the analyser's statement is {span:?} \
                 (SQLite's ends: {ends:?})"
            ));
        }
        previous = end;
    }
    if !judge_accesses {
        return None;
    }
    match oracle.compile(sql) {
        Ok(accesses) => {
            let missed: Vec<_> = accesses.iter().filter(|a| !covered(&analysis, a)).collect();
            (!missed.is_empty())
                .then(|| format!("SQLite's authorizer reports {missed:?}, the analyser does not"))
        }
        Err(_) => None,
    }
}

fn assert_same(
    oracle: &Oracle,
    judge_accesses: bool,
    texts: impl IntoIterator<Item = String>,
) -> usize {
    let mut failures = Vec::new();
    let mut compared = 0usize;
    for sql in texts {
        compared += 1;
        if let Some(difference) = compare(oracle, &sql, judge_accesses) {
            failures.push(format!("{sql:?}: {difference}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} texts differ from SQLite:\n{}",
        failures.len(),
        failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    compared
}

#[test]
fn corpus_and_fuzz_seeds_split_as_sqlite_splits_them() {
    let oracle = Oracle::new(true, true);
    let mut texts = corpus();
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds/sql");
    for entry in std::fs::read_dir(seeds).expect("sql seeds") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("seed");
        texts.extend(String::from_utf8(bytes).ok());
    }
    let compared = assert_same(&oracle, false, texts);
    assert!(compared > 400, "{compared} texts");
}

#[test]
fn every_code_point_is_read_as_sqlite_reads_it() {
    let oracle = Oracle::new(false, false);
    let texts = (0..=0x10_FFFFu32).filter_map(char::from_u32).flat_map(|c| {
        [format!("SELECT * FROM {c}secrets"), format!("SELECT b FROM t{c}"), format!("{c}SELECT 1")]
    });
    let compared = assert_same(&oracle, true, texts);
    assert!(compared > 3 * 1_100_000, "{compared} texts");
}

/// Sigils, quotes, brackets, comment openers, separators, characters SQLite's tokenizer
/// treats specially, and quotes next to brackets (a string that one tokenizer closes
/// and the other does not).
const FRAGMENTS: &[&str] = &[
    "$a", "$a(", "@a", ":a", "#a", "::", "?1", "$", "'", "\"", "`", "[", "]", "(", ")", "')", "('",
    "\")", "])", ";", "--", "/*", "*/", "\n", " ", "x", ",", "\u{feff}", "\0", "secrets",
];

#[test]
fn sigil_and_quote_sequences_split_as_sqlite_splits_them() {
    let oracle = Oracle::new(false, false);
    let templates = [
        "{}",
        "SELECT 1 {}; SELECT 2",
        "SELECT * FROM t WHERE b = {}",
        "CREATE VIRTUAL TABLE ft USING fts5(a, {}); SELECT 1",
    ];
    let mut sequences = vec![String::new()];
    for _ in 0..3 {
        let longer: Vec<String> = sequences
            .iter()
            .flat_map(|s| FRAGMENTS.iter().map(move |f| format!("{s}{f}")))
            .collect();
        sequences.extend(longer);
    }
    sequences.sort();
    sequences.dedup();
    let texts = sequences.iter().flat_map(|s| templates.map(|t| t.replace("{}", s)));
    let compared = assert_same(&oracle, true, texts);
    assert!(compared > 4 * FRAGMENTS.len().pow(3), "{compared} texts");
}
