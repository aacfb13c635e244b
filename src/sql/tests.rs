//! Unit tests, one per row of the spec's table (`statement-actions.md`), then the
//! limits.

use super::{analyze, Need, StatementKind};
use crate::error::ErrorCode;
use crate::limits::{
    MAX_IDENTIFIER_BYTES, MAX_SQL_BYTES, MAX_SQL_LIST_ITEMS, MAX_SQL_TOKENS, MAX_STATEMENTS,
};
use crate::testing::test;

/// The needs of a one-statement SQL text as `"action table"` strings.
fn needs(sql: &str) -> Vec<String> {
    let analysis = analyze(sql);
    assert_eq!(analysis.error, None, "{sql}");
    assert_eq!(analysis.statements.len(), 1, "{sql}");
    analysis.statements[0]
        .needs
        .iter()
        .map(|n| format!("{} {}", n.action_label(), n.table_label()))
        .collect()
}

fn error(sql: &str) -> ErrorCode {
    match analyze(sql).error {
        Some(error) => error.code,
        None => panic!("no error for {sql}"),
    }
}

#[test]
fn select_reads_every_table_anywhere() {
    assert_eq!(needs("SELECT * FROM t JOIN u ON t.a = u.a"), ["data_read t", "data_read u"]);
    assert_eq!(
        needs("SELECT (SELECT 1 FROM a), count(*) FILTER (WHERE x IN (SELECT 1 FROM b)) OVER (PARTITION BY (SELECT 1 FROM c)) FROM d WHERE EXISTS (SELECT 1 FROM e) GROUP BY (SELECT 1 FROM f) HAVING (SELECT 1 FROM g) ORDER BY (SELECT 1 FROM h) LIMIT (SELECT 1 FROM i) OFFSET (SELECT 1 FROM j)"),
        ["data_read a", "data_read b", "data_read c", "data_read d", "data_read e", "data_read f", "data_read g", "data_read h", "data_read i", "data_read j"]
    );
    assert_eq!(needs("SELECT CASE (SELECT 1 FROM a) WHEN (SELECT 1 FROM b) THEN (SELECT 1 FROM c) ELSE (SELECT 1 FROM d) END"), ["data_read a", "data_read b", "data_read c", "data_read d"]);
    assert_eq!(needs("SELECT 1 WHERE 1 IN t"), ["data_read t"]);
    assert_eq!(needs("VALUES ((SELECT 1 FROM a))"), ["data_read a"]);
    assert_eq!(
        needs("SELECT 1 UNION SELECT 1 FROM a EXCEPT SELECT 1 FROM b"),
        ["data_read a", "data_read b"]
    );
    assert_eq!(
        needs("SELECT * FROM (a JOIN (SELECT * FROM b) USING (x))"),
        ["data_read a", "data_read b"]
    );
}

#[test]
fn a_cte_name_used_as_a_table_needs_nothing_but_its_body() {
    assert_eq!(needs("WITH c AS (SELECT * FROM t) SELECT * FROM c"), ["data_read t"]);
    assert_eq!(needs("WITH secrets AS (SELECT 1) SELECT * FROM secrets"), Vec::<String>::new());
    // Only inside its WITH scope.
    assert_eq!(
        needs("SELECT (WITH s AS (SELECT 1) SELECT * FROM s), (SELECT 1 FROM s)"),
        ["data_read s"]
    );
    assert_eq!(needs("WITH s AS (SELECT 1) SELECT * FROM main.s"), ["data_read s"]);
    assert_eq!(
        needs("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT * FROM c"),
        Vec::<String>::new()
    );
    assert_eq!(needs("WITH \"S\" AS (SELECT 1) SELECT * FROM [s]"), Vec::<String>::new());
    // Never the target of a write.
    assert_eq!(needs("WITH t AS (SELECT 1) DELETE FROM t"), ["data_delete t"]);
    assert_eq!(needs("WITH t AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM t"), ["data_add t"]);
}

#[test]
fn insert_needs_data_add_and_the_reads_of_its_select() {
    assert_eq!(needs("INSERT INTO t VALUES (1)"), ["data_add t"]);
    assert_eq!(needs("INSERT INTO t SELECT * FROM u"), ["data_add t", "data_read u"]);
    assert_eq!(needs("INSERT INTO t DEFAULT VALUES"), ["data_add t"]);
}

#[test]
fn upsert_do_update_needs_add_read_update() {
    assert_eq!(
        needs("INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = (SELECT 1 FROM s)"),
        ["data_add t", "data_read t", "data_update t", "data_read s"]
    );
}

#[test]
fn upsert_do_nothing_needs_add_and_read_with_a_target() {
    assert_eq!(needs("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING"), ["data_add t"]);
    assert_eq!(
        needs("INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING"),
        ["data_add t", "data_read t"]
    );
}

#[test]
fn replace_insert_or_replace_update_or_replace_also_need_data_delete() {
    assert_eq!(needs("REPLACE INTO t VALUES (1)"), ["data_add t", "data_delete t"]);
    assert_eq!(needs("INSERT OR REPLACE INTO t VALUES (1)"), ["data_add t", "data_delete t"]);
    assert_eq!(needs("UPDATE OR REPLACE t SET a = 1"), ["data_update t", "data_delete t"]);
    assert_eq!(needs("INSERT OR IGNORE INTO t VALUES (1)"), ["data_add t"]);
}

#[test]
fn update_needs_data_update_and_read_when_it_reads() {
    assert_eq!(needs("UPDATE t SET a = 1"), ["data_update t"]);
    assert_eq!(needs("UPDATE t SET a = 1 WHERE b = 2"), ["data_update t", "data_read t"]);
    assert_eq!(needs("UPDATE t SET a = a + 1"), ["data_update t", "data_read t"]);
    assert_eq!(
        needs("UPDATE t SET a = u.b FROM u"),
        ["data_update t", "data_read u", "data_read t"]
    );
}

#[test]
fn delete_needs_data_delete_and_read_when_where_reads() {
    assert_eq!(needs("DELETE FROM t"), ["data_delete t"]);
    assert_eq!(needs("DELETE FROM t WHERE a = 1"), ["data_delete t", "data_read t"]);
    assert_eq!(needs("DELETE FROM t WHERE 1"), ["data_delete t"]);
}

#[test]
fn returning_cols_needs_data_read() {
    assert_eq!(needs("DELETE FROM t RETURNING a"), ["data_delete t", "data_read t"]);
    assert_eq!(needs("INSERT INTO t VALUES (1) RETURNING *"), ["data_add t", "data_read t"]);
    assert_eq!(needs("UPDATE t SET a = 1 RETURNING 1"), ["data_update t"]);
}

#[test]
fn create_table_if_not_exists_temp_needs_schema_add() {
    assert_eq!(needs("CREATE TABLE t (a)"), ["schema_add t"]);
    assert_eq!(needs("CREATE TABLE IF NOT EXISTS t (a)"), ["schema_add t"]);
    assert_eq!(needs("CREATE TEMP TABLE t (a)"), ["schema_add temp.t"]);
    assert_eq!(needs("CREATE TABLE temp.t (a)"), ["schema_add temp.t"]);
}

#[test]
fn create_table_as_select_needs_schema_add_and_reads() {
    assert_eq!(needs("CREATE TABLE t AS SELECT * FROM u"), ["schema_add t", "data_read u"]);
}

#[test]
fn create_view_needs_schema_add_and_its_body_reads() {
    assert_eq!(
        needs("CREATE VIEW v AS SELECT * FROM secrets"),
        ["data_read secrets", "schema_add v"]
    );
}

#[test]
fn create_virtual_table_needs_schema_add() {
    assert_eq!(needs("CREATE VIRTUAL TABLE f USING fts5(body)"), ["schema_add f"]);
    assert_eq!(
        needs("CREATE VIRTUAL TABLE f USING fts5(body, content='s')"),
        ["data_read s", "schema_add f"]
    );
    assert_eq!(needs("CREATE VIRTUAL TABLE f USING dbstat"), ["admin *", "schema_add f"]);
    assert_eq!(
        needs("CREATE VIRTUAL TABLE f USING csv(filename='/etc/passwd')"),
        ["admin *", "schema_add f"]
    );
    assert_eq!(needs("CREATE VIRTUAL TABLE r USING rtree(id, a, b)"), ["schema_add r"]);
}

/// The admin reasons of a one-statement text (empty when it needs no admin).
fn admin_reasons(sql: &str) -> Vec<String> {
    let analysis = analyze(sql);
    assert_eq!(analysis.error, None, "{sql}");
    analysis.statements[0]
        .needs
        .iter()
        .filter_map(|n| match n {
            Need::Admin(reason) => Some(reason.clone()),
            Need::Table { .. } | Need::AllTables(_) | Need::Attach(_) => None,
        })
        .collect()
}

/// Issue 21: FTS4 calls the functions `compress=` / `uncompress=` name on the data
/// when it is written or read, whatever they are: admin.
#[test]
fn fts4_compress_and_uncompress_name_functions_and_are_admin() {
    let attack = "CREATE VIRTUAL TABLE f USING fts4(x, compress=load_extension, \
                  uncompress=load_extension); INSERT INTO f VALUES ('/tmp/evil')";
    let analysis = analyze(attack);
    assert_eq!(analysis.error, None);
    assert!(analysis.statements[0].needs.iter().any(|n| matches!(n, Need::Admin(_))));
    for module in ["fts4", "fts3", "FTS4"] {
        for option in ["compress", "uncompress", "COMPRESS", "\"compress\""] {
            for function in
                ["load_extension", "fts3_tokenizer", "readfile", "edit", "my_function", "lower"]
            {
                let sql = format!("CREATE VIRTUAL TABLE f USING {module}(x, {option}={function})");
                let reasons = admin_reasons(&sql);
                assert!(reasons.iter().any(|r| r.contains("calls on the data")), "{sql}");
            }
        }
    }
}

/// Issue 21: tokenizers are native code looked up by name; only SQLite's own pass.
#[test]
fn only_built_in_tokenizers_pass() {
    for sql in [
        "CREATE VIRTUAL TABLE f USING fts4(x, tokenize=porter)",
        "CREATE VIRTUAL TABLE f USING fts4(x, tokenize simple)",
        "CREATE VIRTUAL TABLE f USING fts4(x, tokenize=unicode61 \"remove_diacritics=2\")",
        "CREATE VIRTUAL TABLE f USING fts3(x, TOKENIZE=\"porter\")",
        "CREATE VIRTUAL TABLE f USING fts5(x, tokenize = 'porter ascii')",
        "CREATE VIRTUAL TABLE f USING fts5(x, tokenize = porter)",
        "CREATE VIRTUAL TABLE f USING fts5(x, tokenize = \"unicode61 tokenchars '-_'\")",
        "CREATE VIRTUAL TABLE f USING fts5(x, tokenize = 'trigram case_sensitive 1')",
        "CREATE VIRTUAL TABLE t USING fts3tokenize(porter)",
        "CREATE VIRTUAL TABLE t USING fts3tokenize('unicode61', 'remove_diacritics=0')",
        "CREATE VIRTUAL TABLE t USING fts3tokenize",
    ] {
        assert_eq!(admin_reasons(sql), Vec::<String>::new(), "{sql}");
    }
    for sql in [
        "CREATE VIRTUAL TABLE f USING fts4(x, tokenize=mine)",
        "CREATE VIRTUAL TABLE f USING fts4(x, tokenize icu en_US)",
        "CREATE VIRTUAL TABLE f USING fts3(x, tokenize='evil' porter)",
        "CREATE VIRTUAL TABLE f USING fts5(x, tokenize = 'mine')",
        "CREATE VIRTUAL TABLE f USING fts5(x, tokenize = 'porter mine')",
        "CREATE VIRTUAL TABLE f USING fts5(x, tokenize = 'porter porter mine')",
        "CREATE VIRTUAL TABLE t USING fts3tokenize(mine)",
        "CREATE VIRTUAL TABLE t USING fts3tokenize('evil', 'porter')",
    ] {
        let reasons = admin_reasons(sql);
        assert!(reasons.iter().any(|r| r.contains("not built into SQLite")), "{sql}: {reasons:?}");
    }
}

/// Issue 21: every option is on an allow-list; one the gate does not know is admin,
/// and so is an FTS5 option written as a prefix of its name, which SQLite accepts.
#[test]
fn unknown_and_abbreviated_module_options_are_admin() {
    for sql in [
        "CREATE VIRTUAL TABLE f USING fts4(x, prefix='2,3', order=desc, matchinfo=fts3, \
         languageid=lid, notindexed=x)",
        "CREATE VIRTUAL TABLE f USING fts4(x, content='')",
        "CREATE VIRTUAL TABLE f USING fts5(x UNINDEXED, y, prefix='2 3', detail=column, \
         columnsize=0, content='', contentless_delete=1, content_rowid=id, tokendata=1)",
        "CREATE VIRTUAL TABLE r USING rtree(id, x0, x1, +aux)",
        "CREATE VIRTUAL TABLE r USING rtree_i32(id, x0, x1)",
        "CREATE VIRTUAL TABLE g USING geopoly(a, b)",
    ] {
        assert_eq!(admin_reasons(sql), Vec::<String>::new(), "{sql}");
    }
    for (sql, what) in [
        ("CREATE VIRTUAL TABLE f USING fts4(x, frobnicate=1)", "does not know"),
        ("CREATE VIRTUAL TABLE f USING fts4(x, \"a=b\")", "does not know"),
        ("CREATE VIRTUAL TABLE f USING fts5(x, frobnicate=1)", "does not know"),
        ("CREATE VIRTUAL TABLE f USING fts5(x, cont='secrets')", "abbreviated"),
        ("CREATE VIRTUAL TABLE f USING fts5(x, c=secrets)", "abbreviated"),
        ("CREATE VIRTUAL TABLE f USING fts5(x, t='mine')", "abbreviated"),
        ("CREATE VIRTUAL TABLE f USING fts5(x, = 'x')", "abbreviated"),
    ] {
        let reasons = admin_reasons(sql);
        assert!(reasons.iter().any(|r| r.contains(what)), "{sql}: {reasons:?}");
    }
}

/// Issue 21: `content=` names a table read at run time, in the full-text table's
/// schema; `fts5vocab` / `fts4aux` name theirs with an optional schema.
#[test]
fn module_arguments_that_name_tables_need_reading_them() {
    assert_eq!(
        needs("CREATE VIRTUAL TABLE f USING fts4(x, content=\"secrets\")"),
        ["data_read secrets", "schema_add f"]
    );
    assert_eq!(
        needs("CREATE VIRTUAL TABLE temp.f USING fts5(x, CONTENT = secrets)"),
        ["data_read temp.secrets", "schema_add temp.f"]
    );
    assert_eq!(
        needs("CREATE VIRTUAL TABLE v USING fts5vocab(f, row)"),
        ["data_read f", "schema_add v"]
    );
    assert_eq!(
        needs("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, f, 'col')"),
        ["data_read f", "schema_add temp.v"]
    );
    assert_eq!(
        needs("CREATE VIRTUAL TABLE temp.v USING fts4aux(aux, f)"),
        ["data_read aux.f", "schema_add temp.v"]
    );
    assert_eq!(needs("CREATE VIRTUAL TABLE v USING fts4aux(f)"), ["data_read f", "schema_add v"]);
    for sql in [
        "CREATE VIRTUAL TABLE v USING fts5vocab(row)",
        "CREATE VIRTUAL TABLE v USING fts5vocab(a, b, c, d)",
        "CREATE VIRTUAL TABLE v USING fts4aux",
    ] {
        assert!(admin_reasons(sql).iter().any(|r| r.contains("without a named source")), "{sql}");
    }
}

/// Issue 13, finding 3: building an index reads every row (the authorizer reports
/// `READ`); an expression, partial or unique index is an error oracle on the data.
#[test]
fn create_index_needs_schema_update_and_data_read_of_its_table() {
    assert_eq!(needs("CREATE INDEX i ON t (a)"), ["schema_update t", "data_read t"]);
    assert_eq!(needs("CREATE INDEX temp.i ON t (a)"), ["schema_update temp.t", "data_read temp.t"]);
    assert_eq!(
        needs("CREATE INDEX x ON secret(iif(substr(data,1,1)='s', json('bad'), 1))"),
        ["schema_update secret", "data_read secret"]
    );
    assert_eq!(
        needs("CREATE UNIQUE INDEX x ON secret(id) WHERE data > 'm'"),
        ["schema_update secret", "data_read secret"]
    );
}

/// Issue 13, finding 3: `ADD COLUMN` with NOT NULL, CHECK or a generated expression is
/// checked against every existing row.
#[test]
fn add_column_that_checks_rows_needs_data_read() {
    for sql in [
        "ALTER TABLE secret ADD COLUMN x CHECK (substr(data, 1, 1) <> 's')",
        "ALTER TABLE secret ADD COLUMN x NOT NULL",
        "ALTER TABLE secret ADD COLUMN x AS (CAST(data AS INT)) VIRTUAL NOT NULL",
        "ALTER TABLE secret ADD x AS (data)",
    ] {
        assert_eq!(needs(sql), ["schema_update secret", "data_read secret"], "{sql}");
    }
    assert_eq!(needs("ALTER TABLE secret ADD COLUMN x TEXT DEFAULT 'a'"), ["schema_update secret"]);
}

#[test]
fn create_trigger_needs_schema_update_and_its_body_actions() {
    assert_eq!(
        needs("CREATE TRIGGER g AFTER INSERT ON t BEGIN INSERT INTO log SELECT * FROM s; DELETE FROM u; END"),
        ["schema_update t", "data_add log", "data_read s", "data_delete u"]
    );
}

/// Issue 13, finding 4: `NEW.x` / `OLD.x` in a trigger read the rows of its table,
/// also in `WHEN` and in a `RAISE` guard.
#[test]
fn trigger_reads_through_new_and_old_need_data_read_of_its_table() {
    assert_eq!(
        needs(
            "CREATE TRIGGER g AFTER INSERT ON secret BEGIN INSERT INTO log VALUES (NEW.data); END"
        ),
        ["schema_update secret", "data_add log", "data_read secret"]
    );
    assert_eq!(
        needs("CREATE TRIGGER g BEFORE DELETE ON secret WHEN old.data LIKE 's%' BEGIN SELECT RAISE(IGNORE); END"),
        ["schema_update secret", "data_read secret"]
    );
    assert_eq!(
        needs(
            "CREATE TRIGGER g AFTER UPDATE ON secret BEGIN UPDATE log SET msg = \"new\".data; END"
        ),
        ["schema_update secret", "data_update log", "data_read log", "data_read secret"]
    );
    assert_eq!(
        needs("CREATE TRIGGER g AFTER INSERT ON secret BEGIN INSERT INTO log VALUES ('x'); END"),
        ["schema_update secret", "data_add log"]
    );
}

#[test]
fn edge_rules_sqlite_cannot_show_are_asked() {
    // Positions SQLite's authorizer does not report at compile time: the differential
    // test cannot catch their omission, so they are pinned here.
    assert_eq!(
        needs("CREATE TRIGGER g AFTER INSERT ON t WHEN (SELECT 1 FROM s) BEGIN SELECT 1; END"),
        ["schema_update t", "data_read s"]
    );
    assert_eq!(
        needs("SELECT sum(a) OVER (ROWS BETWEEN (SELECT 1 FROM s) PRECEDING AND (SELECT 1 FROM u) FOLLOWING) FROM t"),
        ["data_read s", "data_read u", "data_read t"]
    );
    assert_eq!(
        needs("CREATE VIEW v AS SELECT * FROM (SELECT * FROM s) JOIN u"),
        ["data_read s", "data_read u", "schema_add v"]
    );
}

/// Issue 13, finding 8: SQLite resolves only `temp` to the temp schema; `temporary.t`
/// names a database attached as `temporary`.
#[test]
fn temporary_as_a_schema_name_is_an_attached_database() {
    assert_eq!(needs("SELECT * FROM temporary.t"), ["data_read temporary.t"]);
    assert_eq!(needs("INSERT INTO temporary.t VALUES (1)"), ["data_add temporary.t"]);
    assert_eq!(needs("SELECT * FROM temp.t"), ["data_read temp.t"]);
    assert_eq!(needs("CREATE TEMPORARY TABLE t (a)"), ["schema_add temp.t"]);
}

/// Issue 13, finding 9: the authorizer also asks `DELETE` of a dropped table or view.
#[test]
fn drop_table_view_virtual_table_need_schema_delete_and_data_delete() {
    assert_eq!(needs("DROP TABLE t"), ["schema_delete t", "data_delete t"]);
    assert_eq!(
        needs("DROP TABLE IF EXISTS temp.t"),
        ["schema_delete temp.t", "data_delete temp.t"]
    );
    assert_eq!(needs("DROP VIEW v"), ["schema_delete v", "data_delete v"]);
}

/// Issue 13, finding 5 (and the differential fuzz target's first real find): `UPDATE
/// ... FROM` reads the target, whether or not a column of it is named.
#[test]
fn update_from_needs_data_read_of_the_target() {
    assert_eq!(
        needs("UPDATE posts SET title = 'x' FROM json_each(posts.author)"),
        ["data_update posts", "data_read posts"]
    );
    assert_eq!(
        needs("WITH c AS (SELECT 1 AS a) UPDATE t SET b = 'x' FROM c WHE--RE c.a = t.a"),
        ["data_update t", "data_read t"]
    );
    assert_eq!(
        needs("UPDATE t SET b = 'x' FROM u"),
        ["data_update t", "data_read u", "data_read t"]
    );
}

/// Issue 13, finding 6: the hidden columns `arg` and `schema` of a pragma function name
/// the table and the database it reads.
#[test]
fn pragma_functions_with_hidden_columns_named_are_admin() {
    for sql in [
        "SELECT * FROM pragma_table_info WHERE arg = 'secret'",
        "SELECT * FROM pragma_table_info('t') WHERE schema = 'aux'",
        "SELECT * FROM pragma_index_list AS p WHERE p.\"arg\" = 'secret'",
        "SELECT name FROM t JOIN pragma_table_info ON pragma_table_info.arg = t.b",
        "SELECT * FROM t JOIN pragma_table_info USING (arg)",
    ] {
        assert!(needs(sql).contains(&"admin *".to_owned()), "{sql}");
    }
    assert_eq!(needs("SELECT * FROM pragma_table_info('t')"), ["data_read t"]);
    assert_eq!(needs("SELECT arg FROM t"), ["data_read t"]);
}

#[test]
fn drop_index_drop_trigger_reindex_need_schema_update_on_all() {
    assert_eq!(needs("DROP INDEX i"), ["schema_update *"]);
    assert_eq!(needs("DROP TRIGGER IF EXISTS g"), ["schema_update *"]);
    assert_eq!(needs("REINDEX i"), ["schema_update *"]);
    assert_eq!(needs("REINDEX"), ["admin *"]);
    assert_eq!(needs("DROP INDEX aux.i"), ["admin *"]);
}

#[test]
fn alter_table_needs_schema_update_and_rename_to_schema_add() {
    assert_eq!(needs("ALTER TABLE t RENAME TO u"), ["schema_update t", "schema_add u"]);
    assert_eq!(needs("ALTER TABLE t RENAME COLUMN a TO b"), ["schema_update t"]);
    assert_eq!(needs("ALTER TABLE t ADD COLUMN c"), ["schema_update t"]);
    assert_eq!(needs("ALTER TABLE t DROP COLUMN c"), ["schema_update t"]);
}

#[test]
fn analyze_needs_schema_update() {
    assert_eq!(needs("ANALYZE main.t"), ["schema_update t"]);
    assert_eq!(needs("ANALYZE main"), ["schema_update *"]);
    assert_eq!(needs("ANALYZE"), ["admin *"]);
}

#[test]
fn transactions_and_constant_selects_need_nothing() {
    for sql in [
        "BEGIN",
        "COMMIT",
        "END",
        "ROLLBACK",
        "SAVEPOINT s",
        "RELEASE s",
        "ROLLBACK TO s",
        "SELECT 1",
        "VALUES (1)",
    ] {
        assert_eq!(needs(sql), Vec::<String>::new(), "{sql}");
    }
}

#[test]
fn reads_of_sqlite_master_are_reads_of_system_tables() {
    let analysis = analyze("SELECT * FROM sqlite_schema");
    assert!(
        matches!(&analysis.statements[0].needs[..], [Need::Table { table, .. }] if table.is_system_table())
    );
}

#[test]
fn json_each_and_table_valued_functions_need_nothing() {
    assert_eq!(needs("SELECT * FROM json_each('[1]'), json_tree('{}')"), Vec::<String>::new());
    assert_eq!(needs("SELECT * FROM json_each((SELECT b FROM t))"), ["data_read t"]);
}

#[test]
fn metadata_pragmas_need_data_read_of_the_named_table() {
    assert_eq!(needs("PRAGMA table_info(t)"), ["data_read t"]);
    assert_eq!(needs("PRAGMA temp.table_info('t')"), ["data_read temp.t"]);
    assert_eq!(needs("SELECT * FROM pragma_table_info('t')"), ["data_read t"]);
    assert_eq!(needs("PRAGMA user_version"), Vec::<String>::new());
    assert_eq!(needs("PRAGMA index_info(i)"), ["data_read *"]);
}

#[test]
fn pragma_setters_are_admin() {
    assert_eq!(needs("PRAGMA user_version = 3"), ["admin *"]);
    assert_eq!(needs("PRAGMA journal_mode(wal)"), ["admin *"]);
    assert_eq!(needs("PRAGMA optimize"), ["admin *"]);
}

#[test]
fn attach_needs_an_attach_grant_detach_is_admin_attached_schemas_are_their_own() {
    assert_eq!(needs("ATTACH 'aux' AS aux"), ["attach aux"]);
    assert_eq!(needs("ATTACH 'aux' AS other"), ["admin *"]);
    assert_eq!(needs("DETACH aux"), ["admin *"]);
    assert_eq!(needs("SELECT * FROM aux.t"), ["data_read aux.t"]);
}

#[test]
fn vacuum_is_admin() {
    assert_eq!(needs("VACUUM"), ["admin *"]);
    assert_eq!(needs("VACUUM INTO 'x'"), ["admin *"]);
}

#[test]
fn load_extension_fts3_tokenizer_dbstat_sqlite_dbpage_sqlite_stmt_are_admin() {
    for sql in [
        "SELECT load_extension('x')",
        "SELECT \"FTS3_TOKENIZER\"('x')",
        "SELECT * FROM dbstat",
        "SELECT * FROM main.sqlite_dbpage",
        "SELECT * FROM sqlite_stmt",
        "DELETE FROM sqlite_dbpage",
    ] {
        assert!(needs(sql).contains(&"admin *".to_owned()), "{sql}");
    }
}

#[test]
fn explain_needs_what_the_inner_statement_needs() {
    assert_eq!(needs("EXPLAIN DELETE FROM t"), ["data_delete t"]);
    assert_eq!(needs("EXPLAIN QUERY PLAN SELECT * FROM t"), ["data_read t"]);
    assert_eq!(analyze("EXPLAIN DELETE FROM t").statements[0].kind, StatementKind::Delete);
}

#[test]
fn transaction_statements_have_the_kind_a_gateway_runs_them_by() {
    let kinds = |sql: &str| -> Vec<StatementKind> {
        analyze(sql).statements.iter().map(|statement| statement.kind).collect()
    };
    use StatementKind::{Begin, BeginReadonly, Commit, Release, Rollback, RollbackTo, Savepoint};
    assert_eq!(
        kinds("BEGIN; BEGIN IMMEDIATE TRANSACTION; BEGIN DEFERRED TRANSACTION ReadOnly"),
        [Begin, Begin, BeginReadonly]
    );
    // A quoted name is a name, as libSQL reads it; any other name changes nothing.
    assert_eq!(kinds(r#"BEGIN TRANSACTION "READONLY"; BEGIN TRANSACTION t"#), [Begin, Begin]);
    assert_eq!(kinds("COMMIT; END TRANSACTION; ROLLBACK TRANSACTION"), [Commit, Commit, Rollback]);
    assert_eq!(
        kinds("SAVEPOINT a; ROLLBACK TO a; ROLLBACK TRANSACTION TO SAVEPOINT a; RELEASE a"),
        [Savepoint, RollbackTo, RollbackTo, Release]
    );
    assert!(analyze("BEGIN READONLY").error.is_some());
}

#[test]
fn anything_that_does_not_parse_is_an_error_with_a_position() {
    let analysis = analyze("SELECT 1;\nSELECT * FROM");
    let parse = analysis.error.expect("error");
    assert_eq!(parse.code, ErrorCode::SqlParse);
    assert!(parse.message.contains("line 2"), "{}", parse.message);
    assert_eq!(error("ALTER TABLE t ALTER COLUMN a SET NOT NULL"), ErrorCode::SqlUnsupported);
}

#[test]
fn multiple_statements_are_each_analysed_with_their_own_text() {
    let analysis = analyze("SELECT 1; DROP TABLE t -- bye\n;");
    let texts: Vec<&str> = analysis.statements.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(texts, ["SELECT 1", "DROP TABLE t -- bye"]);
    assert_eq!(analysis.statements[1].kind, StatementKind::DropTable);
}

#[test]
fn a_statement_span_is_where_its_text_is() {
    let spans = |sql: &str| -> Vec<(usize, usize)> {
        analyze(sql).statements.into_iter().map(|s| (s.span.start, s.span.end)).collect()
    };
    assert_eq!(spans("SELECT 1"), [(0, 8)]);
    assert_eq!(spans(" ;\n SELECT 1 ;; DROP TABLE t -- bye\n;"), [(4, 12), (16, 35)]);
    // A final comment left open is closed for the parser, not in the text.
    assert_eq!(spans("SELECT 1; SELECT 'é' /* open"), [(0, 8), (10, 29)]);
    let open = analyze("SELECT ? /* open ?");
    assert_eq!(open.error, None);
    assert_eq!(open.statements[0].parameters, [None]);
}

#[test]
fn an_empty_input_has_no_statement_and_no_error() {
    for sql in ["", "  \n", "-- c", "/* c */", ";;", "/* open"] {
        let analysis = analyze(sql);
        assert_eq!(analysis.error, None, "{sql:?}");
        assert!(analysis.statements.is_empty(), "{sql:?}");
    }
}

#[test]
fn identifiers_are_dequoted_in_every_style() {
    for sql in [
        "SELECT * FROM \"s\"\"x\"",
        "SELECT * FROM [s\"x]",
        "SELECT * FROM `s\"x`",
        "SELECT * FROM 's\"x'",
    ] {
        assert_eq!(needs(sql), ["data_read s\"x"], "{sql}");
    }
}

#[test]
fn analysis_serializes_in_camel_case() {
    let json = serde_json::to_value(analyze("PRAGMA x = 1")).expect("json");
    assert_eq!(
        json,
        serde_json::json!({"statements": [{"sql": "PRAGMA x = 1", "kind": "pragma",
            "needs": [{"table": "*", "action": "admin", "reason": "PRAGMA x"}],
            "parameters": []}]})
    );
    let json = serde_json::to_value(analyze("SELECT")).expect("json");
    assert_eq!(json["error"]["code"], "ERR_SQL_PARSE");
}

// Limits: each just under and just over, and the stack never overflows.

#[test]
fn input_over_max_sql_bytes_is_too_large() {
    let sql = format!("SELECT 1{}", " ".repeat(MAX_SQL_BYTES - 8));
    assert_eq!(analyze(&sql).error, None);
    assert_eq!(error(&format!("{sql} ")), ErrorCode::SqlTooLarge);
}

#[test]
fn more_than_max_statements_is_too_large() {
    assert_eq!(analyze(&"SELECT 1;".repeat(MAX_STATEMENTS)).statements.len(), MAX_STATEMENTS);
    assert_eq!(error(&"SELECT 1;".repeat(MAX_STATEMENTS + 1)), ErrorCode::SqlTooLarge);
}

#[test]
fn identifier_over_max_identifier_bytes_is_too_large() {
    let name = "x".repeat(MAX_IDENTIFIER_BYTES);
    assert_eq!(needs(&format!("SELECT * FROM {name}")).len(), 1);
    assert_eq!(needs(&format!("SELECT * FROM \"{name}\"")).len(), 1);
    let long = "x".repeat(MAX_IDENTIFIER_BYTES + 1);
    for sql in [
        format!("SELECT * FROM {long}"),
        format!("SELECT * FROM \"{long}\""),
        format!("SELECT * FROM [{long}]"),
        format!("SELECT * FROM `{long}`"),
        format!("SELECT * FROM '{long}'"),
    ] {
        assert_eq!(error(&sql), ErrorCode::SqlTooLarge);
    }
}

/// Issue 13, finding 1: SQLite's tokenizer skips U+FEFF as a space where a token
/// starts; the parser made it part of the name, so `\u{feff}secrets` was a table nobody
/// has (or the name of a CTE) while SQLite read `secrets`.
#[test]
fn a_byte_order_mark_outside_strings_and_quoted_names_is_unsupported() {
    for sql in [
        "WITH \"\u{feff}secret\" AS (SELECT 1) SELECT * FROM \u{feff}secret",
        "SELECT \u{feff}load_extension('/tmp/evil')",
        "SELECT \u{feff}fts3_tokenizer('simple')",
        "SELECT * FROM \u{feff}dbstat",
        "UPDATE \u{feff}sqlite_dbpage SET data = zeroblob(4096) WHERE pgno = 1",
        "\u{feff}SELECT 1",
        "SELECT 1\u{feff}",
        "SELECT * FROM se\u{feff}crets",
        "SELECT 1; \u{feff}DELETE FROM secrets",
    ] {
        assert_eq!(error(sql), ErrorCode::SqlUnsupported, "{sql}");
    }
    // Where both read it as part of a string or a quoted name.
    assert_eq!(needs("SELECT '\u{feff}' FROM t"), ["data_read t"]);
    assert_eq!(needs("SELECT * FROM \"\u{feff}t\""), ["data_read \u{feff}t"]);
    assert_eq!(needs("SELECT * FROM [\u{feff}t] -- \u{feff}"), ["data_read \u{feff}t"]);
    assert_eq!(needs("SELECT * FROM t /* \u{feff} */"), ["data_read t"]);
}

/// Issue 13, finding 2: SQLite reads `$name(...)` up to the next space or `)` and
/// `::` inside a variable name as one token; in a virtual table's free-form arguments
/// that hid whole statements from the gate.
#[test]
fn tcl_style_variables_are_unsupported() {
    for sql in [
        "CREATE VIRTUAL TABLE IF NOT EXISTS ft USING fts5(a,$b('));DELETE FROM secret;SELECT 1 -- '))",
        "CREATE VIRTUAL TABLE ft USING fts5(a, @b(x), c)",
        "CREATE VIRTUAL TABLE ft USING fts5(a, #b(')'), c)",
        "CREATE VIRTUAL TABLE ft USING fts5(a, :b::c, d)",
        "SELECT $a(b)",
        "SELECT $a::b",
        "SELECT $::a",
        "SELECT :a$b(c)",
    ] {
        assert_eq!(error(sql), ErrorCode::SqlUnsupported, "{sql}");
    }
    // Plain variables of every sigil, and the same characters in strings and names.
    assert_eq!(needs("SELECT $a, @b, :c, #d, ?1, $a$b FROM t"), ["data_read t"]);
    assert_eq!(needs("SELECT '$a(' FROM \"$b::c\""), ["data_read $b::c"]);
}

/// SQLite stops reading at a NUL character; the parser read on, so the two would see
/// different texts.
#[test]
fn a_nul_character_anywhere_is_unsupported() {
    for sql in [
        "SELECT 1\0",
        "SELECT '\0' FROM t",
        "SELECT * FROM \"t\0\"",
        "SELECT 1 -- \0\nFROM t",
        "SELECT 1 /* \0 */",
    ] {
        assert_eq!(error(sql), ErrorCode::SqlUnsupported, "{sql:?}");
    }
}

#[test]
fn deep_nesting_is_too_large_never_a_crash() {
    let parens = format!("SELECT {}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_eq!(error(&parens), ErrorCode::SqlTooLarge);
    let subqueries = format!("SELECT {}1{}", "(SELECT ".repeat(10_000), ")".repeat(10_000));
    assert_eq!(error(&subqueries), ErrorCode::SqlTooLarge);
    let n = (MAX_SQL_BYTES - 100) / "CASE WHEN 1 THEN  END".len();
    let cases = format!("SELECT {}1{}", "CASE WHEN 1 THEN ".repeat(n), " END".repeat(n));
    assert!(cases.len() <= MAX_SQL_BYTES);
    assert_eq!(error(&cases), ErrorCode::SqlTooLarge);
    let chain = format!("SELECT 1 WHERE {}a", "a AND ".repeat(99_999));
    assert_eq!(error(&chain), ErrorCode::SqlTooLarge);
    let nots = format!("SELECT {}1", "NOT ".repeat(200_000));
    assert_eq!(error(&nots), ErrorCode::SqlTooLarge);
    let negations = format!("SELECT {}1", "- ".repeat(400_000));
    assert_eq!(error(&negations), ErrorCode::SqlTooLarge);
    let collates = format!("SELECT 'a'{}", " COLLATE x".repeat(90_000));
    assert_eq!(error(&collates), ErrorCode::SqlTooLarge);
}

#[test]
fn long_runs_of_prefix_operators_are_too_large_before_parsing() {
    // The parser would shift them all (hundreds of MB for 1 MB of input).
    assert_eq!(error(&format!("SELECT {}1", "NOT ".repeat(201))), ErrorCode::SqlTooLarge);
    assert_eq!(error(&format!("SELECT {}1", "- ".repeat(201))), ErrorCode::SqlTooLarge);
    assert_eq!(error(&format!("SELECT {}1", "-/**/+~".repeat(100))), ErrorCode::SqlTooLarge);
    assert_eq!(error(&format!("SELECT {}1", "NOT -- c\n".repeat(201))), ErrorCode::SqlTooLarge);
    assert_eq!(needs(&format!("SELECT {}a FROM t", "NOT - ".repeat(50))), ["data_read t"]);
    assert_eq!(needs("SELECT 1 -- - - -\n FROM t WHERE a IS NOT NULL AND NOT b"), ["data_read t"]);
}

#[test]
fn nesting_within_the_limit_is_analysed() {
    let parens = format!("SELECT {}x{} FROM t", "(".repeat(150), ")".repeat(150));
    assert_eq!(needs(&parens), ["data_read t"]);
    let chain = format!("SELECT 1 FROM t WHERE {}a", "a = 1 OR ".repeat(998));
    assert_eq!(needs(&chain), ["data_read t"]);
}

#[test]
fn many_tables_and_ctes_stay_linear() {
    // Quadratic duplicate checks took 23 s (release) on 45,000 tables before.
    use crate::limits::MAX_SQL_NEEDS;
    let tables: Vec<String> = (0..MAX_SQL_NEEDS).map(|i| format!("t{i}")).collect();
    let sql = format!("SELECT 1 FROM {} JOIN T0", tables.join(" JOIN "));
    let analysis = analyze(&sql);
    assert_eq!(analysis.error, None);
    assert_eq!(analysis.statements[0].needs.len(), MAX_SQL_NEEDS);
    let ctes: Vec<String> =
        (0..MAX_SQL_LIST_ITEMS).map(|i| format!("c{i} AS (SELECT 1 FROM c{})", i + 1)).collect();
    let analysis = analyze(&format!("WITH {} SELECT * FROM C0", ctes.join(", ")));
    assert_eq!(analysis.statements[0].needs.len(), 1, "only c2000 is a table");
}

#[test]
fn depth_limits_just_under_and_just_over() {
    use crate::limits::{MAX_SQL_CHAIN, MAX_SQL_DEPTH};
    // Each level of nesting costs one level of MAX_SQL_DEPTH (a subquery two: the
    // expression and its SELECT); the statement itself takes one.
    let parens = |n: usize| format!("SELECT {}x{} FROM t", "(".repeat(n), ")".repeat(n));
    let subqueries = |n: usize| format!("SELECT {}1{} FROM t", "(SELECT ".repeat(n), ")".repeat(n));
    let cases =
        |n: usize| format!("SELECT {}1{} FROM t", "CASE WHEN 1 THEN ".repeat(n), " END".repeat(n));
    let nots = |n: usize| format!("SELECT {}1 FROM t", "NOT ".repeat(n));
    let from =
        |n: usize| format!("SELECT * FROM {}t{}", "(SELECT * FROM ".repeat(n), ")".repeat(n));
    let chain = |n: usize| format!("SELECT 1 FROM t WHERE {}a", "a OR ".repeat(n - 1));
    for (what, make, under) in [
        ("parentheses", &parens as &dyn Fn(usize) -> String, MAX_SQL_DEPTH - 2),
        ("subqueries", &subqueries, MAX_SQL_DEPTH / 2 - 1),
        ("CASE", &cases, MAX_SQL_DEPTH - 2),
        ("NOT", &nots, MAX_SQL_DEPTH - 2),
        ("FROM subqueries", &from, MAX_SQL_DEPTH / 2 - 1),
        ("operator chain", &chain, MAX_SQL_CHAIN),
    ] {
        let ok = analyze(&make(under));
        assert_eq!(ok.error, None, "{what}: {under} levels");
        assert_eq!(ok.statements.len(), 1);
        let over = analyze(&make(under + 1)).error.expect(what);
        assert_eq!(over.code, ErrorCode::SqlTooLarge, "{what}: {}", over.message);
        assert!(
            over.message.contains("nested deeper") || over.message.contains("terms"),
            "{what}: {}",
            over.message
        );
    }
}

#[test]
fn tokens_per_statement_just_under_and_just_over() {
    // `SELECT 1,1,...,1` has 2n tokens; whitespace and comments are not tokens.
    let list =
        |n: usize| format!("SELECT {}1 /* {} */", "1, -- c\n".repeat(n - 1), "x ".repeat(100));
    assert_eq!(analyze(&list(MAX_SQL_TOKENS / 2)).error, None);
    let over = analyze(&list(MAX_SQL_TOKENS / 2 + 1)).error.expect("over");
    assert_eq!(
        (over.code, over.message.contains("tokens")),
        (ErrorCode::SqlTooLarge, true),
        "{}",
        over.message
    );
    // Per statement: a batch of statements each under the limit is fine.
    let batch = format!("SELECT {}1;", "1,".repeat(MAX_SQL_TOKENS / 2 - 2)).repeat(3);
    assert_eq!(analyze(&batch).statements.len(), 3);
    // 1 MiB of the shapes whose tree is largest per byte: refused before parsing.
    for unit in ["1,", "a,", " JOIN a", "1+", "(1),", "WHEN 1 THEN 1 "] {
        let sql =
            format!("SELECT 1 FROM t WHERE {}", unit.repeat((MAX_SQL_BYTES - 100) / unit.len()));
        assert_eq!(error(&sql), ErrorCode::SqlTooLarge, "{unit}");
    }
}

#[test]
fn huge_valid_asts_are_built_and_dropped_without_recursion() {
    // Wide rather than deep: the largest accepted inputs, analysed and dropped.
    let wide = format!("SELECT {}1 FROM t", "1,".repeat((MAX_SQL_TOKENS - 4) / 2));
    assert_eq!(needs(&wide), ["data_read t"]);
    let values = format!("INSERT INTO t VALUES {}(1)", "(1),".repeat((MAX_SQL_TOKENS - 10) / 4));
    assert_eq!(needs(&values), ["data_add t"]);
    let joins = format!("SELECT 1 FROM t{}", " JOIN t".repeat((MAX_SQL_TOKENS - 4) / 2));
    assert_eq!(needs(&joins), ["data_read t"]);
    // Deep up to the limit in every statement of a full batch.
    let deep = format!("SELECT {}x{} FROM t;", "(".repeat(150), ")".repeat(150));
    let batch = deep.repeat(MAX_STATEMENTS.min(MAX_SQL_BYTES / deep.len()));
    assert!(analyze(&batch).error.is_none());
}

/// `n` distinct names `c0, c1, ...` joined by `separator`, each as `unit` makes it.
fn distinct(n: usize, separator: &str, unit: impl Fn(usize) -> String) -> String {
    (0..n).map(unit).collect::<Vec<_>>().join(separator)
}

#[test]
fn name_lists_just_under_and_just_over() {
    // The lists the parser checks for duplicates name by name (quadratic time).
    // (prefix, suffix, item i)
    type Shape = (&'static str, &'static str, fn(usize) -> String);
    let shapes: [Shape; 6] = [
        ("INSERT INTO t(", ") VALUES (1)", |i| format!("c{i}")),
        ("INSERT INTO t(", ") VALUES (1)", |i| format!("'c{i}'")),
        ("SELECT 1 FROM a JOIN b USING (", ")", |i| format!("\"c{i}\"")),
        ("CREATE TRIGGER r UPDATE OF ", " ON t BEGIN SELECT 1; END", |i| format!("[c{i}]")),
        ("CREATE TABLE t(", ")", |i| format!("c{i} INTEGER NOT NULL CHECK (c{i} > 0)")),
        ("CREATE TABLE t(", ")", |i| format!("c{i} /* comment */ -- and\n")),
    ];
    for (prefix, suffix, unit) in shapes {
        let list = |n| format!("{prefix}{}{suffix}", distinct(n, ", ", unit));
        assert_eq!(analyze(&list(MAX_SQL_LIST_ITEMS)).error, None, "{prefix}");
        let over = analyze(&list(MAX_SQL_LIST_ITEMS + 1)).error.expect("over");
        assert_eq!(
            (over.code, over.message.as_str()),
            (ErrorCode::SqlTooLarge, "more than 2000 names in one list"),
            "{prefix}"
        );
    }
    // Lists the parser reads in linear time stay as long as the token limit allows.
    let long = MAX_SQL_LIST_ITEMS * 10;
    for sql in [
        format!("SELECT 1 FROM t WHERE x IN ({})", distinct(long, ",", |i| format!("'v{i}'"))),
        format!("SELECT 1 FROM t WHERE x NOT IN ({})", distinct(long, ",", |i| format!("c{i}"))),
        format!("INSERT INTO t VALUES {}", distinct(long, ",", |i| format!("('v{i}')"))),
        format!("SELECT {}", distinct(long, ",", |i| format!("{i}"))),
        format!("SELECT {}", distinct(long, ",", |i| format!("?{}", i % 999 + 1))),
    ] {
        assert_eq!(analyze(&sql).error, None, "{}", &sql[..40]);
    }
    // A list interrupted by an item that is not a name starts over; parentheses
    // inside an item do not interrupt it; `;` ends every list.
    let half = MAX_SQL_LIST_ITEMS / 2 + 1;
    let names = distinct(half, ",", |i| format!("c{i}"));
    assert_eq!(analyze(&format!("SELECT {names}, 1, {names} FROM t")).error, None);
    let with_parens = distinct(half, ",", |i| format!("c{i} DEFAULT (1) CHECK (f(1, 2))"));
    assert_eq!(
        error(&format!("CREATE TABLE t({with_parens}, {with_parens})")),
        ErrorCode::SqlTooLarge
    );
    assert_eq!(analyze(&format!("SELECT {names} FROM t; SELECT {names} FROM t")).error, None);
}

#[test]
fn needs_per_text_just_under_and_just_over() {
    use crate::limits::MAX_SQL_NEEDS;
    // One statement with MAX_SQL_NEEDS distinct tables, or statements that together
    // have that many (needs are told apart within a statement only).
    let tables = |n| format!("SELECT 1 FROM {}", distinct(n, " JOIN ", |i| format!("t{i}")));
    assert_eq!(analyze(&tables(MAX_SQL_NEEDS)).statements[0].needs.len(), MAX_SQL_NEEDS);
    let over = analyze(&tables(MAX_SQL_NEEDS + 1)).error.expect("over");
    assert_eq!(
        (over.code, over.message.as_str()),
        (ErrorCode::SqlTooLarge, "more than 10000 needs (tables and actions) in one SQL text")
    );
    let per_statement = MAX_SQL_NEEDS / MAX_STATEMENTS;
    let batch = vec![tables(per_statement); MAX_STATEMENTS].join(";");
    assert_eq!(analyze(&batch).error, None);
    let over = analyze(&format!("{batch}; SELECT 1 FROM one_more")).error.expect("over");
    assert_eq!(over.code, ErrorCode::SqlTooLarge);
    // The same need many times is one need.
    let same = format!("SELECT 1 FROM {}", vec!["t"; MAX_SQL_NEEDS * 2].join(" JOIN "));
    assert_eq!(needs(&same), ["data_read t"]);
}

#[test]
fn trigger_body_writes_name_their_target_bare_as_sqlite_requires() {
    // SQLite's grammar has no schema and no alias on a trigger body's write target; the
    // parser takes both, so the gate refuses them as SQLite does (found by fuzzing).
    for body in [
        "UPDATE lo AS g SET msg = 'x'",
        "UPDATE main.lo SET msg = 'x'",
        "DELETE FROM aux.lo",
        "DELETE FROM lo AS x",
        "INSERT INTO temp.lo VALUES (1)",
        "INSERT INTO lo AS x VALUES (1)",
    ] {
        let sql = format!("CREATE TRIGGER g AFTER INSERT ON t BEGIN {body}; END");
        assert_eq!(error(&sql), ErrorCode::SqlParse, "{body}");
    }
    assert_eq!(
        needs("CREATE TRIGGER g AFTER INSERT ON t BEGIN UPDATE lo SET msg = 'x'; END"),
        ["schema_update t", "data_update lo"]
    );
}
