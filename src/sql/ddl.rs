//! Statements that change the schema: `CREATE TABLE` / `VIEW` / `INDEX` / `TRIGGER`,
//! `DROP`, `ALTER TABLE`, `REINDEX`, `ANALYZE` (virtual tables are `modules.rs`'s), with
//! the reads and deletes SQLite's authorizer asks of them besides the spec's table.

use sqlite3_parser::ast::{
    AlterTableBody, ColumnConstraint, ColumnDefinition, CreateTableBody, Expr,
    NamedColumnConstraint, NamedTableConstraint, QualifiedName, Select, SortedColumn,
    TableConstraint, TriggerCmd,
};

use super::names::ident;
use super::special::{listed, BUILTIN_COLLATIONS};
use super::unsupported;
use super::walk::Walker;
use super::writes::trigger_command;
use super::Need;
use crate::error::Result;
use crate::permissions::{Action, Schema, TableName};

/// `CREATE [TEMP] TABLE`: `schema_add`, and what its column and table constraints and
/// its `AS SELECT` read.
pub(super) fn create_table(
    w: &mut Walker,
    temporary: bool,
    name: &QualifiedName<'_>,
    body: &CreateTableBody<'_>,
) -> Result<()> {
    let table = created(w, temporary, name)?;
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
                    TableConstraint::ForeignKey { columns: _, clause: _, defer_clause: _ } => {}
                }
            }
        }
        CreateTableBody::AsSelect(select) => w.select(select)?,
    }
    Ok(())
}

/// `CREATE [TEMP] VIEW`: `schema_add`, and its body's reads now (edge rule).
pub(super) fn create_view(
    w: &mut Walker,
    temporary: bool,
    name: &QualifiedName<'_>,
    select: &Select<'_>,
) -> Result<()> {
    let view = created(w, temporary, name)?;
    in_schema_of(w, &view.schema, |w| w.select(select))?;
    w.need_table(view, Action::SchemaAdd);
    Ok(())
}

/// `CREATE INDEX`: `schema_update` on the table, and `data_read`: building the index
/// reads every row (the authorizer reports `READ`), and a unique, partial or
/// expression index is an oracle on the data.
pub(super) fn create_index(
    w: &mut Walker,
    index: &QualifiedName<'_>,
    table: &sqlite3_parser::ast::Name<'_>,
    columns: &[SortedColumn<'_>],
    where_clause: Option<&Expr<'_>>,
) -> Result<()> {
    let schema = w.schema(index.db_name.as_ref())?;
    w.sorted(Some(columns))?;
    w.opt_expr(where_clause)?;
    let table = TableName::new(schema, ident(table)?);
    w.need_table(table.clone(), Action::SchemaUpdate);
    w.need_table(table, Action::DataRead);
    Ok(())
}

/// `CREATE TRIGGER`: `schema_update` on its table; the body is checked now, as if each
/// statement ran (edge rule), and `NEW.x` / `OLD.x` read the table's rows.
pub(super) fn create_trigger(
    w: &mut Walker,
    trigger: &QualifiedName<'_>,
    table: &QualifiedName<'_>,
    when_clause: Option<&Expr<'_>>,
    commands: &[TriggerCmd<'_>],
) -> Result<()> {
    let schema = match (&table.db_name, &trigger.db_name) {
        (Some(db), _) | (None, Some(db)) => Schema::from_prefix(&ident(db)?),
        (None, None) => w.default_schema.clone(),
    };
    let table = TableName::new(schema.clone(), ident(&table.name)?);
    w.need_table(table.clone(), Action::SchemaUpdate);
    let before = w.new_old_read;
    in_schema_of(w, &schema, |w| {
        w.opt_expr(when_clause)?;
        commands.iter().try_for_each(|command| trigger_command(w, command))
    })?;
    if w.new_old_read > before {
        w.need_table(table, Action::DataRead);
    }
    Ok(())
}

/// `DROP TABLE` / `DROP VIEW`: `schema_delete`, and `data_delete` (the authorizer asks
/// `DELETE` of it: its rows go too).
pub(super) fn drop_table_or_view(w: &mut Walker, name: &QualifiedName<'_>) -> Result<()> {
    let table = w.target(name)?;
    w.need_table(table.clone(), Action::SchemaDelete);
    w.need_table(table, Action::DataDelete);
    Ok(())
}

/// `REINDEX`: `schema_update` on every table of a schema; admin when it reaches every
/// database.
pub(super) fn reindex(w: &mut Walker, target: Option<&QualifiedName<'_>>) -> Result<()> {
    match target {
        // Decision: bare `REINDEX` and `REINDEX <collation>` rebuild indexes in every
        // database, attached ones included: admin.
        None => w.need(Need::Admin("REINDEX of every database".to_owned())),
        Some(qn) if qn.db_name.is_none() && listed(BUILTIN_COLLATIONS, &ident(&qn.name)?) => {
            w.need(Need::Admin("REINDEX of a collation in every database".to_owned()))
        }
        Some(qn) => {
            let schema = w.schema(qn.db_name.as_ref())?;
            w.need_all(&schema, Action::SchemaUpdate, "REINDEX");
        }
    }
    Ok(())
}

/// `ALTER TABLE`: `schema_update`; `RENAME TO` also `schema_add` of the new name; an
/// added column that is checked against every row also `data_read`.
pub(super) fn alter_table(
    w: &mut Walker,
    name: &QualifiedName<'_>,
    body: &AlterTableBody<'_>,
) -> Result<()> {
    let table = w.target(name)?;
    match body {
        AlterTableBody::RenameTo(new) => {
            let renamed = TableName::new(table.schema.clone(), ident(new)?);
            w.need_table(table, Action::SchemaUpdate);
            w.need_table(renamed, Action::SchemaAdd);
        }
        AlterTableBody::AddColumn(column) => {
            column_definition(w, column)?;
            w.need_table(table.clone(), Action::SchemaUpdate);
            // A NOT NULL, CHECK or generated column is checked against every existing
            // row: an oracle on the data (and on the table being empty).
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
            return Err(unsupported("this ALTER TABLE form (newer than the SQLite libSQL ships)"))
        }
    }
    Ok(())
}

/// `ANALYZE`: `schema_update`; admin when it reaches every database.
pub(super) fn analyze(w: &mut Walker, target: Option<&QualifiedName<'_>>) -> Result<()> {
    match target {
        // Decision: bare `ANALYZE` analyses every database, attached ones included:
        // admin (`ANALYZE main` needs schema_update on all).
        None => w.need(Need::Admin("ANALYZE of every database".to_owned())),
        Some(qn) => analyze_target(w, qn)?,
    }
    Ok(())
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
