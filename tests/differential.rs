//! The analyser against SQLite's own authorizer.
//!
//! Every corpus entry is compiled by real SQLite (prepare only, never run) with an
//! authorizer recording its callbacks, mapped to the spec's actions. Each entry is
//! judged for every grant of `common::grants`: the test fails if SQLite's authorizer
//! would deny (it reports an access the grant does not allow) while the analyser
//! allows, or if SQLite finds a syntax error the analyser does not. False denials
//! (the analyser denies what SQLite would allow) are counted and printed by cause.

mod common;

use std::collections::BTreeMap;

use common::{allows, corpus, grants, is_syntax_error, Oracle};
use libsql_authz::decision::check_statement;
use libsql_authz::sql::analyze;

#[test]
fn corpus_is_large_enough() {
    let n = corpus().len();
    assert!(n >= 400, "corpus has {n} entries");
}

#[test]
fn analyser_never_allows_what_sqlite_would_deny() {
    let oracles = [Oracle::new(false), Oracle::new(true)];
    let grants = grants();
    let entries = corpus();
    let mut failures = Vec::new();
    let mut false_denials: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut schema_errors = 0usize;
    let mut judged = 0usize;
    for sql in &entries {
        if std::env::var("DUMP").is_ok_and(|f| sql.contains(&f)) {
            let _ = oracles[1].compile(sql);
            eprintln!(
                "{sql}\n  sqlite: {:#?}\n  analyser: {}",
                oracles[1].log.lock().unwrap(),
                serde_json::to_string(&analyze(sql)).unwrap()
            );
        }
        for (label, grant) in &grants {
            let oracle = &oracles[usize::from(grant.is_admin() || !grant.attach.is_empty())];
            let accesses = match oracle.compile(sql) {
                Ok(accesses) => accesses,
                Err(message) => {
                    if is_syntax_error(&message) && *label == "full" {
                        let analysis = analyze(sql);
                        if analysis.error.is_none() {
                            failures.push(format!(
                                "SQLite: syntax error ({message}) but the analyser parsed: {sql}"
                            ));
                        }
                    } else {
                        schema_errors += 1;
                        if *label == "full" {
                            println!(
                                "SQLite cannot compile ({message}): {}",
                                sql.replace('\n', " ")
                            );
                        }
                        // The statement is still judged by the analyser alone: nothing to compare.
                    }
                    continue;
                }
            };
            judged += 1;
            let oracle_allows = accesses.iter().all(|a| allows(grant, a));
            let decision = check_statement(grant, sql);
            if decision.allowed && !oracle_allows {
                let denied: Vec<_> = accesses.iter().filter(|a| !allows(grant, a)).collect();
                failures.push(format!(
                    "FALSE ALLOW [{label}] {sql}\n    SQLite needs {denied:?}"
                ));
            } else if !decision.allowed && oracle_allows {
                let cause = match &decision.error {
                    Some(e) => format!("analyser error {}: {}", e.code, e.message),
                    None => decision
                        .denied
                        .iter()
                        .map(|d| format!("{} {}", d.action, d.table))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                false_denials
                    .entry(cause)
                    .or_default()
                    .push(format!("[{label}] {sql}"));
            }
        }
    }
    let total: usize = false_denials.values().map(Vec::len).sum();
    println!(
        "corpus: {} entries x {} grants: {judged} judged, {schema_errors} not compiled by SQLite (schema errors)",
        entries.len(),
        grants.len()
    );
    println!(
        "false denials: {total} (statement x grant) in {} causes",
        false_denials.len()
    );
    for (cause, cases) in &false_denials {
        println!("  {} x {cause}", cases.len());
        for case in cases.iter().take(3) {
            println!("      {}", case.replace('\n', " "));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
