//! The analyser against SQLite's authorizer while statements really run (issue 21).
//!
//! `tests/differential.rs` only prepares statements, so it never sees the callbacks
//! that fire while they run: a virtual table's own SQL (FTS4 calling the function its
//! `compress=` option names, an external-content table reading its `content=` table),
//! and anything a table created by the text does when it is read later. Here every
//! corpus entry and every seed of the `differential` fuzz target is run, for each world
//! in which some grant allows it, on a fresh copy of that world (with rows), then each
//! table and view it created is read (`Oracle::run`). Every access the authorizer
//! reports must be allowed by each grant that allowed the text; the accesses to the
//! objects the text created itself are the token's own.
//!
//! Texts that attach, detach or vacuum are left to the prepare-only test: they reach
//! files, and only admin or attach grants may run them.

// Host only: this target needs SQLite's C (rusqlite).
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/differential.rs"]
mod differential;

use std::collections::BTreeMap;
use std::path::Path;

use differential::common::{corpus, oracles, Access};
use libsql_authz::sql::analyze;

/// Every text to run: the corpus, then the fuzz target's seeds as it reads them.
fn texts() -> Vec<String> {
    let mut texts = corpus();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/differential");
    let mut files: Vec<_> = std::fs::read_dir(seeds)
        .expect("fuzz seeds")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    texts.extend(files.iter().map(|f| differential::text_of(&std::fs::read(f).expect("seed"))));
    texts
}

#[test]
fn analyser_never_allows_what_sqlite_denies_while_running() {
    // Preparing alone, in the four worlds (which preparing does not change).
    let oracles = oracles();
    let mut failures = Vec::new();
    let mut runs = 0usize;
    let mut errors = 0usize;
    // Callbacks seen only at run time, by kind (compared with preparing alone).
    let mut run_only: BTreeMap<String, usize> = BTreeMap::new();
    for sql in texts() {
        let analysis = analyze(&sql);
        failures.extend(differential::run_differential(&sql, &analysis, |index, run| {
            let prepared = oracles[index].compile(&sql).unwrap_or_default();
            runs += 1;
            errors += usize::from(run.error.is_some());
            for access in &run.accesses {
                if !prepared.contains(access) {
                    *run_only.entry(kind(access)).or_default() += 1;
                }
            }
        }));
    }
    eprintln!(
        "run-time differential: {runs} runs ({errors} stopped by an error); callbacks seen \
         only while running, by kind: {run_only:?}"
    );
    assert!(runs > 1000, "only {runs} runs");
    assert!(failures.is_empty(), "{} false allows:\n{}", failures.len(), failures.join("\n"));
}

/// A short label for an access: its action, and the table for table accesses.
fn kind(access: &Access) -> String {
    match access {
        Access::Table(table, action) => format!("{action} {table}"),
        Access::All(action) => format!("{action} *"),
        Access::Admin(what) => format!("admin {what}"),
        Access::Attach(db) => format!("attach {db}"),
    }
}
