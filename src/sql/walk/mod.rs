//! The walker: every table an expression, a `SELECT` or a `FROM` clause reads.
//!
//! It visits every position of the AST with exhaustive matches (new syntax in the
//! parser is a compile error here, never a silent pass), keeps the `WITH` scopes that
//! let a CTE name shadow a table, counts column references (so that `UPDATE` and
//! `DELETE` know whether they read their target) and carries a depth counter so that
//! no input can overflow the stack. It never decides whether a need is granted.
//!
//! This file holds the walker's state (needs, scopes, depth); the traversal is in
//! `select.rs` and `expr.rs`, the rules for pragmas and table-valued functions in
//! `pragmas.rs`.

use std::collections::HashSet;

use sqlite3_parser::ast::{CommonTableExpr, Expr, Id, Literal, QualifiedName, With};

use super::names::{dequote, ident, schema_of, table_name};
use super::special::{listed, ADMIN_TABLES};
use super::Need;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_SQL_DEPTH;
use crate::permissions::{Action, Schema, TableName};

mod expr;
mod pragmas;
mod select;

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
