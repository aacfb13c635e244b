//! The walker: every table an expression, a `SELECT` or a `FROM` clause reads.
//!
//! It visits every position of the AST with exhaustive matches (new syntax in the
//! parser is a compile error here, never a silent pass), keeps the `WITH` scopes that
//! let a CTE name shadow a table, counts column references (so that `UPDATE` and
//! `DELETE` know whether they read their target) and carries a depth counter so that
//! no input can overflow the stack. It never decides whether a need is granted.

use std::collections::HashSet;

use sqlite3_parser::ast::{
    CommonTableExpr, Expr, FrameBound, FrameClause, FromClause, FunctionCallOrder, FunctionTail,
    Id, JoinConstraint, JoinedSelectTable, Limit, Literal, OneSelect, Over, QualifiedName,
    ResultColumn, Select, SelectBody, SelectTable, SortedColumn, Type, TypeSize, Window, WindowDef,
    With,
};

use super::names::{dequote, ident, names, schema_of, table_name};
use super::special::{
    listed, pragma_function, ADMIN_FUNCTIONS, ADMIN_TABLES, ALL_TABLE_PRAGMAS, INDEX_PRAGMAS,
    READ_PRAGMAS, TABLE_FUNCTIONS, TABLE_PRAGMAS,
};
use super::Need;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_SQL_CHAIN, MAX_SQL_DEPTH};
use crate::permissions::{Action, Schema, TableName};

/// Collects the needs of one statement.
pub(crate) struct Walker {
    /// What the statement needs so far, without duplicates, in the order found.
    pub(crate) needs: Vec<Need>,
    /// The same needs, for constant-time duplicate checks.
    seen: HashSet<Need>,
    /// How many needs the statement may have ([`crate::limits::MAX_SQL_NEEDS`] less
    /// those of the statements before it), and whether it wanted more.
    budget: usize,
    pub(crate) over_budget: bool,
    /// CTE names in scope (ASCII lower-cased), innermost last.
    scopes: Vec<HashSet<String>>,
    /// Current nesting depth of expressions and selects.
    depth: usize,
    /// Column references seen (`x`, `t.x`, `*`), including in subqueries.
    pub(crate) columns_read: usize,
    /// References to `NEW.x` / `OLD.x` seen (a trigger's reads of its own table).
    pub(crate) new_old_read: usize,
    /// Whether a `pragma_*` table-valued function is used, and whether a column named
    /// like one of its hidden columns (`arg`, `schema`) is: a constraint on those
    /// chooses the table and the database the pragma reads.
    pub(crate) pragma_function_used: bool,
    pub(crate) hidden_pragma_column_named: bool,
    /// Where unqualified names resolve (`main`, or an attached schema inside its own
    /// triggers and views).
    pub(crate) default_schema: Schema,
}

impl Walker {
    /// An empty walker resolving unqualified names in `main`, which records at most
    /// `budget` needs.
    pub(crate) fn new(budget: usize) -> Self {
        Self {
            needs: Vec::new(),
            seen: HashSet::new(),
            budget,
            over_budget: false,
            scopes: Vec::new(),
            depth: 0,
            columns_read: 0,
            new_old_read: 0,
            pragma_function_used: false,
            hidden_pragma_column_named: false,
            default_schema: Schema::Main,
        }
    }

    /// Records `need` once; past the budget, only that the statement wanted more.
    pub(crate) fn need(&mut self, need: Need) {
        // A statement has few needs: up to `LINEAR` a scan of `needs` beats hashing and
        // cloning each one into `seen` (benchmarks: the set was a quarter of a short
        // statement's analysis); past it the set takes over, filled once.
        const LINEAR: usize = 16;
        if self.over_budget {
            return;
        }
        let seen = if self.needs.len() < LINEAR {
            self.needs.contains(&need)
        } else {
            if self.seen.is_empty() {
                self.seen.extend(self.needs.iter().cloned());
            }
            self.seen.contains(&need)
        };
        if seen {
            return;
        }
        if self.needs.len() >= self.budget {
            self.over_budget = true;
            return;
        }
        if self.needs.len() >= LINEAR {
            self.seen.insert(need.clone());
        }
        self.needs.push(need);
    }

    /// Records `action` on `table`, or admin for the raw-page virtual tables.
    pub(crate) fn need_table(&mut self, table: TableName, action: Action) {
        if listed(ADMIN_TABLES, &table.name) {
            self.need(Need::Admin(format!(
                "the `{}` virtual table",
                table.name.to_ascii_lowercase()
            )));
        } else {
            self.need(Need::Table { table, action });
        }
    }

    /// `action` on every table of `schema` (an attached schema needs admin).
    pub(crate) fn need_all(&mut self, schema: &Schema, action: Action, what: &str) {
        match schema {
            Schema::Attached(db) => {
                self.need(Need::Admin(format!("{what} in attached database `{db}`")))
            }
            Schema::Main | Schema::Temp => self.need(Need::AllTables(action)),
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_SQL_DEPTH {
            return Err(Error::new(
                ErrorCode::SqlTooLarge,
                format!("expressions or subqueries nested deeper than {MAX_SQL_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Runs `f` with the CTE names of `with` in scope (and walks their bodies in it:
    /// SQLite resolves every CTE of a `WITH` list, recursive or not, against the whole
    /// list).
    pub(crate) fn with_scope<T>(
        &mut self,
        with: Option<&With<'_>>,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let Some(With { recursive: _, ctes }) = with else {
            return f(self);
        };
        let mut names = HashSet::with_capacity(ctes.len());
        for cte in ctes.iter() {
            names.insert(ident(&cte.tbl_name)?.to_ascii_lowercase());
        }
        self.scopes.push(names);
        let result = ctes.iter().try_for_each(|cte| self.cte(cte)).and_then(|()| f(self));
        self.scopes.pop();
        result
    }

    fn cte(&mut self, cte: &CommonTableExpr<'_>) -> Result<()> {
        let CommonTableExpr { tbl_name: _, columns: _, materialized: _, select } = cte;
        self.select(select)
    }

    fn is_cte(&self, qn: &QualifiedName<'_>) -> Result<bool> {
        if qn.db_name.is_some() || self.scopes.is_empty() {
            return Ok(false);
        }
        // Identifiers compare ASCII case-insensitively, as the scopes store them.
        let name = ident(&qn.name)?.to_ascii_lowercase();
        Ok(self.scopes.iter().any(|scope| scope.contains(&name)))
    }

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

    fn one_select(&mut self, select: &OneSelect<'_>) -> Result<()> {
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

    fn select_table(&mut self, table: &SelectTable<'_>) -> Result<()> {
        match table {
            SelectTable::Table(qn, _alias, _indexed) => self.table_ref(qn),
            SelectTable::TableCall(qn, args, _alias) => self.table_call(qn, args.as_deref()),
            SelectTable::Select(select, _alias) => self.select(select),
            SelectTable::Sub(from, _alias) => self.from(from),
        }
    }

    /// A table read by name (`FROM t`, `x IN t`): nothing for a CTE in scope.
    fn table_ref(&mut self, qn: &QualifiedName<'_>) -> Result<()> {
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

    /// A table-valued function call `name(args)` in `FROM` or after `IN`.
    fn table_call(&mut self, qn: &QualifiedName<'_>, args: Option<&[Expr<'_>]>) -> Result<()> {
        self.exprs(args)?;
        if self.is_cte(qn)? {
            return Ok(());
        }
        let table = table_name(qn, &self.default_schema)?;
        if listed(TABLE_FUNCTIONS, &table.name) {
            return Ok(());
        }
        if let Some(pragma) = pragma_function(&table.name) {
            self.pragma_function_used = true;
            let pragma = pragma.to_owned();
            let mut args = args.unwrap_or_default().iter();
            let arg = args.next();
            let schema = match args.next() {
                None => table.schema.clone(),
                Some(expr) => match literal_name(expr) {
                    Some(schema) => Schema::from_prefix(&schema),
                    None => {
                        self.need(Need::Admin(format!("pragma_{pragma} with a computed schema")));
                        return Ok(());
                    }
                },
            };
            if args.next().is_some() {
                self.need(Need::Admin(format!("pragma_{pragma} with more than two arguments")));
                return Ok(());
            }
            return self.pragma(&pragma, arg, &schema);
        }
        self.need_table(table, Action::DataRead);
        Ok(())
    }

    /// What `PRAGMA [schema.]name [= arg | (arg)]` or `pragma_name(arg)` needs.
    pub(crate) fn pragma(
        &mut self,
        name: &str,
        arg: Option<&Expr<'_>>,
        schema: &Schema,
    ) -> Result<()> {
        if let Some(arg) = arg {
            self.expr(arg)?;
        }
        let name = name.to_ascii_lowercase();
        if listed(ALL_TABLE_PRAGMAS, &name) {
            self.need_all(schema, Action::DataRead, &format!("PRAGMA {name}"));
        } else if listed(TABLE_PRAGMAS, &name) {
            match arg.map(literal_name) {
                None => {}
                Some(Some(table)) => self.need_table(
                    TableName::new(schema.clone(), super::names::checked(table)?),
                    Action::DataRead,
                ),
                Some(None) => self.need_all(
                    schema,
                    Action::DataRead,
                    &format!("PRAGMA {name} of a computed name"),
                ),
            }
        } else if listed(INDEX_PRAGMAS, &name) {
            if arg.is_some() {
                self.need_all(schema, Action::DataRead, &format!("PRAGMA {name}"));
            }
        } else if listed(READ_PRAGMAS, &name) {
            if arg.is_some() {
                self.need(Need::Admin(format!("PRAGMA {name} with a value")));
            }
        } else {
            self.need(Need::Admin(format!("PRAGMA {name}")));
        }
        Ok(())
    }

    /// A column reference `[table.]column`, as written (quotes included).
    fn column_named(&mut self, table: Option<&str>, column: &str) {
        self.columns_read += 1;
        if table.is_some_and(|t| names(t, "new") || names(t, "old")) {
            self.new_old_read += 1;
        }
        if names(column, "arg") || names(column, "schema") {
            self.hidden_pragma_column_named = true;
        }
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

    /// A list of expressions.
    pub(crate) fn exprs(&mut self, exprs: Option<&[Expr<'_>]>) -> Result<()> {
        for expr in exprs.into_iter().flatten() {
            self.expr(expr)?;
        }
        Ok(())
    }

    /// An optional expression.
    pub(crate) fn opt_expr(&mut self, expr: Option<&Expr<'_>>) -> Result<()> {
        match expr {
            Some(expr) => self.expr(expr),
            None => Ok(()),
        }
    }

    /// An expression and everything nested in it.
    pub(crate) fn expr(&mut self, expr: &Expr<'_>) -> Result<()> {
        self.enter()?;
        match expr {
            Expr::Between { lhs, not: _, start, end } => {
                self.expr(lhs)?;
                self.expr(start)?;
                self.expr(end)?;
            }
            Expr::Binary(lhs, _op, rhs) => {
                // SQLite's parser builds `a OR b OR c ...` left-deep: the left spine
                // is walked iteratively, bounded by SQLite's own expression depth,
                // so long chains do not spend the recursion depth.
                let mut rights = vec![*rhs];
                let mut left = *lhs;
                while let Expr::Binary(next_left, _, right) = left {
                    rights.push(*right);
                    left = *next_left;
                    if rights.len() >= MAX_SQL_CHAIN {
                        return Err(Error::new(
                            ErrorCode::SqlTooLarge,
                            format!("more than {MAX_SQL_CHAIN} terms in one operator chain"),
                        ));
                    }
                }
                self.expr(left)?;
                for right in rights.iter().rev() {
                    self.expr(right)?;
                }
            }
            Expr::Case { base, when_then_pairs, else_expr } => {
                self.opt_expr(base.as_deref())?;
                for (when, then) in when_then_pairs.iter() {
                    self.expr(when)?;
                    self.expr(then)?;
                }
                self.opt_expr(else_expr.as_deref())?;
            }
            Expr::Cast { expr, type_name } => {
                self.expr(expr)?;
                self.type_name(type_name.as_ref())?;
            }
            Expr::Collate(expr, _collation) => self.expr(expr)?,
            Expr::DoublyQualified(_, _, column) => self.column_named(None, column.0),
            Expr::Id(Id(column)) => self.column_named(None, column),
            Expr::Name(column) => self.column_named(None, column.0),
            Expr::Qualified(table, column) => self.column_named(Some(table.0), column.0),
            Expr::Exists(select) | Expr::Subquery(select) => self.select(select)?,
            Expr::FunctionCall { name, distinctness: _, args, order_by, filter_over } => {
                self.function(name)?;
                self.exprs(args.as_deref())?;
                match order_by {
                    Some(FunctionCallOrder::SortList(columns)) => self.sorted(Some(columns))?,
                    None => {}
                }
                self.function_tail(filter_over.as_ref())?;
            }
            Expr::FunctionCallStar { name, filter_over } => {
                self.function(name)?;
                self.function_tail(filter_over.as_ref())?;
            }
            Expr::InList { lhs, not: _, rhs } => {
                self.expr(lhs)?;
                self.exprs(rhs.as_deref())?;
            }
            Expr::InSelect { lhs, not: _, rhs } => {
                self.expr(lhs)?;
                self.select(rhs)?;
            }
            Expr::InTable { lhs, not: _, rhs, args } => {
                self.expr(lhs)?;
                match args {
                    Some(args) => self.table_call(rhs, Some(args))?,
                    None => self.table_ref(rhs)?,
                }
            }
            Expr::IsNull(expr) | Expr::NotNull(expr) | Expr::Unary(_, expr) => self.expr(expr)?,
            Expr::Like { lhs, not: _, op: _, rhs, escape } => {
                self.expr(lhs)?;
                self.expr(rhs)?;
                self.opt_expr(escape.as_deref())?;
            }
            Expr::Literal(literal) => match literal {
                Literal::Numeric(_)
                | Literal::String(_)
                | Literal::Blob(_)
                | Literal::Keyword(_)
                | Literal::Null
                | Literal::CurrentDate
                | Literal::CurrentTime
                | Literal::CurrentTimestamp => {}
            },
            Expr::Parenthesized(exprs) => self.exprs(Some(exprs))?,
            Expr::Raise(_, message) => self.opt_expr(message.as_deref())?,
            Expr::Variable(_) => {}
        }
        self.leave();
        Ok(())
    }

    fn function(&mut self, name: &Id<'_>) -> Result<()> {
        let name = super::names::checked(dequote(name.0))?;
        if listed(ADMIN_FUNCTIONS, &name) {
            self.need(Need::Admin(format!("the {}() function", name.to_ascii_lowercase())));
        }
        Ok(())
    }

    fn function_tail(&mut self, tail: Option<&FunctionTail<'_>>) -> Result<()> {
        if let Some(FunctionTail { filter_clause, over_clause }) = tail {
            self.opt_expr(filter_clause.as_deref())?;
            match over_clause {
                Some(Over::Window(window)) => self.window(window)?,
                Some(Over::Name(_)) | None => {}
            }
        }
        Ok(())
    }

    fn window(&mut self, window: &Window<'_>) -> Result<()> {
        let Window { base: _, partition_by, order_by, frame_clause } = window;
        self.exprs(partition_by.as_deref())?;
        self.sorted(order_by.as_deref())?;
        if let Some(FrameClause { mode: _, start, end, exclude: _ }) = frame_clause {
            self.frame_bound(start)?;
            if let Some(end) = end {
                self.frame_bound(end)?;
            }
        }
        Ok(())
    }

    fn frame_bound(&mut self, bound: &FrameBound<'_>) -> Result<()> {
        match bound {
            FrameBound::Following(expr) | FrameBound::Preceding(expr) => self.expr(expr),
            FrameBound::CurrentRow
            | FrameBound::UnboundedFollowing
            | FrameBound::UnboundedPreceding => Ok(()),
        }
    }

    /// A type name's size expressions (`DECIMAL(10, 2)`).
    pub(crate) fn type_name(&mut self, type_name: Option<&Type<'_>>) -> Result<()> {
        if let Some(Type { name: _, size }) = type_name {
            match size {
                Some(TypeSize::MaxSize(expr)) => self.expr(expr)?,
                Some(TypeSize::TypeSize(a, b)) => {
                    self.expr(a)?;
                    self.expr(b)?;
                }
                None => {}
            }
        }
        Ok(())
    }

    /// A table written as a target (never a CTE), in `default_schema` when unqualified.
    pub(crate) fn target(&self, qn: &QualifiedName<'_>) -> Result<TableName> {
        table_name(qn, &self.default_schema)
    }

    /// The schema of an optional prefix, `default_schema` without one.
    pub(crate) fn schema(&self, db: Option<&sqlite3_parser::ast::Name<'_>>) -> Result<Schema> {
        schema_of(db, &self.default_schema)
    }
}

/// The name an expression spells when it is used as one (`t`, `"t"`, `'t'`, `[t]`, a
/// number): `None` for anything computed.
pub(crate) fn literal_name(expr: &Expr<'_>) -> Option<String> {
    // Every other expression (today's and any future variant) is computed: `None`.
    #[allow(clippy::wildcard_enum_match_arm)]
    match expr {
        Expr::Id(Id(text)) => Some(dequote(text)),
        Expr::Name(name) => Some(dequote(name.0)),
        Expr::Literal(Literal::String(text) | Literal::Keyword(text) | Literal::Numeric(text)) => {
            Some(dequote(text))
        }
        _ => None,
    }
}
