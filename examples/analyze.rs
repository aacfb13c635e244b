//! Prints the analysis of each argument as JSON (a development aid); `-` reads stdin.
use std::io::Read as _;

fn main() {
    for arg in std::env::args().skip(1) {
        let sql = if arg == "-" {
            let mut text = String::new();
            let _ = std::io::stdin().read_to_string(&mut text);
            text
        } else {
            arg
        };
        let analysis = libsql_authz::sql::analyze(&sql);
        println!("{}", serde_json::to_string(&analysis).unwrap_or_default());
    }
}
