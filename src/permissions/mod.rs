//! Actions, table names and fine-grained rules: the vocabulary of the spec.
//!
//! This module decides how rules are written (the `perm` claim and the CLI form
//! `comments:data_add,data_update`) and how table names compare. It never looks at a
//! token's signature or at SQL: [`crate::grant::Grant`] combines these rules with a
//! token's access level, and [`crate::sql`] produces the table names to test.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{self, MAX_PERMISSION_RULES, MAX_PERMISSION_TABLES};

/// What a statement does to a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read rows (`SELECT`, `RETURNING`, `WHERE` of a write).
    DataRead,
    /// Insert rows.
    DataAdd,
    /// Update rows.
    DataUpdate,
    /// Delete rows (also the rows `REPLACE` removes).
    DataDelete,
    /// Create a table, view or virtual table.
    SchemaAdd,
    /// Change a table's schema: indexes, triggers, `ALTER TABLE`, `ANALYZE`.
    SchemaUpdate,
    /// Drop a table, view or virtual table.
    SchemaDelete,
}

impl Action {
    /// Every action, in the spec's order.
    pub const ALL: [Action; 7] = [
        Action::DataRead,
        Action::DataAdd,
        Action::DataUpdate,
        Action::DataDelete,
        Action::SchemaAdd,
        Action::SchemaUpdate,
        Action::SchemaDelete,
    ];

    /// The spec's name, e.g. `"data_read"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::DataRead => "data_read",
            Action::DataAdd => "data_add",
            Action::DataUpdate => "data_update",
            Action::DataDelete => "data_delete",
            Action::SchemaAdd => "schema_add",
            Action::SchemaUpdate => "schema_update",
            Action::SchemaDelete => "schema_delete",
        }
    }

    /// Parses a spec name; anything else is `None` (no aliases, no case folding).
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.as_str() == name)
    }
}

/// The message for an action name that does not exist, naming those that do (the turso
/// CLI's own help writes `data_insert`, which is none of them).
fn unknown_action(name: &str, place: &str) -> String {
    let actions: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    format!("unknown action `{name}` in {place}; the actions are {}", actions.join(", "))
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The database schema a table lives in, as SQLite names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Schema {
    /// `main`, also when no schema is written.
    Main,
    /// `temp`: the connection's own temporary objects (`CREATE TEMPORARY TABLE t`
    /// makes `temp.t`; as a schema name, `temporary` is an attached database).
    Temp,
    /// An attached database, by its schema name (ASCII lower-cased).
    Attached(String),
}

impl Schema {
    /// The schema for a prefix as written in SQL (already unquoted): `main`, `temp`
    /// (any ASCII case) or an attached database's name. As SQLite resolves schema names,
    /// `temporary.t` is a table of a database attached as `temporary` (issue 13).
    pub fn from_prefix(prefix: &str) -> Schema {
        if prefix.eq_ignore_ascii_case("main") {
            Schema::Main
        } else if prefix.eq_ignore_ascii_case("temp") {
            Schema::Temp
        } else {
            Schema::Attached(prefix.to_ascii_lowercase())
        }
    }
}

/// A table (or view, or other schema object) as SQLite resolves its name: unquoted,
/// compared case-insensitively for ASCII, in a [`Schema`].
///
/// ```
/// use libsql_authz::permissions::{Schema, TableName};
/// assert_eq!(TableName::main("Comments"), TableName::main("comments"));
/// assert_ne!(TableName::main("t"), TableName::new(Schema::Temp, "t"));
/// ```
#[derive(Debug, Clone, Eq)]
pub struct TableName {
    /// The schema the name resolves in.
    pub schema: Schema,
    /// The name as written, quotes removed; compared ASCII case-insensitively.
    pub name: String,
}

impl TableName {
    /// A table `name` in `schema`.
    pub fn new(schema: Schema, name: impl Into<String>) -> Self {
        Self { schema, name: name.into() }
    }

    /// A table `name` in `main`.
    pub fn main(name: impl Into<String>) -> Self {
        Self::new(Schema::Main, name)
    }

    /// Whether this is one of SQLite's schema tables, which every valid token may read.
    pub fn is_system_table(&self) -> bool {
        let system = ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"];
        matches!(self.schema, Schema::Main | Schema::Temp)
            && system.iter().any(|s| s.eq_ignore_ascii_case(&self.name))
    }
}

impl PartialEq for TableName {
    fn eq(&self, other: &Self) -> bool {
        self.schema == other.schema && self.name.eq_ignore_ascii_case(&other.name)
    }
}

impl std::hash::Hash for TableName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.schema.hash(state);
        for byte in self.name.bytes() {
            state.write_u8(byte.to_ascii_lowercase());
        }
    }
}

impl fmt::Display for TableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Schema::Main => f.write_str(&self.name),
            Schema::Temp => write!(f, "temp.{}", self.name),
            Schema::Attached(db) => write!(f, "{db}.{}", self.name),
        }
    }
}

/// The tables a [`Rule`] covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tables {
    /// Every table (`all`, an empty or missing `t`), including `temp` objects.
    All,
    /// The named tables, each read as SQLite reads a name (`comments`, `main.comments`,
    /// `temp.t`, `"odd.name"`) and compared as SQLite compares identifiers. Only `main`
    /// and `temp` tables: a rule never names another database's.
    Named(Vec<TableName>),
}

/// One fine-grained rule: these actions on these tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The tables the rule covers.
    pub tables: Tables,
    /// The actions it allows on them.
    pub actions: Vec<Action>,
}

impl Rule {
    /// Whether this rule allows `action` on `table`. A named table matches the same
    /// name in the same schema; `all` matches every table of the database, `temp` ones
    /// included, but never an attached database's.
    pub fn allows(&self, table: &TableName, action: Action) -> bool {
        if !self.actions.contains(&action) {
            return false;
        }
        match &self.tables {
            Tables::All => !matches!(table.schema, Schema::Attached(_)),
            Tables::Named(names) => names.contains(table),
        }
    }

    /// Parses the CLI form: `all:data_read`, `comments:data_add,data_update`,
    /// `posts,comments:data_read`.
    ///
    /// ```
    /// use libsql_authz::permissions::{Action, Rule, TableName, Tables};
    /// let rule = Rule::parse_cli("comments:data_add,data_update").unwrap();
    /// assert_eq!(rule.tables, Tables::Named(vec![TableName::main("comments")]));
    /// assert_eq!(rule.actions, [Action::DataAdd, Action::DataUpdate]);
    /// assert!(Rule::parse_cli("comments:drop_everything").is_err());
    /// ```
    pub fn parse_cli(text: &str) -> Result<Rule, String> {
        let (tables, actions) = text
            .split_once(':')
            .ok_or_else(|| format!("permission `{text}` is not of the form `table:action,...`"))?;
        let tables: Vec<&str> = tables.split(',').map(str::trim).collect();
        let tables = if tables.iter().any(|t| t.eq_ignore_ascii_case("all")) {
            if tables.len() > 1 {
                return Err(format!("permission `{text}` mixes `all` with table names"));
            }
            Tables::All
        } else {
            Tables::Named(tables.into_iter().map(rule_table).collect::<Result<_, _>>()?)
        };
        let actions = actions
            .split(',')
            .map(|a| {
                let a = a.trim();
                Action::parse(a).ok_or_else(|| unknown_action(a, &format!("permission `{text}`")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rule { tables, actions })
    }

    /// The CLI form of this rule (`all:data_read`).
    pub fn to_cli(&self) -> String {
        let tables = match &self.tables {
            Tables::All => "all".to_owned(),
            Tables::Named(names) => {
                names.iter().map(TableName::to_sql).collect::<Vec<_>>().join(",")
            }
        };
        let actions: Vec<&str> = self.actions.iter().map(|a| a.as_str()).collect();
        format!("{tables}:{}", actions.join(","))
    }
}

/// A rule's table name, read as SQLite reads a name (issue 13): `comments`,
/// `main.comments`, `temp.t`, `"odd.name"`. A name of another database is refused: a
/// token's rules cover its own database, attached ones only through `p.roa` / `p.rwa`.
fn rule_table(name: &str) -> Result<TableName, String> {
    limits::check_identifier("a table name in a permission", name, ErrorCode::OptionsInvalid)
        .map_err(|error| error.message)?;
    let table =
        TableName::parse(name).map_err(|error| format!("{} in permission", error.message))?;
    match table.schema {
        Schema::Main | Schema::Temp => Ok(table),
        Schema::Attached(_) => Err(format!(
            "permission names `{name}`, a table of another database: rules name tables of \
             the token's database (`t`, `main.t`, `temp.t`; quote a name with a dot: `\"a.b\"`)"
        )),
    }
}

/// The JSON form of a rule in the `perm` claim: `{"t": [...], "a": [...]}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleJson {
    /// Absent, `null` (the turso CLI's `all`) or empty: every table.
    #[serde(default)]
    t: Option<Vec<String>>,
    a: Vec<String>,
}

/// Parses the `perm` claim: a list whose items are rule objects `{"t": [..], "a": [..]}`
/// (`t` absent, `null` or `[]`: every table) or CLI strings `"comments:data_add"`. An
/// empty list parses to no rule; [`crate::token::TokenClaims`] reads it as no `perm`.
/// Anything else (unknown action, unknown key, wrong type, too many rules) is
/// `ERR_TOKEN_CLAIMS`.
pub fn parse_perm_claim(value: &serde_json::Value) -> Result<Vec<Rule>> {
    let claims_error = |message: String| Error::new(ErrorCode::TokenClaims, message);
    let items = value
        .as_array()
        .ok_or_else(|| claims_error("`perm` must be a list of rules".to_owned()))?;
    if items.len() > MAX_PERMISSION_RULES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "`perm` has {} rules; at most {MAX_PERMISSION_RULES} are accepted",
                items.len()
            ),
        ));
    }
    let mut rules = Vec::with_capacity(items.len());
    for item in items {
        let rule = match item {
            serde_json::Value::String(text) => Rule::parse_cli(text).map_err(claims_error)?,
            serde_json::Value::Object(_) => {
                let json: RuleJson = serde_json::from_value(item.clone())
                    .map_err(|e| claims_error(format!("invalid rule in `perm`: {e}")))?;
                rule_from_json(json).map_err(claims_error)?
            }
            serde_json::Value::Null
            | serde_json::Value::Bool(_)
            | serde_json::Value::Number(_)
            | serde_json::Value::Array(_) => {
                return Err(claims_error(
                    "each `perm` rule must be an object or a string".to_owned(),
                ))
            }
        };
        rules.push(rule);
    }
    check_rule_sizes(&rules)?;
    Ok(rules)
}

fn rule_from_json(json: RuleJson) -> Result<Rule, String> {
    let names = json.t.unwrap_or_default();
    let tables = if names.is_empty() || names.iter().any(|t| t.eq_ignore_ascii_case("all")) {
        if names.len() > 1 {
            return Err("a `perm` rule mixes `all` with table names".to_owned());
        }
        Tables::All
    } else {
        Tables::Named(names.iter().map(|t| rule_table(t)).collect::<Result<_, _>>()?)
    };
    let actions = json
        .a
        .iter()
        .map(|a| Action::parse(a).ok_or_else(|| unknown_action(a, "`perm`")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rule { tables, actions })
}

/// Parses rules written in the CLI form (the `permissions` option of `createToken`).
pub fn parse_cli_rules(items: &[String]) -> Result<Vec<Rule>> {
    if items.len() > MAX_PERMISSION_RULES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "{} permissions given; at most {MAX_PERMISSION_RULES} are accepted",
                items.len()
            ),
        ));
    }
    let rules = items
        .iter()
        .map(|text| Rule::parse_cli(text).map_err(|m| Error::new(ErrorCode::OptionsInvalid, m)))
        .collect::<Result<Vec<_>>>()?;
    check_rule_sizes(&rules)?;
    Ok(rules)
}

fn check_rule_sizes(rules: &[Rule]) -> Result<()> {
    let tables: usize = rules
        .iter()
        .map(|rule| match &rule.tables {
            Tables::All => 1,
            Tables::Named(names) => names.len(),
        })
        .sum();
    if tables > MAX_PERMISSION_TABLES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("rules name {tables} tables; at most {MAX_PERMISSION_TABLES} are accepted"),
        ));
    }
    Ok(())
}

/// The `perm` claim for `rules`, as written into minted tokens (objects, `t` omitted
/// for `all`). An empty `rules` writes `[]`, which a verifier reads as no restriction:
/// a token that may use no table needs a rule saying so (`all` with no action).
pub fn perm_claim(rules: &[Rule]) -> serde_json::Value {
    let items = rules
        .iter()
        .map(|rule| {
            let actions: Vec<&str> = rule.actions.iter().map(|a| a.as_str()).collect();
            match &rule.tables {
                Tables::All => serde_json::json!({ "a": actions }),
                Tables::Named(names) => {
                    let names: Vec<String> = names.iter().map(TableName::to_sql).collect();
                    serde_json::json!({ "t": names, "a": actions })
                }
            }
        })
        .collect();
    serde_json::Value::Array(items)
}

mod table_name;

#[cfg(test)]
mod tests;
