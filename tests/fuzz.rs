//! Property tests: garbage and truncated SQL never panics the analyser and is never
//! allowed beyond what it shows.
//!
//! A deterministic PRNG (no new dependencies) drives three generators: random bytes,
//! random token soup, and every truncation of every corpus entry. For each input:
//! `analyze` returns (a panic fails the test); under a grant that allows nothing but
//! statements touching no table, an allowed input needs nothing; and when SQLite calls
//! the input a syntax error, the analyser reports an error too.

// Host only: this target needs SQLite's C (rusqlite, through `common`), which wasm32 has not;
// under `wasm-pack test --node` it compiles to nothing.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus, is_syntax_error, Oracle, Rng};
use libsql_authz::decision::check_statement;
use libsql_authz::grant::{AccessLevel, Grant};
use libsql_authz::permissions::Action;
use libsql_authz::permissions::Rule;
use libsql_authz::sql::{analyze, Need};

fn nothing_grant() -> Grant {
    Grant::new(AccessLevel::ReadOnly)
        .with_rules([Rule::parse_cli("nothing_at_all:data_read").expect("rule")])
}

/// Checks one input; returns a failure description.
fn check(oracle: &Oracle, grant: &Grant, sql: &str) -> Option<String> {
    let analysis = analyze(sql);
    let decision = check_statement(grant, sql);
    let harmless = |need: &Need| matches!(need, Need::Table { table, action: Action::DataRead } if table.is_system_table());
    if decision.allowed && analysis.statements.iter().any(|s| !s.needs.iter().all(harmless)) {
        return Some(format!("allowed with needs: {sql:?}"));
    }
    if decision.allowed
        != (analysis.error.is_none()
            && analysis.statements.iter().all(|s| s.needs.iter().all(harmless)))
    {
        return Some(format!("decision disagrees with analysis: {sql:?}"));
    }
    // The JS layer slices a statement's text out of the caller's string by its span.
    if let Some(s) =
        analysis.statements.iter().find(|s| sql.get(s.span.clone()) != Some(s.sql.as_str()))
    {
        return Some(format!("span {:?} is not the text {:?} in {sql:?}", s.span, s.sql));
    }
    if analysis.error.is_none() {
        if let Err(message) = oracle.compile(sql) {
            if is_syntax_error(&message) {
                return Some(format!("SQLite: {message}; analyser parsed {sql:?}"));
            }
        }
    }
    None
}

#[test]
fn random_bytes_never_panic_and_never_allow() {
    let oracle = Oracle::new(false, false);
    let grant = nothing_grant();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut failures = Vec::new();
    for _ in 0..iterations() {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xff) as u8).collect();
        let sql = String::from_utf8_lossy(&bytes);
        failures.extend(check(&oracle, &grant, &sql));
    }
    assert_none(&failures);
}

const VOCABULARY: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "SET",
    "DELETE",
    "DROP",
    "TABLE",
    "CREATE",
    "INDEX",
    "VIEW",
    "TRIGGER",
    "BEGIN",
    "END",
    "WITH",
    "RECURSIVE",
    "AS",
    "ON",
    "JOIN",
    "LEFT",
    "UNION",
    "ALL",
    "IN",
    "EXISTS",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "NOT",
    "NULL",
    "AND",
    "OR",
    "ORDER",
    "BY",
    "GROUP",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "RETURNING",
    "CONFLICT",
    "DO",
    "NOTHING",
    "REPLACE",
    "PRAGMA",
    "ATTACH",
    "DETACH",
    "VACUUM",
    "ANALYZE",
    "REINDEX",
    "ALTER",
    "RENAME",
    "TO",
    "ADD",
    "COLUMN",
    "EXPLAIN",
    "QUERY",
    "PLAN",
    "OVER",
    "PARTITION",
    "WINDOW",
    "FILTER",
    "t",
    "u",
    "secrets",
    "main",
    "temp",
    "aux",
    "c",
    "x",
    "a",
    "b",
    "\"t\"",
    "[secrets]",
    "`u`",
    "'s'",
    "1",
    "2.5",
    "x'00'",
    "?",
    ":p",
    "(",
    ")",
    ",",
    ";",
    ".",
    "*",
    "=",
    "<",
    "+",
    "-",
    "||",
    "->",
    "--",
    "/*",
    "*/",
    "\n",
    "json_each",
    "load_extension",
    "pragma_table_info",
    "dbstat",
    "count",
    "sum",
];

#[test]
fn token_soup_never_panics_and_never_allows() {
    let oracle = Oracle::new(false, false);
    let grant = nothing_grant();
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let mut failures = Vec::new();
    for _ in 0..iterations() {
        let len = 1 + rng.below(16);
        let words: Vec<&str> = (0..len).map(|_| VOCABULARY[rng.below(VOCABULARY.len())]).collect();
        let sql = words.join(" ");
        failures.extend(check(&oracle, &grant, &sql));
    }
    assert_none(&failures);
}

#[test]
fn truncations_of_the_corpus_never_panic_and_never_allow() {
    let oracle = Oracle::new(false, false);
    let grant = nothing_grant();
    let mut failures = Vec::new();
    for sql in corpus() {
        for end in (0..sql.len()).filter(|&i| sql.is_char_boundary(i)) {
            failures.extend(check(&oracle, &grant, &sql[..end]));
        }
    }
    assert_none(&failures);
}

#[test]
fn mutations_of_the_corpus_never_panic_and_never_allow() {
    let oracle = Oracle::new(false, false);
    let grant = nothing_grant();
    let entries = corpus();
    let mut rng = Rng(0xfeed_face_0123_4567);
    let mut failures = Vec::new();
    for _ in 0..iterations() {
        let mut sql = entries[rng.below(entries.len())].clone();
        for _ in 0..1 + rng.below(3) {
            let mut at = rng.below(sql.len() + 1);
            while !sql.is_char_boundary(at) {
                at -= 1;
            }
            match rng.below(3) {
                0 => sql.insert_str(at, VOCABULARY[rng.below(VOCABULARY.len())]),
                1 => {
                    let mut end = (at + 1 + rng.below(8)).min(sql.len());
                    while !sql.is_char_boundary(end) {
                        end -= 1;
                    }
                    sql.replace_range(at..end, "");
                }
                _ => sql.insert(at, char::from(b" ;()'\"`[]*/-.,=x"[rng.below(16)])),
            }
        }
        failures.extend(check(&oracle, &grant, &sql));
    }
    assert_none(&failures);
}

/// 20,000 per generator, or `FUZZ_ITERATIONS` for longer runs.
fn iterations() -> usize {
    std::env::var("FUZZ_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000)
}

/// Fails with every failure listed.
fn assert_none(failures: &[String]) {
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
