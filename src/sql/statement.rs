//! One statement: its kind and the spec's table row for it, edge rules included.
//!
//! Every statement kind of the grammar is matched here by name, and each goes to the
//! rules of its family: `writes.rs` (rows), `ddl.rs` (the schema), `modules.rs`
//! (virtual tables); transactions, `ATTACH`, pragmas and `VACUUM` are here. What each
//! needs is the spec's `statement-actions.md`, row by row. Reads inside expressions are
//! the walker's. This module never looks at a grant.

use sqlite3_parser::ast::{Cmd, InsertBody, Stmt};

use super::names::{ident, same};
use super::walk::{literal_name, Walker};
use super::writes::{delete, insert, no_write_limit, update, write_tail};

use super::{ddl, modules, Need, StatementKind};
use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_SQL_NEEDS;
use crate::permissions::Action;

/// The kind and needs of one parsed command (`EXPLAIN` is its inner statement's), if
/// it has at most `budget` needs.
pub(crate) fn analyze_cmd(cmd: &Cmd<'_>, budget: usize) -> Result<(StatementKind, Vec<Need>)> {
    let stmt = match cmd {
        Cmd::Explain(stmt) | Cmd::ExplainQueryPlan(stmt) | Cmd::Stmt(stmt) => stmt,
    };
    let mut walker = Walker::new(budget);
    let kind = statement(&mut walker, stmt)?;
    // Decision (issue 13): a `pragma_*` function's hidden columns `arg` and `schema`
    // choose, in a WHERE or ON constraint, the table and the database it reads; the
    // gate cannot follow a constraint to its value, so naming them is admin.
    if walker.pragma_function_used && walker.hidden_pragma_column_named {
        walker.need(Need::Admin(
            "a pragma function's hidden column `arg` or `schema` named in the statement".to_owned(),
        ));
    }
    if walker.over_budget {
        return Err(Error::new(
            ErrorCode::SqlTooLarge,
            format!("more than {MAX_SQL_NEEDS} needs (tables and actions) in one SQL text"),
        ));
    }
    Ok((kind, walker.needs))
}

fn statement(w: &mut Walker, stmt: &Stmt<'_>) -> Result<StatementKind> {
    Ok(match stmt {
        Stmt::Select(select) => {
            w.select(select)?;
            StatementKind::Select
        }
        Stmt::Insert { with, or_conflict, tbl_name, columns: _, body, returning } => {
            w.with_scope(with.as_ref(), |w| {
                let (select, upsert) = match body {
                    InsertBody::Select(select, upsert) => (Some(*select), *upsert),
                    InsertBody::DefaultValues => (None, None),
                };
                insert(w, *or_conflict, tbl_name, select, upsert, returning.as_deref())
            })?;
            StatementKind::Insert
        }
        Stmt::Update {
            with,
            or_conflict,
            tbl_name,
            indexed: _,
            sets,
            from,
            where_clause,
            returning,
            order_by,
            limit,
        } => {
            no_write_limit(order_by.is_some() || limit.is_some())?;
            w.with_scope(with.as_ref(), |w| {
                let target =
                    update(w, *or_conflict, tbl_name, sets, from.as_ref(), where_clause.as_ref())?;
                write_tail(w, target, returning.as_deref(), order_by.as_deref(), limit.as_deref())
            })?;
            StatementKind::Update
        }
        Stmt::Delete { with, tbl_name, indexed: _, where_clause, returning, order_by, limit } => {
            no_write_limit(order_by.is_some() || limit.is_some())?;
            w.with_scope(with.as_ref(), |w| {
                let target = delete(w, tbl_name, where_clause.as_ref())?;
                write_tail(w, target, returning.as_deref(), order_by.as_deref(), limit.as_deref())
            })?;
            StatementKind::Delete
        }
        Stmt::CreateTable { temporary, if_not_exists: _, tbl_name, body } => {
            ddl::create_table(w, *temporary, tbl_name, body)?;
            StatementKind::CreateTable
        }
        Stmt::CreateView { temporary, if_not_exists: _, view_name, columns: _, select } => {
            ddl::create_view(w, *temporary, view_name, select)?;
            StatementKind::CreateView
        }
        Stmt::CreateVirtualTable { if_not_exists: _, tbl_name, module_name, args } => {
            let table = w.target(tbl_name)?;
            let module = ident(module_name)?;
            modules::create_virtual_table(w, &table, &module, args.unwrap_or_default())?;
            w.need_table(table, Action::SchemaAdd);
            StatementKind::CreateVirtualTable
        }
        Stmt::CreateIndex {
            unique: _,
            if_not_exists: _,
            idx_name,
            tbl_name,
            columns,
            where_clause,
        } => {
            ddl::create_index(w, idx_name, tbl_name, columns, where_clause.as_ref())?;
            StatementKind::CreateIndex
        }
        Stmt::CreateTrigger {
            temporary: _,
            if_not_exists: _,
            trigger_name,
            time: _,
            event: _,
            tbl_name,
            for_each_row: _,
            when_clause,
            commands,
        } => {
            ddl::create_trigger(w, trigger_name, tbl_name, when_clause.as_ref(), commands)?;
            StatementKind::CreateTrigger
        }
        Stmt::DropTable { if_exists: _, tbl_name } => {
            ddl::drop_table_or_view(w, tbl_name)?;
            StatementKind::DropTable
        }
        Stmt::DropView { if_exists: _, view_name } => {
            ddl::drop_table_or_view(w, view_name)?;
            StatementKind::DropView
        }
        Stmt::DropIndex { if_exists: _, idx_name } => {
            let schema = w.schema(idx_name.db_name.as_ref())?;
            w.need_all(&schema, Action::SchemaUpdate, "DROP INDEX");
            StatementKind::DropIndex
        }
        Stmt::DropTrigger { if_exists: _, trigger_name } => {
            let schema = w.schema(trigger_name.db_name.as_ref())?;
            w.need_all(&schema, Action::SchemaUpdate, "DROP TRIGGER");
            StatementKind::DropTrigger
        }
        Stmt::Reindex { obj_name } => {
            ddl::reindex(w, obj_name.as_ref())?;
            StatementKind::Reindex
        }
        Stmt::AlterTable(tbl_name, body) => {
            ddl::alter_table(w, tbl_name, body)?;
            StatementKind::AlterTable
        }
        Stmt::Analyze(target) => {
            ddl::analyze(w, target.as_ref())?;
            StatementKind::Analyze
        }
        Stmt::Attach { expr, db_name, key } => {
            w.expr(expr)?;
            w.expr(db_name)?;
            w.opt_expr(key.as_ref())?;
            // Decision: a `p.roa` / `p.rwa` grant names a namespace; attaching it under
            // another schema name would let that name's grant apply to it, so the
            // schema name must be the namespace itself (else admin).
            match (literal_name(expr), literal_name(db_name)) {
                (Some(file), Some(schema)) if same(&file, &schema) => {
                    w.need(Need::Attach(super::names::checked(schema.to_ascii_lowercase())?))
                }
                _ => w.need(Need::Admin(
                    "ATTACH under a schema name other than the database's".to_owned(),
                )),
            }
            StatementKind::Attach
        }
        Stmt::Detach(expr) => {
            w.expr(expr)?;
            w.need(Need::Admin("DETACH".to_owned()));
            StatementKind::Detach
        }
        // libSQL's read-only transaction, as `@libsql/client`'s `transaction("read")`
        // sends it: `BEGIN ... TRANSACTION READONLY`, which SQLite's grammar reads as a
        // transaction named READONLY (unquoted; `BEGIN READONLY` does not parse).
        Stmt::Begin(_, Some(name)) if name.0.eq_ignore_ascii_case("readonly") => {
            StatementKind::BeginReadonly
        }
        Stmt::Begin(_, _) => StatementKind::Begin,
        Stmt::Commit(_) => StatementKind::Commit,
        // `ROLLBACK TO sp` ends no transaction: it undoes back to a savepoint.
        Stmt::Rollback { tx_name: _, savepoint_name: Some(_) } => StatementKind::RollbackTo,
        Stmt::Rollback { tx_name: _, savepoint_name: None } => StatementKind::Rollback,
        Stmt::Savepoint(_) => StatementKind::Savepoint,
        Stmt::Release(_) => StatementKind::Release,
        Stmt::Pragma(name, body) => {
            let schema = w.schema(name.db_name.as_ref())?;
            let pragma = ident(&name.name)?;
            let arg = match body {
                Some(sqlite3_parser::ast::PragmaBody::Equals(value))
                | Some(sqlite3_parser::ast::PragmaBody::Call(value)) => Some(value),
                None => None,
            };
            w.pragma(&pragma, arg, &schema)?;
            StatementKind::Pragma
        }
        Stmt::Vacuum(_, into) => {
            w.opt_expr(into.as_ref())?;
            w.need(Need::Admin("VACUUM".to_owned()));
            StatementKind::Vacuum
        }
    })
}
