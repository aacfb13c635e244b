//! The walker's traversal of expressions, function calls, windows and type names,
//! and the column references it counts.

use sqlite3_parser::ast::{
    Expr, FrameBound, FrameClause, FunctionCallOrder, FunctionTail, Id, Literal, Over, Type,
    TypeSize, Window,
};

use super::super::names::{checked, dequote, names};
use super::super::special::{listed, ADMIN_FUNCTIONS};
use super::super::Need;
use super::Walker;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_SQL_CHAIN;

impl Walker {
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

    /// A column reference `[table.]column`, as written (quotes included).
    pub(super) fn column_named(&mut self, table: Option<&str>, column: &str) {
        self.columns_read += 1;
        if table.is_some_and(|t| names(t, "new") || names(t, "old")) {
            self.new_old_read += 1;
        }
        if names(column, "arg") || names(column, "schema") {
            self.hidden_pragma_column_named = true;
        }
    }

    pub(super) fn function(&mut self, name: &Id<'_>) -> Result<()> {
        let name = checked(dequote(name.0))?;
        if listed(ADMIN_FUNCTIONS, &name) {
            self.need(Need::Admin(format!("the {}() function", name.to_ascii_lowercase())));
        }
        Ok(())
    }

    pub(super) fn function_tail(&mut self, tail: Option<&FunctionTail<'_>>) -> Result<()> {
        if let Some(FunctionTail { filter_clause, over_clause }) = tail {
            self.opt_expr(filter_clause.as_deref())?;
            match over_clause {
                Some(Over::Window(window)) => self.window(window)?,
                Some(Over::Name(_)) | None => {}
            }
        }
        Ok(())
    }

    pub(super) fn window(&mut self, window: &Window<'_>) -> Result<()> {
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

    pub(super) fn frame_bound(&mut self, bound: &FrameBound<'_>) -> Result<()> {
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
}
