//! Names with a meaning of their own: pragmas, table-valued functions, virtual
//! table modules and functions that only full access may use.
//!
//! Every list here is an allow-list or a deny-list read by the walker; a name on
//! none of them is treated as an ordinary table (for tables) or an ordinary function.

/// Pragmas that take a table name and read its metadata: `PRAGMA table_info(t)`,
/// `pragma_table_info('t')`. Without an argument they read nothing but are harmless
/// (`foreign_key_check` without one reads every table: see [`ALL_TABLE_PRAGMAS`]).
pub(crate) const TABLE_PRAGMAS: &[&str] =
    &["table_info", "table_xinfo", "index_list", "foreign_key_list", "foreign_key_check"];

/// Pragmas whose argument is an index name: the table it belongs to is not in the
/// SQL, so they need `data_read` on every table.
pub(crate) const INDEX_PRAGMAS: &[&str] = &["index_info", "index_xinfo"];

/// Pragmas that read every table's content when run (checks): `data_read` on all.
pub(crate) const ALL_TABLE_PRAGMAS: &[&str] =
    &["integrity_check", "quick_check", "foreign_key_check"];

/// Pragmas that only report a value or a list and change nothing when called
/// without a value. With a value (`= x` or `(x)`) they are setters: admin.
pub(crate) const READ_PRAGMAS: &[&str] = &[
    "application_id",
    "auto_vacuum",
    "automatic_index",
    "busy_timeout",
    "cache_size",
    "cache_spill",
    "case_sensitive_like",
    "cell_size_check",
    "checkpoint_fullfsync",
    "collation_list",
    "compile_options",
    "data_version",
    "database_list",
    "defer_foreign_keys",
    "encoding",
    "foreign_keys",
    "freelist_count",
    "fullfsync",
    "function_list",
    "hard_heap_limit",
    "ignore_check_constraints",
    "journal_mode",
    "journal_size_limit",
    "legacy_alter_table",
    "locking_mode",
    "max_page_count",
    "mmap_size",
    "module_list",
    "page_count",
    "page_size",
    "pragma_list",
    "query_only",
    "read_uncommitted",
    "recursive_triggers",
    "reverse_unordered_selects",
    "schema_version",
    "secure_delete",
    "soft_heap_limit",
    "synchronous",
    "table_list",
    "temp_store",
    "threads",
    "trusted_schema",
    "user_version",
    "wal_autocheckpoint",
];

/// Table-valued functions that read no table (besides their arguments).
pub(crate) const TABLE_FUNCTIONS: &[&str] =
    &["json_each", "json_tree", "jsonb_each", "jsonb_tree", "generate_series"];

/// Virtual tables (and modules) that expose raw pages, files or the connection's
/// statements: admin only, wherever they are named. The first three are the spec's;
/// the others come from extensions (`dbdata`, `fileio`, `zipfile`) a server may load.
pub(crate) const ADMIN_TABLES: &[&str] = &[
    "dbstat",
    "sqlite_dbpage",
    "sqlite_stmt",
    "sqlite_dbdata",
    "sqlite_dbptr",
    "fsdir",
    "zipfile",
];

/// Functions that load code, swap tokenizers, or (from the `fileio` extension a
/// server may load) touch files: admin only.
pub(crate) const ADMIN_FUNCTIONS: &[&str] =
    &["load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"];

/// Whether `list` holds `name`, compared as SQLite compares identifiers.
pub(crate) fn listed(list: &[&str], name: &str) -> bool {
    list.iter().any(|item| item.eq_ignore_ascii_case(name))
}

/// The pragma a `pragma_<name>` table-valued function stands for.
pub(crate) fn pragma_function(name: &str) -> Option<&str> {
    let prefix = name.get(..7)?;
    if prefix.eq_ignore_ascii_case("pragma_") {
        name.get(7..)
    } else {
        None
    }
}

/// SQLite's built-in collations (`REINDEX nocase` rebuilds indexes in every database).
pub(crate) const BUILTIN_COLLATIONS: &[&str] = &["binary", "nocase", "rtrim"];

/// Virtual table modules anyone with `schema_add` may use (SQLite's own full-text,
/// r-tree and geopoly modules), each argument judged by `modules.rs`. Any other module
/// may reach outside the database (files, other tables, process state) and is admin
/// only.
pub(crate) const SAFE_MODULES: &[&str] = &[
    "fts3",
    "fts4",
    "fts5",
    "fts5vocab",
    "fts4aux",
    "fts3tokenize",
    "rtree",
    "rtree_i32",
    "geopoly",
];
