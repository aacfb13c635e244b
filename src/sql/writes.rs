//! Statements that change rows: `INSERT`, `UPDATE`, `DELETE`, also as the commands of
//! a trigger body, with the `RETURNING`, `REPLACE` and upsert rules of the spec's
//! `statement-actions.md`.

use sqlite3_parser::ast::{
    Expr, FromClause, Limit, QualifiedName, ResolveType, ResultColumn, Set, SortedColumn,
    TriggerCmd, Upsert, UpsertDo, UpsertIndex,
};

use super::unsupported;
use super::walk::Walker;
use crate::error::{Error, ErrorCode, Result};
use crate::permissions::{Action, TableName};

/// Decision: `UPDATE` / `DELETE` with `ORDER BY` / `LIMIT` need a compile option
/// (`SQLITE_ENABLE_UPDATE_DELETE_LIMIT`) that SQLite and libSQL builds leave out; the
/// database would reject them, so the gate does too.
pub(super) fn no_write_limit(present: bool) -> Result<()> {
    if present {
        Err(unsupported("ORDER BY / LIMIT on UPDATE or DELETE"))
    } else {
        Ok(())
    }
}

/// `REPLACE` / `OR REPLACE` deletes conflicting rows (edge rule: `data_delete`).
fn replace_deletes(w: &mut Walker, or_conflict: Option<ResolveType>, target: &TableName) {
    match or_conflict {
        Some(ResolveType::Replace) => w.need_table(target.clone(), Action::DataDelete),
        Some(
            ResolveType::Rollback | ResolveType::Abort | ResolveType::Fail | ResolveType::Ignore,
        )
        | None => {}
    }
}

/// `INSERT` (also in a trigger body): `data_add`, reads of the source, upsert needs,
/// `RETURNING` reads.
pub(super) fn insert(
    w: &mut Walker,
    or_conflict: Option<ResolveType>,
    tbl_name: &QualifiedName<'_>,
    select: Option<&sqlite3_parser::ast::Select<'_>>,
    upsert: Option<&Upsert<'_>>,
    returning: Option<&[ResultColumn<'_>]>,
) -> Result<()> {
    let target = w.target(tbl_name)?;
    w.need_table(target.clone(), Action::DataAdd);
    replace_deletes(w, or_conflict, &target);
    if let Some(select) = select {
        w.select(select)?;
    }
    let mut next = upsert;
    while let Some(Upsert { index, do_clause, next: following }) = next {
        if let Some(UpsertIndex { targets, where_clause }) = index {
            w.need_table(target.clone(), Action::DataRead);
            w.sorted(Some(targets))?;
            w.opt_expr(where_clause.as_ref())?;
        }
        match do_clause {
            UpsertDo::Set { sets, where_clause } => {
                w.need_table(target.clone(), Action::DataRead);
                w.need_table(target.clone(), Action::DataUpdate);
                set_exprs(w, sets)?;
                w.opt_expr(where_clause.as_ref())?;
            }
            UpsertDo::Nothing => {}
        }
        next = *following;
    }
    let before = w.columns_read;
    w.result_columns(returning)?;
    if w.columns_read > before {
        w.need_table(target, Action::DataRead);
    }
    Ok(())
}

fn set_exprs(w: &mut Walker, sets: &[Set<'_>]) -> Result<()> {
    for Set { col_names: _, expr } in sets {
        w.expr(expr)?;
    }
    Ok(())
}

/// The clauses after an UPDATE's or DELETE's WHERE: RETURNING, ORDER BY, LIMIT. A
/// column of the target read there is a `data_read` of the target.
pub(super) fn write_tail(
    w: &mut Walker,
    target: TableName,
    returning: Option<&[ResultColumn<'_>]>,
    order_by: Option<&[SortedColumn<'_>]>,
    limit: Option<&Limit<'_>>,
) -> Result<()> {
    let before = w.columns_read;
    w.result_columns(returning)?;
    w.sorted(order_by)?;
    w.limit(limit)?;
    if w.columns_read > before {
        w.need_table(target, Action::DataRead);
    }
    Ok(())
}

/// `UPDATE` (also in a trigger body): `data_update`, `data_read` of the target when a
/// column is read, reads of `FROM`. Returns the target for `RETURNING`.
pub(super) fn update(
    w: &mut Walker,
    or_conflict: Option<ResolveType>,
    tbl_name: &QualifiedName<'_>,
    sets: &[Set<'_>],
    from: Option<&FromClause<'_>>,
    where_clause: Option<&Expr<'_>>,
) -> Result<TableName> {
    let target = w.target(tbl_name)?;
    w.need_table(target.clone(), Action::DataUpdate);
    replace_deletes(w, or_conflict, &target);
    // `UPDATE ... FROM` joins the target with the FROM clause: SQLite's authorizer
    // reports a read of the target whatever the columns named (issue 13).
    if let Some(from) = from {
        w.from(from)?;
        w.need_table(target.clone(), Action::DataRead);
    }
    let before = w.columns_read;
    set_exprs(w, sets)?;
    w.opt_expr(where_clause)?;
    if w.columns_read > before {
        w.need_table(target.clone(), Action::DataRead);
    }
    Ok(target)
}

/// `DELETE` (also in a trigger body): `data_delete`, `data_read` when `WHERE` reads.
pub(super) fn delete(
    w: &mut Walker,
    tbl_name: &QualifiedName<'_>,
    where_clause: Option<&Expr<'_>>,
) -> Result<TableName> {
    let target = w.target(tbl_name)?;
    w.need_table(target.clone(), Action::DataDelete);
    let before = w.columns_read;
    w.opt_expr(where_clause)?;
    if w.columns_read > before {
        w.need_table(target.clone(), Action::DataRead);
    }
    Ok(target)
}

/// One command of a trigger body, as if it ran.
pub(super) fn trigger_command(w: &mut Walker, command: &TriggerCmd<'_>) -> Result<()> {
    // As SQLite's grammar (`trnm`): the target of a write in a trigger body is a bare
    // name, with no schema and no alias; the parser takes both (found by the
    // differential fuzz target).
    let target = match command {
        TriggerCmd::Update { tbl_name, .. }
        | TriggerCmd::Insert { tbl_name, .. }
        | TriggerCmd::Delete { tbl_name, .. } => Some(tbl_name),
        TriggerCmd::Select(_) => None,
    };
    if target.is_some_and(|t| t.db_name.is_some() || t.alias.is_some()) {
        return Err(Error::new(
            ErrorCode::SqlParse,
            "qualified table names and aliases are not allowed on INSERT, UPDATE and DELETE \
             statements within triggers",
        ));
    }
    match command {
        TriggerCmd::Update { or_conflict, tbl_name, sets, from, where_clause } => {
            update(w, *or_conflict, tbl_name, sets, from.as_ref(), where_clause.as_ref())
                .map(|_| ())
        }
        TriggerCmd::Insert { or_conflict, tbl_name, col_names: _, select, upsert } => {
            insert(w, *or_conflict, tbl_name, Some(select), *upsert, None)
        }
        TriggerCmd::Delete { tbl_name, where_clause } => {
            delete(w, tbl_name, where_clause.as_ref()).map(|_| ())
        }
        TriggerCmd::Select(select) => w.select(select),
    }
}
