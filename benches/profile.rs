//! One operation of the core, repeated, for an instruction profile:
//!
//! ```sh
//! cargo bench --bench profile --no-run   # prints the binary's path
//! valgrind --tool=callgrind target/release/deps/profile-* check "SELECT * FROM comments WHERE id = ?" 10000
//! ```
//!
//! Cases: `check SQL N` (`check_statement` under a grant with a `perm` rule),
//! `analyze SQL N`, and `verify ALG N`: a first-seen verification of the token of
//! benches/data/tokens.json for ALG through a new `Verifier`, with a signature backend
//! that answers "valid" at once (everything but the signature arithmetic, which a host
//! does in the package). Instruction counts are repeatable on a shared machine, where
//! timings are not (BENCHMARKS.md, "Levers").
use std::hint::black_box;

use libsql_authz::decision::check_statement;
use libsql_authz::grant::{AccessLevel, Grant};
use libsql_authz::permissions::{Action, Rule, TableName, Tables};
use libsql_authz::sql::analyze;
use libsql_authz::token::{KeySet, SignatureBackend, SignatureInput, Verifier, VerifyOptions};

/// The host's part, taken as done: only the rest of a verification is counted.
struct AlwaysValid;

impl SignatureBackend for AlwaysValid {
    fn verify(&self, _input: &SignatureInput<'_>) -> bool {
        true
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let [case, sql, n] = args.as_slice() else {
        eprintln!("usage: profile check|analyze SQL N, or profile verify EdDSA|ES256|RS256 N");
        std::process::exit(2);
    };
    let n: usize = n.parse().unwrap_or(1);
    let grant = Grant::new(AccessLevel::Full).with_rules([Rule {
        tables: Tables::Named(vec![TableName::main("comments")]),
        actions: vec![Action::DataRead, Action::DataAdd],
    }]);
    let verify_input = (case == "verify").then(|| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/data/tokens.json"
        ))
        .expect("tokens.json");
        let data: serde_json::Value = serde_json::from_str(&text).expect("json");
        let token =
            data["tokens"][sql.as_str()].as_str().expect("a token for this algorithm").to_owned();
        let keys = KeySet::parse(&data["jwks"].to_string()).expect("jwks");
        let options = VerifyOptions { database: Some("db1".into()), ..VerifyOptions::default() };
        (token, keys, options, data["now"].as_i64().expect("now"))
    });
    for _ in 0..n {
        if let Some((token, keys, options, now)) = &verify_input {
            let mut verifier = Verifier::new(keys.clone(), options.clone()).expect("options");
            drop(black_box(
                verifier
                    .verify_shared_with(black_box(token), *now, &AlwaysValid)
                    .expect("verifies"),
            ));
            continue;
        }
        match case.as_str() {
            "check" => drop(black_box(check_statement(&grant, black_box(sql)))),
            "analyze" => drop(black_box(analyze(black_box(sql)))),
            other => {
                eprintln!("unknown case {other}");
                std::process::exit(2);
            }
        }
    }
}
