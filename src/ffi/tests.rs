//! The boundary's golden file, `tests/golden/boundary.json`: for a set of SQL texts and
//! grants, the serde JSON of each analysis and decision (the contract `index.d.ts`
//! declares) and the wire fields of each decision. This test writes what the types give
//! and compares it with the file; `tests/js/boundary.test.mjs` type-checks the file
//! against `index.d.ts` and decodes every wire back into its decision with `js/wire.js`.
//! After a deliberate change: `UPDATE_GOLDEN=1 cargo test --lib ffi` rewrites the file.

use serde_json::{json, Value};

use super::{grant, wire};
use crate::decision::check_analysis;
use crate::grant::{AccessLevel, Grant};
use crate::sql::{analyze, StatementKind};
use crate::testing::grant as grant_of;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/boundary.json");

/// Texts that reach every branch of the wire: allowed and denied accesses, reasons,
/// several statements, errors, an empty text, non-ASCII texts (sent as text), and names
/// and reasons that hold the separator or start with `"`.
const TEXTS: &[&str] = &[
    "SELECT id, body FROM comments WHERE post_id = ?",
    "INSERT INTO comments (post_id, body) VALUES (1, 'x') RETURNING id",
    "UPDATE posts SET title = 'Hello' WHERE id = 1",
    "DELETE FROM comments WHERE id = 1",
    "SELECT p.title, u.name FROM posts p JOIN users u ON u.id = p.author_id",
    "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT); DROP TABLE t",
    "VACUUM; PRAGMA journal_mode = wal; ATTACH 'aux.db' AS aux",
    "BEGIN; DELETE FROM t; COMMIT",
    "BEGIN TRANSACTION READONLY; SAVEPOINT a; ROLLBACK TO a; ROLLBACK",
    "SELECT 'é' FROM t; DELETE FROM t",
    "DELETE FROM \"tablé\"",
    "/* DELETE FROM t */ DELETE FROM t",
    "  SELECT 1 ;\n\n ; DELETE FROM t ; ",
    "SELECT * FROM t /* open comment",
    "SELECT 1; SELEC 2",
    "CREATE VIRTUAL TABLE v USING fts5(a, tokenize = 'nope')",
    "",
    "DELETE FROM \"\u{1f}\"; SELECT * FROM \"\"\"q\"; UPDATE \"a\u{1f}b\" SET c = 1",
    "INSERT INTO \"\"\"\" VALUES (1); SELECT 'é\u{1f}' FROM \"\u{1f}\"",
];

fn grants() -> Vec<(&'static str, Grant)> {
    vec![
        ("full", grant_of(AccessLevel::Full, None)),
        ("read-only", grant_of(AccessLevel::ReadOnly, None)),
        (
            "rules",
            grant_of(
                AccessLevel::Full,
                Some(&["comments:data_read,data_add", "all:data_read", "t:data_delete"]),
            ),
        ),
    ]
}

fn golden() -> Value {
    let grants = grants();
    let cases: Vec<Value> = TEXTS
        .iter()
        .map(|sql| {
            let analysis = analyze(sql);
            let decisions: Vec<Value> = grants
                .iter()
                .map(|(name, grant)| {
                    let decision = check_analysis(grant, &analysis);
                    json!({
                        "grant": name,
                        "wire": wire::encode_decision(&decision, sql).expect("wire"),
                        "decision": decision,
                    })
                })
                .collect();
            json!({ "sql": sql, "analysis": analysis, "decisions": decisions })
        })
        .collect();
    let grants: Vec<Value> = grants
        .iter()
        .map(|(name, g)| json!({ "name": name, "permissions": grant::permissions(g) }))
        .collect();
    json!({ "grants": grants, "kinds": StatementKind::ALL, "cases": cases })
}

#[test]
fn the_golden_file_is_what_the_types_give() {
    let expected = golden();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&expected).expect("json") + "\n";
        std::fs::write(GOLDEN, text).expect("write the golden file");
    }
    let file = std::fs::read_to_string(GOLDEN).expect("tests/golden/boundary.json");
    let found: Value = serde_json::from_str(&file).expect("golden JSON");
    assert!(
        found == expected,
        "tests/golden/boundary.json differs from what the boundary types give; after a \
         deliberate change run `UPDATE_GOLDEN=1 cargo test --lib ffi` and review its diff"
    );
}

#[test]
fn decisions_cross_as_separated_fields() {
    let fields = |fields: &[&str]| fields.join("\u{1f}");
    let grant = grant_of(AccessLevel::Full, Some(&["t:data_read"]));
    let check_statement = |grant: &Grant, sql: &str| {
        wire::encode_decision(&check_analysis(grant, &analyze(sql)), sql)
    };
    let reason = "no rule allows data_delete on `t`";
    assert_eq!(
        check_statement(&grant, " SELECT a FROM t; DELETE FROM t;").unwrap(),
        fields(&[
            "o",
            "2",
            "select",
            "1",
            "16",
            "1",
            "t",
            "data_read",
            "1",
            "1",
            "delete",
            "18",
            "31",
            "1",
            "t",
            "data_delete",
            "0+",
            reason,
            "0",
            "0",
        ]),
    );
    // Not ASCII: byte offsets are not JS string offsets, so the text itself crosses.
    assert_eq!(
        check_statement(&grant, "SELECT 'é' FROM t").unwrap(),
        fields(&["t", "1", "select", "SELECT 'é' FROM t", "1", "t", "data_read", "1", "1", "1"]),
    );
    // A text that starts with `"` or holds the separator crosses as a JSON string.
    let reads_all = grant_of(AccessLevel::Full, Some(&["all:data_read"]));
    let sql = "DELETE FROM \"\u{1f}\"; SELECT * FROM \"\"\"q\"";
    let decision = check_analysis(&reads_all, &analyze(sql));
    let reason = decision.denied[0].reason.as_deref().unwrap();
    assert!(reason.contains('\u{1f}'));
    assert_eq!(
        check_statement(&reads_all, sql).unwrap(),
        fields(&[
            "o",
            "2",
            "delete",
            "0",
            "15",
            "1",
            r#""\u001f""#,
            "data_delete",
            "0+",
            &serde_json::to_string(reason).unwrap(),
            "0",
            "select",
            "17",
            "36",
            "1",
            r#""\"q""#,
            "data_read",
            "1",
            "1",
            "0",
        ]),
    );
    assert_eq!(
        check_statement(&grant, "SELECT 1; SELEC").unwrap(),
        fields(&["o", "1", "select", "0", "8", "0", "1", "0"])
            + "\u{1f}"
            + &serde_json::to_string(&analyze("SELECT 1; SELEC").error.unwrap()).unwrap(),
    );
}
