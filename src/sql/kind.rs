//! What kind of statement a statement is, as `analyzeStatement` and `checkStatement`
//! name it (`"select"`, `"create_table"`, `"begin"`, ...): one variant per statement of
//! SQLite's grammar; an `EXPLAIN` has its inner statement's kind.

use serde::Serialize;

/// The kind of one statement; serialized as its name in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    Select,
    Insert,
    Update,
    Delete,
    CreateTable,
    CreateView,
    CreateVirtualTable,
    CreateIndex,
    CreateTrigger,
    DropTable,
    DropView,
    DropIndex,
    DropTrigger,
    AlterTable,
    Analyze,
    Reindex,
    Vacuum,
    Pragma,
    Attach,
    Detach,
    Begin,
    /// libSQL's `BEGIN ... TRANSACTION READONLY`.
    BeginReadonly,
    Commit,
    Rollback,
    /// `ROLLBACK TO` a savepoint (the transaction goes on).
    RollbackTo,
    Savepoint,
    Release,
}

impl StatementKind {
    /// Every kind (the boundary's golden file lists them for `index.d.ts`).
    pub const ALL: [StatementKind; 27] = [
        StatementKind::Select,
        StatementKind::Insert,
        StatementKind::Update,
        StatementKind::Delete,
        StatementKind::CreateTable,
        StatementKind::CreateView,
        StatementKind::CreateVirtualTable,
        StatementKind::CreateIndex,
        StatementKind::CreateTrigger,
        StatementKind::DropTable,
        StatementKind::DropView,
        StatementKind::DropIndex,
        StatementKind::DropTrigger,
        StatementKind::AlterTable,
        StatementKind::Analyze,
        StatementKind::Reindex,
        StatementKind::Vacuum,
        StatementKind::Pragma,
        StatementKind::Attach,
        StatementKind::Detach,
        StatementKind::Begin,
        StatementKind::BeginReadonly,
        StatementKind::Commit,
        StatementKind::Rollback,
        StatementKind::RollbackTo,
        StatementKind::Savepoint,
        StatementKind::Release,
    ];

    /// The kind's name, as serialized: `"select"`, `"create_table"`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Select => "select",
            StatementKind::Insert => "insert",
            StatementKind::Update => "update",
            StatementKind::Delete => "delete",
            StatementKind::CreateTable => "create_table",
            StatementKind::CreateView => "create_view",
            StatementKind::CreateVirtualTable => "create_virtual_table",
            StatementKind::CreateIndex => "create_index",
            StatementKind::CreateTrigger => "create_trigger",
            StatementKind::DropTable => "drop_table",
            StatementKind::DropView => "drop_view",
            StatementKind::DropIndex => "drop_index",
            StatementKind::DropTrigger => "drop_trigger",
            StatementKind::AlterTable => "alter_table",
            StatementKind::Analyze => "analyze",
            StatementKind::Reindex => "reindex",
            StatementKind::Vacuum => "vacuum",
            StatementKind::Pragma => "pragma",
            StatementKind::Attach => "attach",
            StatementKind::Detach => "detach",
            StatementKind::Begin => "begin",
            StatementKind::BeginReadonly => "begin_readonly",
            StatementKind::Commit => "commit",
            StatementKind::Rollback => "rollback",
            StatementKind::RollbackTo => "rollback_to",
            StatementKind::Savepoint => "savepoint",
            StatementKind::Release => "release",
        }
    }
}
