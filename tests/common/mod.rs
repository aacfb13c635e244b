//! Shared by the differential and fuzz tests: SQLite as the oracle (its authorizer,
//! mapped to the spec's actions), the grants the tests judge with, and the corpus.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use libsql_authz::grant::{AccessLevel, Grant};
use libsql_authz::permissions::{Action, Rule, Schema, TableName};
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::Connection;

/// The schema every statement is compiled against (foreign keys off, no views or
/// triggers).
pub const SCHEMA: &str = "
    PRAGMA foreign_keys = OFF;
    CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c REAL);
    CREATE UNIQUE INDEX t_b ON t(b);
    CREATE TABLE u (id INTEGER PRIMARY KEY AUTOINCREMENT, a INT, b TEXT, x INT);
    CREATE TABLE v (x INT UNIQUE, y TEXT);
    CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, body TEXT);
    CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INT REFERENCES posts(id), body TEXT);
    CREATE INDEX comments_post ON comments(post_id);
    CREATE TABLE secrets (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
    CREATE TABLE log (msg TEXT);
    CREATE TABLE \"Mixed Case\" (\"a b\" INT);
    CREATE TABLE \"select\" (\"from\" INT);
    INSERT INTO t VALUES (1, 'one', 1.5), (2, 'two', 2.5);
    INSERT INTO u (a, b, x) VALUES (1, 'x', 1), (2, 'y', 2);
    INSERT INTO v VALUES (1, 'v');
    INSERT INTO posts VALUES (1, 'title', 'body');
    INSERT INTO comments VALUES (1, 1, 'comment');
    INSERT INTO secrets VALUES ('k', 'secret value');
    INSERT INTO log VALUES ('started');
";

/// A temporary table, present only for grants that may create one (temp objects are
/// the connection's own).
pub const TEMP: &str = "
    CREATE TEMP TABLE tt (a INT, b INT);
";

/// The attached database, present only for grants that may attach it.
pub const AUX: &str = "
    ATTACH ':memory:' AS aux;
    CREATE TABLE aux.w (a INT, b INT);
";

/// What the spec says a callback needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Table(TableName, Action),
    All(Action),
    Admin(String),
    Attach(String),
}

fn schema(db: Option<&str>) -> Schema {
    Schema::from_prefix(db.unwrap_or("main"))
}

fn is_internal_table(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "sqlite_master"
        || n == "sqlite_temp_master"
        || n == "sqlite_schema"
        || n == "sqlite_temp_schema"
}

/// An opened database with the schema and the authorizer recording callbacks.
pub struct Oracle {
    pub conn: Connection,
    pub log: Arc<Mutex<Vec<String>>>,
    accesses: Arc<Mutex<Vec<Access>>>,
    /// Tables a DDL callback is about (the created or analysed table).
    subjects: Arc<Mutex<Vec<TableName>>>,
    /// Reads of a `FROM` term no column of which is used: SQLite reports them by the
    /// name as written (no schema), which may be a CTE's.
    unused_terms: Arc<Mutex<Vec<Access>>>,
}

impl Oracle {
    /// With `aux` attached when `with_aux` (a database is attached only by a token
    /// allowed to attach it), `temp.tt` when `with_temp` (only a token allowed to
    /// create temp tables has them).
    pub fn new(with_aux: bool, with_temp: bool) -> Oracle {
        let conn = Connection::open_in_memory().expect("open");
        conn.execute_batch(SCHEMA).expect("schema");
        if with_temp {
            conn.execute_batch(TEMP).expect("temp");
        }
        if with_aux {
            conn.execute_batch(AUX).expect("aux");
        }
        // The tables and views of each schema, read before the authorizer is set.
        let tables = objects(&conn);
        let accesses = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::new(Mutex::new(Vec::new()));
        let subjects = Arc::new(Mutex::new(Vec::new()));
        let unused_terms = Arc::new(Mutex::new(Vec::new()));
        let (acc, lg, sub, unused) =
            (accesses.clone(), log.clone(), subjects.clone(), unused_terms.clone());
        conn.authorizer(Some(move |ctx: AuthContext<'_>| {
            lg.lock().unwrap().push(format!("{:?} db={:?}", ctx.action, ctx.database_name));
            if let Some(subject) = subject(&ctx) {
                sub.lock().unwrap().push(subject);
            }
            match (map(&ctx), &ctx.action) {
                // SQLite also reports reads of a CTE or a subquery in an `UPDATE ...
                // FROM` under its name: no table's.
                (Some(Access::Table(table, _)), AuthAction::Read { .. })
                    if !table.is_system_table()
                        && !tables.iter().any(|t| {
                            t.name.eq_ignore_ascii_case(&table.name)
                                && (ctx.database_name.is_none() || t.schema == table.schema)
                        }) => {}
                (Some(access), AuthAction::Read { column_name: "", .. })
                    if ctx.database_name.is_none() =>
                {
                    unused.lock().unwrap().push(access)
                }
                (Some(access), _) => acc.lock().unwrap().push(access),
                (None, _) => {}
            }
            Authorization::Allow
        }));
        Oracle { conn, log, accesses, subjects, unused_terms }
    }

    /// Compiles every statement of `sql` without running it. `Ok(accesses)` or the
    /// error message of the first statement SQLite cannot compile.
    pub fn compile(&self, sql: &str) -> Result<Vec<Access>, String> {
        self.compile_counting(sql).map(|(accesses, _)| accesses)
    }

    /// As [`Oracle::compile`], with the number of statements SQLite prepared.
    pub fn compile_counting(&self, sql: &str) -> Result<(Vec<Access>, usize), String> {
        let mut count = 0usize;
        self.clear();
        let mut batch = rusqlite::Batch::new(&self.conn, sql);
        loop {
            match batch.next() {
                Ok(Some(_statement)) => count += 1,
                Ok(None) => break,
                Err(rusqlite::Error::SqlInputError { msg, .. }) => return Err(msg),
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok((self.reported(sql), count))
    }

    /// Runs every statement of `sql` to completion (or to the first error), then reads
    /// every table and view it created, recording what the authorizer reports all the
    /// while: the callbacks only running code sees (a virtual table's own SQL, a
    /// function an option names) as well as those of preparing. Accesses to the objects
    /// the text created (and their shadow tables) are left out: the token made them.
    /// For a fresh oracle from [`Oracle::scratch`] only: it changes the database.
    pub fn run(&self, sql: &str) -> Run {
        let before = self.objects();
        self.clear();
        let mut error = None;
        let mut batch = rusqlite::Batch::new(&self.conn, sql);
        loop {
            match batch.next() {
                Ok(Some(mut statement)) => {
                    if let Err(e) = step_all(&mut statement) {
                        error = Some(e.to_string());
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    error = Some(e.to_string());
                    break;
                }
            }
        }
        let mut accesses = self.reported(sql);
        let created: Vec<TableName> =
            self.objects().into_iter().filter(|o| !before.contains(o)).collect();
        for table in &created {
            self.clear();
            let schema = match &table.schema {
                Schema::Main => "main".to_owned(),
                Schema::Temp => "temp".to_owned(),
                Schema::Attached(db) => db.clone(),
            };
            let read = format!(
                "SELECT * FROM \"{}\".\"{}\"",
                schema.replace('"', "\"\""),
                table.name.replace('"', "\"\"")
            );
            if let Ok(mut statement) = self.conn.prepare(&read) {
                let _ = step_all(&mut statement);
            }
            accesses.extend(self.reported(&read));
        }
        // (A temp index or trigger callback is mapped to `main` unless its table is `tt`,
        // see `map`: a created temp table's shadow indexes are the text's own too.)
        let temp_twin = |table: &TableName| TableName::new(Schema::Temp, table.name.clone());
        accesses.retain(|access| match access {
            Access::Table(table, action) => {
                !(created.contains(table)
                    || (*action == Action::SchemaUpdate && created.contains(&temp_twin(table))))
            }
            Access::All(_) | Access::Admin(_) | Access::Attach(_) => true,
        });
        Run { accesses, error }
    }

    /// A fresh world for [`Oracle::run`]: no attaching (the text cannot reach files),
    /// bounded lengths, and statements interrupted after about 10 million steps.
    pub fn scratch(with_aux: bool, with_temp: bool) -> Oracle {
        let oracle = Oracle::new(with_aux, with_temp);
        oracle.conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_ATTACHED, i32::from(with_aux));
        oracle.conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, 1 << 20);
        let mut steps = 0u32;
        oracle.conn.progress_handler(
            1000,
            Some(move || {
                steps += 1;
                steps > 10_000
            }),
        );
        oracle
    }

    /// [`objects`], without recording what reading them reports.
    fn objects(&self) -> Vec<TableName> {
        let objects = objects(&self.conn);
        self.clear();
        objects
    }

    fn clear(&self) {
        self.accesses.lock().unwrap().clear();
        self.subjects.lock().unwrap().clear();
        self.unused_terms.lock().unwrap().clear();
        self.log.lock().unwrap().clear();
    }

    /// What the callbacks since [`Oracle::clear`] need, SQLite's own side effects left
    /// out.
    fn reported(&self, sql: &str) -> Vec<Access> {
        // SQLite's own side effects of DDL (spec: never asked of the caller): reads
        // and deletes of the table being created or analysed, and its bookkeeping
        // tables (`sqlite_sequence`, `sqlite_stat*`).
        let subjects = self.subjects.lock().unwrap().clone();
        let mut accesses = self.accesses.lock().unwrap().clone();
        // An unused FROM term named like a CTE of the text may be that CTE (SQLite's
        // report cannot tell): it is left out; any other is a read of the table.
        accesses.extend(
            self.unused_terms
                .lock()
                .unwrap()
                .iter()
                .filter(|access| match access {
                    Access::Table(table, _) => !defines_cte(sql, &table.name),
                    Access::All(_) | Access::Admin(_) | Access::Attach(_) => true,
                })
                .cloned(),
        );
        let log = self.log.lock().unwrap().clone();
        let ddl = ["Create", "Drop", "Alter", "Analyze"]
            .iter()
            .any(|kind| log.iter().any(|line| line.starts_with(kind)));
        let creates_index =
            log.iter().any(|l| l.contains("CreateIndex") || l.contains("CreateTempIndex"));
        accesses
            .into_iter()
            .filter(|access| match access {
                Access::Table(table, action) => {
                    let name = table.name.to_ascii_lowercase();
                    !(ddl && (name == "sqlite_sequence" || name.starts_with("sqlite_stat")))
                        && !(matches!(action, Action::DataRead | Action::DataDelete)
                            && subjects.contains(table))
                }
                // Creating an index authorizes reindexing it.
                Access::All(Action::SchemaUpdate) => !creates_index,
                Access::All(_) | Access::Admin(_) | Access::Attach(_) => true,
            })
            .collect()
    }
}

/// The tables and views of every schema of `conn` (shadow tables included).
fn objects(conn: &Connection) -> Vec<TableName> {
    let mut schemas = vec![("main".to_owned(), Schema::Main), ("temp".to_owned(), Schema::Temp)];
    let mut list = conn.prepare("SELECT name FROM pragma_database_list").expect("databases");
    let names = list.query_map([], |row| row.get::<_, String>(0)).expect("databases");
    for name in names.flatten() {
        if name != "main" && name != "temp" {
            schemas.push((name.clone(), Schema::Attached(name.to_ascii_lowercase())));
        }
    }
    let mut objects = Vec::new();
    for (name, schema) in schemas {
        let sql =
            format!("SELECT name FROM \"{name}\".sqlite_schema WHERE type IN ('table', 'view')");
        let mut statement = conn.prepare(&sql).expect("schema names");
        let names = statement.query_map([], |row| row.get::<_, String>(0)).expect("names");
        objects.extend(names.map(|n| TableName::new(schema.clone(), n.expect("name"))));
    }
    objects
}

/// What [`Oracle::run`] saw.
pub struct Run {
    /// What the authorizer reported, mapped to the spec's actions.
    pub accesses: Vec<Access>,
    /// The error that stopped the text, if one did (the accesses before it count).
    pub error: Option<String>,
}

/// Steps `statement` until it is done.
fn step_all(statement: &mut rusqlite::Statement<'_>) -> rusqlite::Result<()> {
    let mut rows = statement.raw_query();
    while rows.next()?.is_some() {}
    Ok(())
}

/// Whether `sql` defines a CTE named `name` (`name [(columns)] AS [NOT]
/// [MATERIALIZED] (`), by a plain text search.
fn defines_cte(sql: &str, name: &str) -> bool {
    let lower = sql.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    lower.match_indices(&name).any(|(at, _)| {
        if is_word(lower[..at].chars().next_back()) {
            return false;
        }
        let mut rest = lower[at + name.len()..].trim_start_matches(['"', '`', ']', '\'']);
        if is_word(rest.chars().next()) {
            return false;
        }
        rest = rest.trim_start();
        if rest.starts_with('(') {
            rest = rest.find(')').map_or("", |end| &rest[end + 1..]).trim_start();
        }
        rest.strip_prefix("as")
            .is_some_and(|after| after.starts_with(|c: char| c.is_whitespace() || c == '('))
    })
}

/// Whether an error message from SQLite is a syntax error (as opposed to a schema
/// error such as "no such table").
pub fn is_syntax_error(message: &str) -> bool {
    message.ends_with("syntax error")
        || message.starts_with("unrecognized token")
        || message.starts_with("incomplete input")
}

fn table(db: Option<&str>, name: &str, action: Action) -> Option<Access> {
    let lower = name.to_ascii_lowercase();
    if ["dbstat", "sqlite_dbpage", "sqlite_stmt"].contains(&lower.as_str()) {
        return Some(Access::Admin(lower));
    }
    if ["json_each", "json_tree", "jsonb_each", "jsonb_tree", "generate_series"]
        .contains(&lower.as_str())
        || lower.starts_with("pragma_")
    {
        return None;
    }
    Some(Access::Table(TableName::new(schema(db), name), action))
}

/// The table a `CREATE TABLE` or `ANALYZE` callback is about: SQLite's own reads of
/// it (an empty new table; the statistics ANALYZE gathers) are never asked of the
/// caller. The reads of `CREATE INDEX`, `ALTER TABLE ... ADD COLUMN` and the deletes of
/// `DROP TABLE` / `DROP VIEW` are (issue 13): they are kept.
fn subject(ctx: &AuthContext<'_>) -> Option<TableName> {
    let db = ctx.database_name;
    match ctx.action {
        AuthAction::CreateTable { table_name } | AuthAction::Analyze { table_name } => {
            Some(TableName::new(schema(db), table_name))
        }
        AuthAction::CreateTempTable { table_name } => {
            Some(TableName::new(Schema::Temp, table_name))
        }
        _ => None,
    }
}

/// The spec's mapping from one authorizer callback to what it needs.
fn map(ctx: &AuthContext<'_>) -> Option<Access> {
    let db = ctx.database_name;
    match ctx.action {
        AuthAction::Read { table_name, .. } => table(db, table_name, Action::DataRead),
        // SQLite's own bookkeeping writes (schema table, sequences, statistics) are
        // never asked of the caller.
        AuthAction::Insert { table_name }
        | AuthAction::Update { table_name, .. }
        | AuthAction::Delete { table_name }
            if is_internal_table(table_name) =>
        {
            None
        }
        AuthAction::Insert { table_name } => table(db, table_name, Action::DataAdd),
        AuthAction::Update { table_name, .. } => table(db, table_name, Action::DataUpdate),
        AuthAction::Delete { table_name } => table(db, table_name, Action::DataDelete),
        AuthAction::CreateTable { table_name }
        | AuthAction::CreateView { view_name: table_name } => {
            table(db, table_name, Action::SchemaAdd)
        }
        AuthAction::CreateTempTable { table_name }
        | AuthAction::CreateTempView { view_name: table_name } => {
            Some(Access::Table(TableName::new(Schema::Temp, table_name), Action::SchemaAdd))
        }
        AuthAction::CreateVtable { table_name, module_name } => {
            if ["dbstat", "sqlite_dbpage", "sqlite_stmt"]
                .contains(&module_name.to_ascii_lowercase().as_str())
            {
                return Some(Access::Admin(module_name.to_owned()));
            }
            table(db, table_name, Action::SchemaAdd)
        }
        // A new table's automatic indexes (for its `PRIMARY KEY` and `UNIQUE`
        // constraints) are part of making it.
        AuthAction::CreateIndex { index_name, .. }
        | AuthAction::CreateTempIndex { index_name, .. }
            if index_name.starts_with("sqlite_autoindex_") =>
        {
            None
        }
        AuthAction::CreateIndex { table_name, .. }
        | AuthAction::CreateTrigger { table_name, .. }
        | AuthAction::DropIndex { table_name, .. }
        | AuthAction::DropTrigger { table_name, .. } => table(db, table_name, Action::SchemaUpdate),
        AuthAction::CreateTempIndex { table_name, .. }
        | AuthAction::DropTempIndex { table_name, .. }
        | AuthAction::CreateTempTrigger { table_name, .. }
        | AuthAction::DropTempTrigger { table_name, .. } => {
            // A temp trigger or index may be on a main table.
            let schema =
                if table_name.eq_ignore_ascii_case("tt") { Schema::Temp } else { Schema::Main };
            Some(Access::Table(TableName::new(schema, table_name), Action::SchemaUpdate))
        }
        AuthAction::DropTable { table_name }
        | AuthAction::DropView { view_name: table_name }
        | AuthAction::DropVtable { table_name, .. } => table(db, table_name, Action::SchemaDelete),
        AuthAction::DropTempTable { table_name }
        | AuthAction::DropTempView { view_name: table_name } => {
            Some(Access::Table(TableName::new(Schema::Temp, table_name), Action::SchemaDelete))
        }
        AuthAction::AlterTable { database_name, table_name } => {
            table(Some(database_name), table_name, Action::SchemaUpdate)
        }
        AuthAction::Analyze { table_name } => table(db, table_name, Action::SchemaUpdate),
        AuthAction::Reindex { .. } => Some(Access::All(Action::SchemaUpdate)),
        AuthAction::Pragma { pragma_name, pragma_value } => pragma(db, pragma_name, pragma_value),
        AuthAction::Function { function_name } => {
            let f = function_name.to_ascii_lowercase();
            (f == "load_extension" || f == "fts3_tokenizer").then_some(Access::Admin(f))
        }
        AuthAction::Attach { filename } => Some(Access::Attach(filename.to_owned())),
        AuthAction::Detach { .. } => Some(Access::Admin("detach".into())),
        AuthAction::Select
        | AuthAction::Transaction { .. }
        | AuthAction::Savepoint { .. }
        | AuthAction::Recursive => None,
        _ => Some(Access::Admin(format!("unknown callback {:?}", ctx.action))),
    }
}

fn pragma(db: Option<&str>, name: &str, value: Option<&str>) -> Option<Access> {
    let name = name.to_ascii_lowercase();
    match (name.as_str(), value) {
        ("integrity_check" | "quick_check" | "foreign_key_check", _) => {
            Some(Access::All(Action::DataRead))
        }
        ("table_info" | "table_xinfo" | "index_list" | "foreign_key_list", Some(t)) => {
            table(db, t, Action::DataRead)
        }
        ("index_info" | "index_xinfo", Some(_)) => Some(Access::All(Action::DataRead)),
        (_, None) => None,
        (_, Some(_)) => Some(Access::Admin(format!("pragma {name} setter"))),
    }
}

/// Whether `grant` allows an oracle access.
pub fn allows(grant: &Grant, access: &Access) -> bool {
    match access {
        Access::Table(table, action) => grant.allows(table, *action),
        Access::All(action) => grant.allows_all_tables(*action),
        Access::Admin(_) => grant.is_admin(),
        Access::Attach(db) => grant.allows_attach(db),
    }
}

/// A grant of `access` with rules in the CLI form (none at all when empty) and the
/// databases it may attach.
pub fn grant(access: AccessLevel, rules: &[&str], attach: &[(&str, AccessLevel)]) -> Grant {
    let mut grant = Grant::new(access);
    if !rules.is_empty() {
        grant = grant.with_rules(rules.iter().map(|r| Rule::parse_cli(r).expect("rule")));
    }
    for (namespace, access) in attach {
        grant = grant.with_attach(*namespace, *access);
    }
    Grant { database: Some("db".into()), ..grant }
}

/// The grants every statement is judged with, with a label.
pub fn grants() -> Vec<(&'static str, Grant)> {
    use AccessLevel::{Full, ReadOnly};
    vec![
        ("full", grant(Full, &[], &[])),
        ("read-only", grant(ReadOnly, &[], &[])),
        ("all:data_read", grant(Full, &["all:data_read"], &[])),
        // May create tables and write them, but is no admin (issue 21).
        (
            "all:data_read,data_add,schema_add",
            grant(Full, &["all:data_read,data_add,schema_add"], &[]),
        ),
        // Reads and writes the full-text table `f` it makes, nothing else (issue 21).
        ("f:data_read,data_add,schema_add", grant(Full, &["f:data_read,data_add,schema_add"], &[])),
        ("t:data_read", grant(Full, &["t:data_read"], &[])),
        (
            "t:data_read,data_add",
            grant(Full, &["t:data_read,data_add"], &[]),
        ),
        (
            "t:data_update,data_read",
            grant(Full, &["t:data_update,data_read"], &[]),
        ),
        (
            "t:data_delete,data_add",
            grant(Full, &["t:data_delete,data_add"], &[]),
        ),
        (
            "all:data_read + comments:write",
            grant(
                Full,
                &["all:data_read", "comments:data_add,data_update,data_delete"],
                &[],
            ),
        ),
        (
            "all:schema_*",
            grant(Full, &["all:schema_add,schema_update,schema_delete"], &[]),
        ),
        (
            "t:schema_update,schema_add + u:data_read",
            grant(Full, &["t:schema_update,schema_add", "u:data_read"], &[]),
        ),
        (
            "all:data_*",
            grant(
                Full,
                &["all:data_read,data_add,data_update,data_delete"],
                &[],
            ),
        ),
        (
            "posts,comments:data_read",
            grant(Full, &["posts,comments:data_read"], &[]),
        ),
        (
            "all:data_read + rwa aux",
            grant(Full, &["all:data_read"], &[("aux", Full)]),
        ),
        (
            "read-only + roa aux",
            grant(ReadOnly, &[], &[("aux", ReadOnly)]),
        ),
        (
            "t,log,tt:data_update,data_delete + secrets:data_read",
            grant(
                Full,
                &["t,log,tt:data_update,data_delete", "secrets:data_read"],
                &[],
            ),
        ),
        ("t,log:data_add", grant(Full, &["t,log:data_add"], &[])),
        (
            "everything but secrets: data_read",
            grant(Full, &["t,u,v,posts,comments,log,\"Mixed Case\",select,sqlite_sequence:data_read"], &[]),
        ),
        (
            "everything but secrets: data_*",
            grant(
                Full,
                &["t,u,v,posts,comments,log,\"Mixed Case\",select,sqlite_sequence:data_read,data_add,data_update,data_delete"],
                &[],
            ),
        ),
        (
            "everything but secrets: all actions",
            grant(
                Full,
                &["t,u,v,posts,comments,log,\"Mixed Case\",select:data_read,data_add,data_update,data_delete,schema_add,schema_update,schema_delete"],
                &[],
            ),
        ),
        (
            "all:data_* + roa aux",
            grant(
                Full,
                &["all:data_read,data_add,data_update,data_delete"],
                &[("aux", ReadOnly)],
            ),
        ),
        (
            "u,log:data_add,data_read + t:schema_update",
            grant(Full, &["u,log:data_add,data_read", "t:schema_update"], &[]),
        ),
    ]
}

/// Every corpus entry: one per line of `tests/corpus/*.sql`; `\n` in a line stands for
/// a newline; lines starting with `##` and blank lines are skipped.
pub fn corpus() -> Vec<String> {
    // The crate's own, or its parent's from the fuzz crate (`fuzz/differential.rs`).
    let dir = [
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus"),
    ]
    .into_iter()
    .find(|dir| std::path::Path::new(dir).is_dir())
    .expect("tests/corpus");
    let mut files: Vec<_> =
        std::fs::read_dir(dir).expect("corpus dir").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut entries = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("corpus file");
        for line in text.lines() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with("##") {
                continue;
            }
            entries.push(line.replace("\\n", "\n"));
        }
    }
    entries
}

/// A small deterministic PRNG (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The oracle world a grant can be in: index into `[Oracle::new(false, false),
/// Oracle::new(false, true), Oracle::new(true, false), Oracle::new(true, true)]`.
pub fn world(grant: &Grant) -> usize {
    let aux = grant.is_admin() || !grant.attach.is_empty();
    let temp = grant.allows(&TableName::new(Schema::Temp, "tt"), Action::SchemaAdd);
    usize::from(aux) * 2 + usize::from(temp)
}

/// The four oracle worlds, in [`world`]'s order.
pub fn oracles() -> [Oracle; 4] {
    [
        Oracle::new(false, false),
        Oracle::new(false, true),
        Oracle::new(true, false),
        Oracle::new(true, true),
    ]
}
