//! Prints the analysis of each argument as JSON (a development aid).
fn main() {
    for sql in std::env::args().skip(1) {
        let analysis = libsql_authz::sql::analyze(&sql);
        println!("{}", serde_json::to_string(&analysis).unwrap_or_default());
    }
}
