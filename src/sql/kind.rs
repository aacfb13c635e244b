//! What kind of statement a statement is, as `analyzeStatement` and `checkStatement`
//! name it (`"select"`, `"create_table"`, `"begin"`, ...): one variant per statement of
//! SQLite's grammar; an `EXPLAIN` has its inner statement's kind.

use serde::Serialize;

/// The enum, its serialized names, [`StatementKind::as_str`] and [`StatementKind::ALL`],
/// from one list: a name is written once, so serde and the wire cannot disagree.
macro_rules! statement_kinds {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// The kind of one statement; serialized as its name in snake case.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum StatementKind {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
        }

        impl StatementKind {
            /// Every kind (the boundary's golden file lists them for `index.d.ts`).
            pub const ALL: &'static [StatementKind] = &[$(StatementKind::$variant),*];

            /// The kind's name, as serialized: `"select"`, `"create_table"`, ...
            pub fn as_str(self) -> &'static str {
                match self {
                    $(StatementKind::$variant => $name,)*
                }
            }
        }
    };
}

statement_kinds! {
    Select => "select",
    Insert => "insert",
    Update => "update",
    Delete => "delete",
    CreateTable => "create_table",
    CreateView => "create_view",
    CreateVirtualTable => "create_virtual_table",
    CreateIndex => "create_index",
    CreateTrigger => "create_trigger",
    DropTable => "drop_table",
    DropView => "drop_view",
    DropIndex => "drop_index",
    DropTrigger => "drop_trigger",
    AlterTable => "alter_table",
    Analyze => "analyze",
    Reindex => "reindex",
    Vacuum => "vacuum",
    Pragma => "pragma",
    Attach => "attach",
    Detach => "detach",
    Begin => "begin",
    /// libSQL's `BEGIN ... TRANSACTION READONLY`.
    BeginReadonly => "begin_readonly",
    Commit => "commit",
    Rollback => "rollback",
    /// `ROLLBACK TO` a savepoint (the transaction goes on).
    RollbackTo => "rollback_to",
    Savepoint => "savepoint",
    Release => "release",
}
