//! The walker's traversal of `SELECT`s, `FROM` clauses and the tables they name.

use sqlite3_parser::ast::{
    FromClause, JoinConstraint, JoinedSelectTable, Limit, OneSelect, QualifiedName, ResultColumn,
    Select, SelectBody, SelectTable, SortedColumn, WindowDef,
};

use super::super::names::table_name;
use super::super::special::pragma_function;
use super::Walker;
use crate::error::Result;
use crate::permissions::Action;

impl Walker {
    /// A full `SELECT` (with its own `WITH`, `ORDER BY`, `LIMIT`).
    pub(crate) fn select(&mut self, select: &Select<'_>) -> Result<()> {
        self.enter()?;
        let Select { with, body, order_by, limit } = select;
        self.with_scope(with.as_ref(), |w| {
            let SelectBody { select, compounds } = body;
            w.one_select(select)?;
            for compound in compounds.iter().flat_map(|c| c.iter()) {
                w.one_select(&compound.select)?;
            }
            w.sorted(order_by.as_deref())?;
            w.limit(limit.as_deref())
        })?;
        self.leave();
        Ok(())
    }

    pub(super) fn one_select(&mut self, select: &OneSelect<'_>) -> Result<()> {
        match select {
            OneSelect::Select {
                distinctness: _,
                columns,
                from,
                where_clause,
                group_by,
                having,
                window_clause,
            } => {
                self.result_columns(Some(columns))?;
                if let Some(from) = from {
                    self.from(from)?;
                }
                self.opt_expr(where_clause.as_deref())?;
                self.exprs(group_by.as_deref())?;
                self.opt_expr(having.as_deref())?;
                for WindowDef { name: _, window } in window_clause.iter().flat_map(|w| w.iter()) {
                    self.window(window)?;
                }
                Ok(())
            }
            OneSelect::Values(rows) => {
                for row in rows.iter() {
                    self.exprs(Some(row))?;
                }
                Ok(())
            }
        }
    }

    /// Result columns (also `RETURNING`).
    pub(crate) fn result_columns(&mut self, columns: Option<&[ResultColumn<'_>]>) -> Result<()> {
        for column in columns.into_iter().flatten() {
            match column {
                ResultColumn::Expr(expr, _alias) => self.expr(expr)?,
                ResultColumn::Star | ResultColumn::TableStar(_) => self.columns_read += 1,
            }
        }
        Ok(())
    }

    /// A `FROM` clause: its tables and join constraints.
    pub(crate) fn from(&mut self, from: &FromClause<'_>) -> Result<()> {
        self.enter()?;
        if let Some(table) = from.select {
            self.select_table(table)?;
        }
        for JoinedSelectTable { operator: _, table, constraint } in
            from.joins.iter().flat_map(|j| j.iter())
        {
            self.select_table(table)?;
            match constraint {
                Some(JoinConstraint::On(expr)) => self.expr(expr)?,
                Some(JoinConstraint::Using(names)) => {
                    for name in names.iter() {
                        self.column_named(None, name.0);
                    }
                }
                None => {}
            }
        }
        self.leave();
        Ok(())
    }

    pub(super) fn select_table(&mut self, table: &SelectTable<'_>) -> Result<()> {
        match table {
            SelectTable::Table(qn, _alias, _indexed) => self.table_ref(qn),
            SelectTable::TableCall(qn, args, _alias) => self.table_call(qn, args.as_deref()),
            SelectTable::Select(select, _alias) => self.select(select),
            SelectTable::Sub(from, _alias) => self.from(from),
        }
    }

    /// A table read by name (`FROM t`, `x IN t`): nothing for a CTE in scope.
    pub(super) fn table_ref(&mut self, qn: &QualifiedName<'_>) -> Result<()> {
        if self.is_cte(qn)? {
            return Ok(());
        }
        let table = table_name(qn, &self.default_schema)?;
        if let Some(pragma) = pragma_function(&table.name) {
            self.pragma_function_used = true;
            let pragma = pragma.to_owned();
            return self.pragma(&pragma, None, &table.schema);
        }
        self.need_table(table, Action::DataRead);
        Ok(())
    }

    /// `ORDER BY` terms.
    pub(crate) fn sorted(&mut self, columns: Option<&[SortedColumn<'_>]>) -> Result<()> {
        for SortedColumn { expr, order: _, nulls: _ } in columns.into_iter().flatten() {
            self.expr(expr)?;
        }
        Ok(())
    }

    /// `LIMIT` and `OFFSET`.
    pub(crate) fn limit(&mut self, limit: Option<&Limit<'_>>) -> Result<()> {
        if let Some(Limit { expr, offset }) = limit {
            self.expr(expr)?;
            self.opt_expr(offset.as_ref())?;
        }
        Ok(())
    }
}
