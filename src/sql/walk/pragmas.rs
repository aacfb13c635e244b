//! The walker's rules for pragmas: `PRAGMA` statements and the `pragma_*` /
//! table-valued functions named in `FROM` (`special.rs` has the lists).

use sqlite3_parser::ast::{Expr, QualifiedName};

use super::super::names::{checked, table_name};
use super::super::special::{
    listed, pragma_function, ALL_TABLE_PRAGMAS, INDEX_PRAGMAS, READ_PRAGMAS, TABLE_FUNCTIONS,
    TABLE_PRAGMAS,
};
use super::super::Need;
use super::{literal_name, Walker};
use crate::error::Result;
use crate::permissions::{Action, Schema, TableName};

impl Walker {
    /// A table-valued function call `name(args)` in `FROM` or after `IN`.
    pub(super) fn table_call(
        &mut self,
        qn: &QualifiedName<'_>,
        args: Option<&[Expr<'_>]>,
    ) -> Result<()> {
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
                Some(Some(table)) => self
                    .need_table(TableName::new(schema.clone(), checked(table)?), Action::DataRead),
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
}
