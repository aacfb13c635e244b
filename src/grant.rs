//! What a verified token grants for one request, and the spec's effective-permission
//! rules.
//!
//! A [`Grant`] is produced only by [`crate::token`] after the signature, time and scope
//! checks passed. It decides `allows(table, action)` and nothing else: it never parses
//! SQL and never looks at keys.

use crate::permissions::{Action, Rule, Schema, TableName};

/// The access level a token has on the requested database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessLevel {
    /// `a: "ro"`, or a read-only `p` scope: `data_read` only.
    ReadOnly,
    /// `a: "rw"` (the default) or a read-write `p` scope.
    Full,
}

/// An attached database a `p` claim lets the token `ATTACH` (`roa` / `rwa`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachGrant {
    /// The namespace (database) that may be attached, ASCII lower-cased.
    pub namespace: String,
    /// `roa`: read only; `rwa`: read and write.
    pub access: AccessLevel,
}

/// What a verified token grants.
#[derive(Debug, Clone)]
pub struct Grant {
    /// `id`: the one database the token is scoped to.
    pub database: Option<String>,
    /// `gid`: the group the token is scoped to.
    pub group: Option<String>,
    /// Access level on the requested database.
    pub access: AccessLevel,
    /// Fine-grained rules (`perm`); `None` when the token has no `perm` claim.
    pub permissions: Option<Vec<Rule>>,
    /// Databases the token may attach (`p.roa`, `p.rwa`).
    pub attach: Vec<AttachGrant>,
    /// `exp`, seconds since the epoch; `None` for a token that never expires.
    pub expires_at: Option<i64>,
    /// The verified claims, as they were in the token.
    pub claims: serde_json::Map<String, serde_json::Value>,
}

impl Grant {
    /// A grant of `access` and nothing else: no `perm` rules (so `Full` is admin), no
    /// database or group, no attach grant, no expiry, no claims. Tokens make theirs in
    /// [`crate::token`]; this builds one by hand (tests, tools, examples), with
    /// [`Grant::with_rules`] and [`Grant::with_attach`].
    ///
    /// ```
    /// use libsql_authz::grant::{AccessLevel, Grant};
    /// use libsql_authz::permissions::{Action, Rule, TableName};
    /// let grant = Grant::new(AccessLevel::Full)
    ///     .with_rules([Rule::parse_cli("comments:data_add").unwrap()])
    ///     .with_attach("aux", AccessLevel::ReadOnly);
    /// assert!(grant.allows(&TableName::main("comments"), Action::DataAdd));
    /// assert!(grant.allows_attach("aux"));
    /// ```
    pub fn new(access: AccessLevel) -> Grant {
        Grant {
            database: None,
            group: None,
            access,
            permissions: None,
            attach: Vec::new(),
            expires_at: None,
            claims: serde_json::Map::new(),
        }
    }

    /// This grant with `rules` as its `perm` rules (none at all allows only the schema
    /// tables).
    pub fn with_rules(mut self, rules: impl IntoIterator<Item = Rule>) -> Grant {
        self.permissions = Some(rules.into_iter().collect());
        self
    }

    /// This grant, also allowed to attach `namespace` with `access` (`p.roa` / `p.rwa`).
    pub fn with_attach(mut self, namespace: impl Into<String>, access: AccessLevel) -> Grant {
        self.attach.push(AttachGrant { namespace: namespace.into(), access });
        self
    }

    /// `nbf`, seconds since the epoch, when the token has one (read from the verified
    /// claims, where verification required an integer).
    pub fn not_before(&self) -> Option<i64> {
        self.claims.get("nbf").and_then(serde_json::Value::as_i64)
    }

    /// Whether the token is read-only on the requested database.
    pub fn read_only(&self) -> bool {
        self.access == AccessLevel::ReadOnly
    }

    /// Full access: read-write and no `perm` rules. Only such a token may do what the
    /// spec calls "admin" (PRAGMA setters, `VACUUM`, `ATTACH` without a `p` grant, ...).
    pub fn is_admin(&self) -> bool {
        self.access == AccessLevel::Full && self.permissions.is_none()
    }

    /// The spec's effective permission for `action` on `table`:
    /// 1. `data_read` of SQLite's schema tables is always allowed;
    /// 2. a table of an attached database needs full access, or a `p` attach grant for
    ///    that database (`roa`: reads, `rwa`: reads and data writes);
    /// 3. read-only allows `data_read` only, whatever the rules say;
    /// 4. with `perm`, some rule must list the action for the table or for `all`;
    /// 5. without `perm`, full access allows everything.
    ///
    /// ```
    /// use libsql_authz::grant::{AccessLevel, Grant};
    /// use libsql_authz::permissions::{Action, Rule, TableName};
    /// let grant = Grant::new(AccessLevel::Full)
    ///     .with_rules([Rule::parse_cli("comments:data_add").unwrap()]);
    /// assert!(grant.allows(&TableName::main("Comments"), Action::DataAdd));
    /// assert!(!grant.allows(&TableName::main("comments"), Action::DataDelete));
    /// assert!(grant.allows(&TableName::main("sqlite_schema"), Action::DataRead));
    /// ```
    pub fn allows(&self, table: &TableName, action: Action) -> bool {
        if action == Action::DataRead && table.is_system_table() {
            return true;
        }
        if let Schema::Attached(namespace) = &table.schema {
            return self.is_admin() || self.allows_attached(namespace, action);
        }
        if self.access == AccessLevel::ReadOnly && action != Action::DataRead {
            return false;
        }
        match &self.permissions {
            Some(rules) => rules.iter().any(|rule| rule.allows(table, action)),
            None => true,
        }
    }

    /// Whether `action` is allowed on every table at once (`DROP INDEX`, bare
    /// `ANALYZE`, ...): full access, or a rule for `all` tables listing the action.
    pub fn allows_all_tables(&self, action: Action) -> bool {
        if self.access == AccessLevel::ReadOnly && action != Action::DataRead {
            return false;
        }
        match &self.permissions {
            Some(rules) => rules.iter().any(|rule| {
                rule.tables == crate::permissions::Tables::All && rule.actions.contains(&action)
            }),
            None => true,
        }
    }

    /// Whether the token may `ATTACH` the database `namespace`.
    pub fn allows_attach(&self, namespace: &str) -> bool {
        self.is_admin() || self.attach.iter().any(|g| g.namespace.eq_ignore_ascii_case(namespace))
    }

    fn allows_attached(&self, namespace: &str, action: Action) -> bool {
        self.attach.iter().any(|g| {
            g.namespace.eq_ignore_ascii_case(namespace)
                && match g.access {
                    AccessLevel::ReadOnly => action == Action::DataRead,
                    AccessLevel::Full => matches!(
                        action,
                        Action::DataRead
                            | Action::DataAdd
                            | Action::DataUpdate
                            | Action::DataDelete
                    ),
                }
        })
    }
}

#[cfg(test)]
mod tests;
