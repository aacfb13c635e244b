//! One operation of the core, repeated, for an instruction profile:
//!
//! ```sh
//! cargo bench --bench profile --no-run   # prints the binary's path
//! valgrind --tool=callgrind target/release/deps/profile-* check "SELECT * FROM comments WHERE id = ?" 10000
//! ```
//!
//! Cases: `check SQL N` (`check_statement` under a grant with a `perm` rule) and
//! `analyze SQL N`. Instruction counts are repeatable on a shared machine, where
//! timings are not (BENCHMARKS.md, "Levers").
use std::hint::black_box;

use libsql_authz::decision::check_statement;
use libsql_authz::grant::{AccessLevel, Grant};
use libsql_authz::permissions::{Action, Rule, Tables};
use libsql_authz::sql::analyze;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let [case, sql, n] = args.as_slice() else {
        eprintln!("usage: profile check|analyze SQL N");
        std::process::exit(2);
    };
    let n: usize = n.parse().unwrap_or(1);
    let grant = Grant {
        database: None,
        group: None,
        access: AccessLevel::Full,
        permissions: Some(vec![Rule { tables: Tables::Named(vec!["comments".into()]), actions: vec![Action::DataRead, Action::DataAdd] }]),
        attach: vec![],
        expires_at: None,
        claims: Default::default(),
    };
    for _ in 0..n {
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
