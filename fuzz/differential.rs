//! The differential fuzz target: generated SQL judged by the analyser and by SQLite's
//! own authorizer, failing on any false allow.
//!
//! An input is a recipe: a corpus entry (`tests/corpus/`) and edits that splice
//! fragments into it (keywords, names, sigils, TCL-style variables, quotes, brackets,
//! comment openers, Unicode spaces, the BOM, NUL) at byte positions the input chooses,
//! wrap a span between two positions in an opener and its closer (quotes, comments, a
//! TCL variable's parentheses), or delete a word, so libFuzzer explores texts near real
//! statements; an input that starts with `0xFF`
//! is the rest as text instead. For each text the analyser accepts, every grant of
//! `common::grants()` whose decision allows it is checked against SQLite's authorizer
//! in that grant's world, first preparing it, then running it on a fresh copy of the
//! world (`run_differential`): an access SQLite reports that the grant does not allow
//! panics, as does a different statement count or a syntax error only SQLite sees. Shared by the cargo-fuzz binary `differential` and by `tests/regressions.rs`
//! (stable), which replays its seeds and every kept crash input.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/common/mod.rs"]
pub mod common;

use std::sync::OnceLock;

use common::{allows, grants, is_syntax_error, oracles, world, Access, Oracle, Run};
use libsql_authz::decision::check_analysis;
use libsql_authz::grant::Grant;
use libsql_authz::sql::{analyze, Analysis};

/// What the edits splice in.
pub const FRAGMENTS: &[&str] = &[
    " ",
    "\n",
    "\t",
    "\u{feff}",
    "\u{a0}",
    "\u{2028}",
    "\u{3000}",
    "\u{200b}",
    "\0",
    "'",
    "\"",
    "`",
    "[",
    "]",
    "(",
    ")",
    ";",
    ",",
    ".",
    "=",
    "--",
    "/*",
    "*/",
    "$a",
    "$b(",
    "@a(",
    ":a::b",
    "#a",
    "?1",
    "$",
    "::",
    "')",
    "('",
    "x'00'",
    "SELECT ",
    "FROM ",
    "WITH ",
    " AS ",
    "CREATE ",
    "TEMP ",
    "VIRTUAL TABLE ",
    "USING ",
    "fts5(",
    "INDEX ",
    "TRIGGER ",
    "BEGIN ",
    " END",
    "DELETE FROM ",
    "INSERT INTO ",
    "UPDATE ",
    " SET ",
    " WHERE ",
    "DROP TABLE ",
    "ATTACH ",
    "PRAGMA ",
    "pragma_table_info",
    " arg",
    "main.",
    "temp.",
    "temporary.",
    "aux.",
    "NEW.",
    "secrets",
    "comments",
    "t",
    "load_extension(",
    "fts3_tokenizer(",
    "dbstat",
    "sqlite_dbpage",
    "json_each(",
    "RETURNING *",
    "UNION SELECT * FROM secrets",
];

/// What a wrap edit puts around a span: an opener, and the closer SQLite's tokenizer or
/// the parser's lexer may read differently (a string, a quoted name, a comment, a TCL
/// variable's parentheses).
pub const WRAPS: &[(&str, &str)] = &[
    ("'", "'"),
    ("\"", "\""),
    ("`", "`"),
    ("[", "]"),
    ("(", ")"),
    ("/*", "*/"),
    ("--", "\n"),
    ("$a(", ")"),
    ("$a('", "')"),
    ("@a(\"", "\")"),
    ("#a(", ")"),
    ("x'", "'"),
];

fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(common::corpus)
}

/// The text an input stands for.
pub fn text_of(data: &[u8]) -> String {
    match data.split_first() {
        None => String::new(),
        Some((0xFF, rest)) => String::from_utf8_lossy(rest).into_owned(),
        Some((&first, rest)) => {
            let corpus = corpus();
            let pick = usize::from(first) | rest.first().map_or(0, |&b| usize::from(b) << 8);
            let mut text = corpus[pick % corpus.len()].clone();
            let mut edits = rest.get(1..).unwrap_or_default().chunks_exact(3);
            while let Some(edit) = edits.next() {
                let at = position(&text, edit[0], edit[1]);
                let code = usize::from(edit[2]);
                if let Some(fragment) = FRAGMENTS.get(code) {
                    text.insert_str(at, fragment);
                } else if let Some((open, close)) =
                    code.checked_sub(FRAGMENTS.len()).and_then(|i| WRAPS.get(i))
                {
                    // A wrap takes its second position from the next edit (whose code
                    // is unused): the span between the two is wrapped.
                    let other = edits.next().map_or(text.len(), |e| position(&text, e[0], e[1]));
                    let (start, end) = (at.min(other), at.max(other));
                    text.insert_str(end, close);
                    text.insert_str(start, open);
                } else {
                    // Other codes delete up to the next space.
                    let end = text[at..].find(' ').map_or(text.len(), |i| at + i);
                    text.replace_range(at..end, "");
                }
            }
            text
        }
    }
}

/// A character boundary of `text` from two input bytes.
fn position(text: &str, low: u8, high: u8) -> usize {
    let at = (usize::from(low) | usize::from(high) << 8) % (text.len() + 1);
    (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

/// What SQLite made of a text in one world: its accesses and statement count, or its error.
type Compiled = Result<(Vec<Access>, usize), String>;

thread_local! {
    static ORACLES: [Oracle; 4] = oracles();
}

fn grant_list() -> &'static [(&'static str, Grant)] {
    static GRANTS: OnceLock<Vec<(&'static str, Grant)>> = OnceLock::new();
    GRANTS.get_or_init(grants)
}

/// Runs one input: panics on a false allow.
pub fn differential(data: &[u8]) {
    let sql = text_of(data);
    if sql.len() > 4096 {
        return;
    }
    let analysis = analyze(&sql);
    if analysis.error.is_some() {
        return;
    }
    ORACLES.with(|oracles| {
        // Each world is compiled at most once per input.
        let mut compiled: [Option<Compiled>; 4] = Default::default();
        for (label, grant) in grant_list() {
            if !check_analysis(grant, &analysis).allowed {
                continue;
            }
            let index = world(grant);
            let result =
                compiled[index].get_or_insert_with(|| oracles[index].compile_counting(&sql));
            match result {
                Ok((accesses, count)) => {
                    assert_eq!(
                        *count,
                        analysis.statements.len(),
                        "SQLite prepared {count} statements, the analyser saw {}: {sql:?}",
                        analysis.statements.len()
                    );
                    let denied: Vec<_> = accesses.iter().filter(|a| !allows(grant, a)).collect();
                    assert!(
                        denied.is_empty(),
                        "FALSE ALLOW [{label}] {sql:?}: SQLite's authorizer needs {denied:?}"
                    );
                }
                Err(message) => assert!(
                    !is_syntax_error(message),
                    "SQLite: {message}, the analyser parsed (and [{label}] allowed) {sql:?}"
                ),
            }
        }
    });
    let false_allows = run_differential(&sql, &analysis, |_, _| {});
    assert!(false_allows.is_empty(), "{}", false_allows.join("\n"));
}

/// Runs `sql` (see `Oracle::run`) once in each world where a grant allows it, on a
/// fresh copy of the world, and returns a message for each allowing grant that does not
/// allow everything SQLite's authorizer reported. `each` sees every run with its world.
/// Texts that attach, detach or vacuum are not run: they reach files.
pub fn run_differential(
    sql: &str,
    analysis: &Analysis,
    mut each: impl FnMut(usize, &Run),
) -> Vec<String> {
    let mut failures = Vec::new();
    if analysis.error.is_some()
        || analysis
            .statements
            .iter()
            .any(|s| matches!(s.kind.as_str(), "attach" | "detach" | "vacuum"))
    {
        return failures;
    }
    let allowing: Vec<_> =
        grant_list().iter().filter(|(_, grant)| check_analysis(grant, analysis).allowed).collect();
    for index in 0..4 {
        let in_world: Vec<_> = allowing.iter().filter(|(_, g)| world(g) == index).collect();
        if in_world.is_empty() {
            continue;
        }
        let run = Oracle::scratch(index >= 2, index % 2 == 1).run(sql);
        each(index, &run);
        for (label, grant) in in_world {
            let denied: Vec<_> = run.accesses.iter().filter(|a| !allows(grant, a)).collect();
            if !denied.is_empty() {
                failures.push(format!(
                    "FALSE ALLOW [{label}] {sql:?}: running it, SQLite's authorizer needs {denied:?}"
                ));
            }
        }
    }
    failures
}
