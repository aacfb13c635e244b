//! One statement: its kind and the spec's table row for it, edge rules included.
//!
//! Every statement kind of the grammar is matched here by name; what each needs is
//! the spec's `statement-actions.md`, row by row. Reads inside expressions are the
//! walker's. This module never looks at a grant.

use sqlite3_parser::ast::{
    AlterTableBody, Cmd, ColumnConstraint, ColumnDefinition, CreateTableBody, Expr, FromClause,
    InsertBody, Limit, NamedColumnConstraint, NamedTableConstraint, QualifiedName, ResolveType,
    ResultColumn, Set, SortedColumn, Stmt, TableConstraint, TriggerCmd, Upsert, UpsertDo,
    UpsertIndex,
};

use super::modules;
use super::names::{ident, same};
use super::special::{listed, BUILTIN_COLLATIONS};
use super::walk::{literal_name, Walker};
use super::Need;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_SQL_NEEDS;
use crate::permissions::{Action, Schema, TableName};

/// The kind and needs of one parsed command (`EXPLAIN` is its inner statement's), if
/// it has at most `budget` needs.
pub(crate) fn analyze_cmd(cmd: &Cmd<'_>, budget: usize) -> Result<(&'static str, Vec<Need>)> {
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

fn unsupported(what: &str) -> Error {
    Error::new(ErrorCode::SqlUnsupported, format!("{what} is not supported by the gate"))
}

fn statement(w: &mut Walker, stmt: &Stmt<'_>) -> Result<&'static str> {
    Ok(match stmt {
        Stmt::Select(select) => {
            w.select(select)?;
            "select"
        }
        Stmt::Insert { with, or_conflict, tbl_name, columns: _, body, returning } => {
            w.with_scope(with.as_ref(), |w| {
                let (select, upsert) = match body {
                    InsertBody::Select(select, upsert) => (Some(*select), *upsert),
                    InsertBody::DefaultValues => (None, None),
                };
                insert(w, *or_conflict, tbl_name, select, upsert, returning.as_deref())
            })?;
            "insert"
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
            "update"
        }
        Stmt::Delete { with, tbl_name, indexed: _, where_clause, returning, order_by, limit } => {
            no_write_limit(order_by.is_some() || limit.is_some())?;
            w.with_scope(with.as_ref(), |w| {
                let target = delete(w, tbl_name, where_clause.as_ref())?;
                write_tail(w, target, returning.as_deref(), order_by.as_deref(), limit.as_deref())
            })?;
            "delete"
        }
        Stmt::CreateTable { temporary, if_not_exists: _, tbl_name, body } => {
            let table = created(w, *temporary, tbl_name)?;
            w.need_table(table, Action::SchemaAdd);
            match body {
                CreateTableBody::ColumnsAndConstraints { columns, constraints, flags: _ } => {
                    for column in columns.iter() {
                        column_definition(w, column)?;
                    }
                    for NamedTableConstraint { name: _, constraint } in
                        constraints.iter().flat_map(|c| c.iter())
                    {
                        match constraint {
                            TableConstraint::PrimaryKey {
                                columns,
                                auto_increment: _,
                                conflict_clause: _,
                            }
                            | TableConstraint::Unique { columns, conflict_clause: _ } => {
                                w.sorted(Some(columns))?
                            }
                            TableConstraint::Check(expr, _) => w.expr(expr)?,
                            TableConstraint::ForeignKey {
                                columns: _,
                                clause: _,
                                defer_clause: _,
                            } => {}
                        }
                    }
                }
                CreateTableBody::AsSelect(select) => w.select(select)?,
            }
            "create_table"
        }
        Stmt::CreateView { temporary, if_not_exists: _, view_name, columns: _, select } => {
            let view = created(w, *temporary, view_name)?;
            in_schema_of(w, &view.schema, |w| w.select(select))?;
            w.need_table(view, Action::SchemaAdd);
            "create_view"
        }
        Stmt::CreateVirtualTable { if_not_exists: _, tbl_name, module_name, args } => {
            let table = w.target(tbl_name)?;
            let module = ident(module_name)?;
            modules::create_virtual_table(w, &table, &module, args.unwrap_or_default())?;
            w.need_table(table, Action::SchemaAdd);
            "create_virtual_table"
        }
        Stmt::CreateIndex {
            unique: _,
            if_not_exists: _,
            idx_name,
            tbl_name,
            columns,
            where_clause,
        } => {
            let schema = w.schema(idx_name.db_name.as_ref())?;
            w.sorted(Some(columns))?;
            w.opt_expr(where_clause.as_ref())?;
            let table = TableName::new(schema, ident(tbl_name)?);
            w.need_table(table.clone(), Action::SchemaUpdate);
            // Building the index reads every row (the authorizer reports `READ`): a
            // unique, partial or expression index is an oracle on the data.
            w.need_table(table, Action::DataRead);
            "create_index"
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
            let schema = match (&tbl_name.db_name, &trigger_name.db_name) {
                (Some(db), _) | (None, Some(db)) => Schema::from_prefix(&ident(db)?),
                (None, None) => w.default_schema.clone(),
            };
            let table = TableName::new(schema.clone(), ident(&tbl_name.name)?);
            w.need_table(table.clone(), Action::SchemaUpdate);
            // Edge rule: the body is checked now, as if each statement ran.
            let before = w.new_old_read;
            in_schema_of(w, &schema, |w| {
                w.opt_expr(when_clause.as_ref())?;
                commands.iter().try_for_each(|command| trigger_command(w, command))
            })?;
            // Edge rule: `NEW.x` / `OLD.x` read the trigger's table's rows.
            if w.new_old_read > before {
                w.need_table(table, Action::DataRead);
            }
            "create_trigger"
        }
        Stmt::DropTable { if_exists: _, tbl_name } => {
            let table = w.target(tbl_name)?;
            w.need_table(table.clone(), Action::SchemaDelete);
            // The authorizer also asks `DELETE` of it: its rows go too.
            w.need_table(table, Action::DataDelete);
            "drop_table"
        }
        Stmt::DropView { if_exists: _, view_name } => {
            let view = w.target(view_name)?;
            w.need_table(view.clone(), Action::SchemaDelete);
            // As for a table, the authorizer also asks `DELETE` of it.
            w.need_table(view, Action::DataDelete);
            "drop_view"
        }
        Stmt::DropIndex { if_exists: _, idx_name } => {
            let schema = w.schema(idx_name.db_name.as_ref())?;
            w.need_all(&schema, Action::SchemaUpdate, "DROP INDEX");
            "drop_index"
        }
        Stmt::DropTrigger { if_exists: _, trigger_name } => {
            let schema = w.schema(trigger_name.db_name.as_ref())?;
            w.need_all(&schema, Action::SchemaUpdate, "DROP TRIGGER");
            "drop_trigger"
        }
        Stmt::Reindex { obj_name } => {
            match obj_name {
                // Decision: bare `REINDEX` and `REINDEX <collation>` rebuild indexes in
                // every database, attached ones included: admin.
                None => w.need(Need::Admin("REINDEX of every database".to_owned())),
                Some(qn)
                    if qn.db_name.is_none() && listed(BUILTIN_COLLATIONS, &ident(&qn.name)?) =>
                {
                    w.need(Need::Admin("REINDEX of a collation in every database".to_owned()))
                }
                Some(qn) => {
                    let schema = w.schema(qn.db_name.as_ref())?;
                    w.need_all(&schema, Action::SchemaUpdate, "REINDEX");
                }
            }
            "reindex"
        }
        Stmt::AlterTable(tbl_name, body) => {
            let table = w.target(tbl_name)?;
            match body {
                AlterTableBody::RenameTo(new) => {
                    let renamed = TableName::new(table.schema.clone(), ident(new)?);
                    w.need_table(table, Action::SchemaUpdate);
                    w.need_table(renamed, Action::SchemaAdd);
                }
                AlterTableBody::AddColumn(column) => {
                    column_definition(w, column)?;
                    w.need_table(table.clone(), Action::SchemaUpdate);
                    // A NOT NULL, CHECK or generated column is checked against every
                    // existing row: an oracle on the data (and on the table being empty).
                    if column.constraints.iter().any(|c| checks_rows(&c.constraint)) {
                        w.need_table(table, Action::DataRead);
                    }
                }
                AlterTableBody::RenameColumn { old: _, new: _ } | AlterTableBody::DropColumn(_) => {
                    w.need_table(table, Action::SchemaUpdate);
                }
                AlterTableBody::DropColumnNotNull(_)
                | AlterTableBody::SetColumnNotNull(_, _)
                | AlterTableBody::AddConstraint(_)
                | AlterTableBody::DropConstraint(_) => {
                    return Err(unsupported(
                        "this ALTER TABLE form (newer than the SQLite libSQL ships)",
                    ))
                }
            }
            "alter_table"
        }
        Stmt::Analyze(target) => {
            match target {
                // Decision: bare `ANALYZE` analyses every database, attached ones
                // included: admin (`ANALYZE main` needs schema_update on all).
                None => w.need(Need::Admin("ANALYZE of every database".to_owned())),
                Some(qn) => analyze_target(w, qn)?,
            }
            "analyze"
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
            "attach"
        }
        Stmt::Detach(expr) => {
            w.expr(expr)?;
            w.need(Need::Admin("DETACH".to_owned()));
            "detach"
        }
        Stmt::Begin(_, _) => "begin",
        Stmt::Commit(_) => "commit",
        Stmt::Rollback { tx_name: _, savepoint_name: _ } => "rollback",
        Stmt::Savepoint(_) => "savepoint",
        Stmt::Release(_) => "release",
        Stmt::Pragma(name, body) => {
            let schema = w.schema(name.db_name.as_ref())?;
            let pragma = ident(&name.name)?;
            let arg = match body {
                Some(sqlite3_parser::ast::PragmaBody::Equals(value))
                | Some(sqlite3_parser::ast::PragmaBody::Call(value)) => Some(value),
                None => None,
            };
            w.pragma(&pragma, arg, &schema)?;
            "pragma"
        }
        Stmt::Vacuum(_, into) => {
            w.opt_expr(into.as_ref())?;
            w.need(Need::Admin("VACUUM".to_owned()));
            "vacuum"
        }
    })
}

/// Decision: `UPDATE` / `DELETE` with `ORDER BY` / `LIMIT` need a compile option
/// (`SQLITE_ENABLE_UPDATE_DELETE_LIMIT`) that SQLite and libSQL builds leave out; the
/// database would reject them, so the gate does too.
fn no_write_limit(present: bool) -> Result<()> {
    if present {
        Err(unsupported("ORDER BY / LIMIT on UPDATE or DELETE"))
    } else {
        Ok(())
    }
}

/// `ANALYZE x`: `main` / `temp` (every table of it), `schema.t`, or `t`.
fn analyze_target(w: &mut Walker, qn: &QualifiedName<'_>) -> Result<()> {
    let name = ident(&qn.name)?;
    if qn.db_name.is_none() && matches!(Schema::from_prefix(&name), Schema::Main | Schema::Temp) {
        w.need(Need::AllTables(Action::SchemaUpdate));
        return Ok(());
    }
    let table = w.target(qn)?;
    if qn.db_name.is_none() {
        // Decision: an unqualified `ANALYZE x` analyses the whole attached database
        // `x` when one has that name, which the SQL alone cannot rule out.
        w.need_all(&Schema::Attached(name.to_ascii_lowercase()), Action::SchemaUpdate, "ANALYZE");
    }
    w.need_table(table, Action::SchemaUpdate);
    Ok(())
}

/// The table a `CREATE [TEMP] TABLE/VIEW` makes.
fn created(w: &Walker, temporary: bool, name: &QualifiedName<'_>) -> Result<TableName> {
    if temporary && name.db_name.is_none() {
        Ok(TableName::new(Schema::Temp, ident(&name.name)?))
    } else {
        w.target(name)
    }
}

/// Runs `f` with unqualified names resolving in `schema` when it is an attached one
/// (the bodies of its views and triggers), in `main` otherwise.
fn in_schema_of(
    w: &mut Walker,
    schema: &Schema,
    f: impl FnOnce(&mut Walker) -> Result<()>,
) -> Result<()> {
    let saved = w.default_schema.clone();
    w.default_schema = match schema {
        Schema::Attached(_) => schema.clone(),
        Schema::Main | Schema::Temp => Schema::Main,
    };
    let result = f(w);
    w.default_schema = saved;
    result
}

fn column_definition(w: &mut Walker, column: &ColumnDefinition<'_>) -> Result<()> {
    let ColumnDefinition { col_name: _, col_type, constraints, flags: _ } = column;
    w.type_name(col_type.as_ref())?;
    for NamedColumnConstraint { name: _, constraint } in constraints.iter() {
        match constraint {
            ColumnConstraint::Check(expr)
            | ColumnConstraint::Default(expr)
            | ColumnConstraint::Generated { expr, typ: _ } => w.expr(expr)?,
            ColumnConstraint::PrimaryKey { .. }
            | ColumnConstraint::NotNull { .. }
            | ColumnConstraint::Unique(_)
            | ColumnConstraint::Defer(_)
            | ColumnConstraint::Collate { .. }
            | ColumnConstraint::ForeignKey { .. } => {}
        }
    }
    Ok(())
}

/// Whether `ALTER TABLE ... ADD COLUMN` checks existing rows against `constraint`.
fn checks_rows(constraint: &ColumnConstraint<'_>) -> bool {
    match constraint {
        ColumnConstraint::NotNull { .. }
        | ColumnConstraint::Check(_)
        | ColumnConstraint::Generated { .. } => true,
        ColumnConstraint::PrimaryKey { .. }
        | ColumnConstraint::Unique(_)
        | ColumnConstraint::Defer(_)
        | ColumnConstraint::Collate { .. }
        | ColumnConstraint::Default(_)
        | ColumnConstraint::ForeignKey { .. } => false,
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
fn insert(
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

/// `UPDATE` (also in a trigger body): `data_update`, `data_read` of the target when a
/// column is read, reads of `FROM`. Returns the target for `RETURNING`.
/// The clauses after an UPDATE's or DELETE's WHERE: RETURNING, ORDER BY, LIMIT. A
/// column of the target read there is a `data_read` of the target.
fn write_tail(
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

fn update(
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
fn delete(
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

fn trigger_command(w: &mut Walker, command: &TriggerCmd<'_>) -> Result<()> {
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
