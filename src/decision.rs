//! The decision: a [`Grant`] against the analysis of a statement.
//!
//! [`check_statement`] analyses the SQL ([`crate::sql::analyze`]) and checks every
//! need of every statement against the grant. A batch is allowed only if every
//! statement is; an analysis error (parse error, unsupported construct, input over a
//! limit) is always a denial. Every denied access carries a reason for people. It
//! never parses tokens and never looks at keys.

use std::ops::Range;

use serde::Serialize;

use crate::error::Error;
use crate::grant::Grant;
use crate::permissions::{Action, Schema, TableName};
use crate::sql::{analyze, Analysis, Need, StatementAnalysis, StatementKind};

/// One access a statement needs and whether the grant allows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessCheck {
    /// The table (`t`, `temp.t`, `aux.t`), `*` for every table or admin, or the
    /// database for `attach`.
    pub table: String,
    /// An [`Action`]'s name, `"admin"` or `"attach"`.
    pub action: &'static str,
    /// Whether the grant allows it.
    pub allowed: bool,
    /// Why it is denied (or, for admin, what needs full access).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One statement of the batch and its accesses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementDecision {
    /// The statement's own text.
    pub sql: String,
    /// Where `sql` is in the checked text, in bytes ([`StatementAnalysis::span`]).
    #[serde(skip)]
    pub span: Range<usize>,
    /// Its kind (`"select"`, `"insert"`, ...).
    pub kind: StatementKind,
    /// Every access it needs, allowed or not.
    pub accesses: Vec<AccessCheck>,
    /// Whether every access is allowed.
    pub allowed: bool,
}

/// The answer to "may this grant run this SQL?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Whether the whole batch may run: every statement allowed and no error.
    pub allowed: bool,
    /// Each statement analysed, in order.
    pub statements: Vec<StatementDecision>,
    /// Every denied access, over all statements.
    pub denied: Vec<AccessCheck>,
    /// Why the SQL could not be analysed (`ERR_SQL_PARSE`, `ERR_SQL_UNSUPPORTED`,
    /// `ERR_SQL_TOO_LARGE`); always a denial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Error>,
}

/// Decides whether `grant` may run `sql` (every statement of it).
///
/// ```
/// use libsql_authz::decision::check_statement;
/// use libsql_authz::grant::{AccessLevel, Grant};
/// let read_only = Grant::new(AccessLevel::ReadOnly);
/// assert!(check_statement(&read_only, "SELECT * FROM posts").allowed);
/// let decision = check_statement(&read_only, "SELECT 1; DROP TABLE posts");
/// assert!(!decision.allowed);
/// assert_eq!(decision.denied[0].reason.as_deref(), Some("read-only token"));
/// ```
pub fn check_statement(grant: &Grant, sql: &str) -> Decision {
    check_analysis(grant, &analyze(sql))
}

/// [`check_statement`] for SQL already analysed (by [`analyze`] or an
/// [`crate::sql::AnalysisCache`]): the decision step alone. Checks every need of every
/// statement against `grant`, in order; the batch is allowed when there is no analysis
/// error and every statement is.
pub fn check_analysis(grant: &Grant, analysis: &Analysis) -> Decision {
    let statements: Vec<StatementDecision> =
        analysis.statements.iter().map(|statement| check_one(grant, statement)).collect();
    let denied = statements
        .iter()
        .flat_map(|statement| statement.accesses.iter().filter(|access| !access.allowed))
        .cloned()
        .collect();
    let allowed = analysis.error.is_none() && statements.iter().all(|s| s.allowed);
    Decision { allowed, statements, denied, error: analysis.error.clone() }
}

/// The decision on one statement: each of its needs checked.
fn check_one(grant: &Grant, statement: &StatementAnalysis) -> StatementDecision {
    let accesses: Vec<AccessCheck> =
        statement.needs.iter().map(|need| check_need(grant, need)).collect();
    StatementDecision {
        sql: statement.sql.clone(),
        span: statement.span.clone(),
        kind: statement.kind,
        allowed: accesses.iter().all(|access| access.allowed),
        accesses,
    }
}

/// Checks one need against the grant, with the reason of a denial.
pub fn check_need(grant: &Grant, need: &Need) -> AccessCheck {
    let (allowed, reason) = match need {
        Need::Table { table, action } => {
            let shadow = match table.schema {
                Schema::Main => attached_shadow(grant, &table.name, *action),
                Schema::Temp | Schema::Attached(_) => None,
            };
            if let Some(namespace) = shadow {
                (false, Some(format!(
                    "`{table}` may resolve to attached database `{namespace}`, where {action} is not allowed"
                )))
            } else {
                let allowed = grant.allows(table, *action);
                let reason = (!allowed).then(|| match &table.schema {
                    Schema::Attached(db) => {
                        format!(
                            "no attach permission allows {action} on `{table}` (database `{db}`)"
                        )
                    }
                    Schema::Main | Schema::Temp
                        if grant.read_only() && *action != Action::DataRead =>
                    {
                        "read-only token".to_owned()
                    }
                    Schema::Main | Schema::Temp => format!("no rule allows {action} on `{table}`"),
                });
                (allowed, reason)
            }
        }
        Need::AllTables(action) => {
            let allowed =
                grant.allows_all_tables(*action) && attached_shadow(grant, "*", *action).is_none();
            let reason = (!allowed).then(|| {
                if grant.read_only() && *action != Action::DataRead {
                    "read-only token".to_owned()
                } else {
                    format!("{action} on every table is needed and no rule for `all` allows it")
                }
            });
            (allowed, reason)
        }
        Need::Attach(db) => {
            let allowed = grant.allows_attach(db);
            let reason = (!allowed).then(|| {
                format!("ATTACH of `{db}` needs full access or a p.roa / p.rwa scope for it")
            });
            (allowed, reason)
        }
        Need::Admin(what) => {
            let allowed = grant.is_admin();
            let reason = if allowed {
                None
            } else if grant.read_only() {
                Some(format!("read-only token: {what} needs full access"))
            } else {
                Some(format!("{what} needs full access (a token with no perm rules)"))
            };
            (allowed, reason)
        }
    };
    AccessCheck { table: need.table_label(), action: need.action_label(), allowed, reason }
}

/// Decision: SQLite resolves a name that is not in `temp` or `main` in the attached
/// databases, so a table written without a schema may be an attached database's. A
/// token that may attach databases (`p.roa` / `p.rwa`, not admin) must therefore also
/// be allowed a write or schema change there. Returns the attachable namespace where
/// `action` on `name` is not allowed. Reads are allowed by every attach grant, and
/// creation always targets `main` or `temp`.
fn attached_shadow<'g>(grant: &'g Grant, name: &str, action: Action) -> Option<&'g str> {
    if grant.is_admin() || matches!(action, Action::DataRead | Action::SchemaAdd) {
        return None;
    }
    grant
        .attach
        .iter()
        .find(|g| {
            !grant.allows(&TableName::new(Schema::Attached(g.namespace.clone()), name), action)
        })
        .map(|g| g.namespace.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::grant::AccessLevel;
    use crate::testing;
    use crate::testing::test;

    /// A grant with `rules`, or none when there are none.
    fn grant(access: AccessLevel, rules: &[&str]) -> Grant {
        testing::grant(access, (!rules.is_empty()).then_some(rules))
    }

    #[test]
    fn a_batch_is_allowed_only_if_every_statement_is() {
        let g = grant(AccessLevel::Full, &["t:data_read"]);
        assert!(check_statement(&g, "SELECT * FROM t; SELECT 1").allowed);
        let d = check_statement(&g, "SELECT * FROM t; DELETE FROM t");
        assert!(!d.allowed);
        assert!(d.statements[0].allowed && !d.statements[1].allowed);
        assert_eq!(d.denied.len(), 1);
        assert_eq!(d.denied[0].reason.as_deref(), Some("no rule allows data_delete on `t`"));
    }

    #[test]
    fn every_denial_has_a_reason() {
        let ro = grant(AccessLevel::ReadOnly, &[]);
        let d = check_statement(&ro, "DELETE FROM comments; DROP INDEX i; VACUUM; ATTACH 'a' AS a");
        assert_eq!(d.denied.len(), 4);
        assert!(d.denied.iter().all(|a| a.reason.is_some()));
        assert_eq!(d.denied[0].reason.as_deref(), Some("read-only token"));
        assert_eq!((d.denied[1].table.as_str(), d.denied[1].action), ("*", "schema_update"));
        assert_eq!(d.denied[2].action, "admin");
        assert_eq!((d.denied[3].table.as_str(), d.denied[3].action), ("a", "attach"));
    }

    #[test]
    fn an_analysis_error_is_a_denial() {
        let full = grant(AccessLevel::Full, &[]);
        let d = check_statement(&full, "SELECT 1; SELEC 2");
        assert!(!d.allowed);
        assert_eq!(d.error.map(|e| e.code), Some(ErrorCode::SqlParse));
    }

    #[test]
    fn an_empty_input_is_allowed_with_no_statement() {
        let ro = grant(AccessLevel::ReadOnly, &[]);
        let d = check_statement(&ro, " -- nothing\n");
        assert!(d.allowed && d.statements.is_empty() && d.error.is_none());
    }

    #[test]
    fn full_access_may_do_admin_things_rules_may_not() {
        let full = grant(AccessLevel::Full, &[]);
        assert!(check_statement(&full, "VACUUM; PRAGMA journal_mode = wal; DETACH x").allowed);
        let all = grant(AccessLevel::Full, &["all:data_read,data_add,schema_add,schema_update"]);
        assert!(!check_statement(&all, "VACUUM").allowed);
        assert!(check_statement(&all, "DROP INDEX i; INSERT INTO t VALUES (1)").allowed);
    }

    #[test]
    fn unqualified_writes_must_be_allowed_in_every_attachable_database() {
        let mut g = grant(AccessLevel::Full, &["all:data_read,data_add"]);
        g = g.with_attach("aux", AccessLevel::ReadOnly);
        let d = check_statement(&g, "INSERT INTO t VALUES (1)");
        assert!(!d.allowed);
        assert!(d.denied[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("attached database `aux`")));
        assert!(check_statement(&g, "SELECT * FROM t, aux.w").allowed);
        g.attach[0].access = AccessLevel::Full;
        assert!(check_statement(&g, "INSERT INTO t VALUES (1)").allowed);
    }

    #[test]
    fn unqualified_names_resolve_safely_when_the_connection_holds_only_checked_objects() {
        // Issue 13, finding 7: SQLite resolves an unqualified name in `temp`, then `main`,
        // then the attached databases; the gate reads it as `main`. Sound when the
        // connection's temp schema and attached databases hold only what statements
        // checked under the same token put there (DESIGN.md, "Connection state").
        // temp: a rule for the main table `t` never lets the token make `temp.t`, and a
        // temp object can be filled only from what the token may read.
        let g = grant(AccessLevel::Full, &["t:data_read,data_add,schema_add,schema_update"]);
        for sql in [
            "CREATE TEMP TABLE t(a)",
            "CREATE TEMP VIEW t AS SELECT 1",
            "CREATE TEMP TABLE t AS SELECT * FROM t",
        ] {
            assert!(!check_statement(&g, sql).allowed, "{sql}");
        }
        let g = grant(AccessLevel::Full, &["all:schema_add", "t:data_read"]);
        assert!(check_statement(&g, "CREATE TEMP TABLE t AS SELECT * FROM main.t").allowed);
        assert!(!check_statement(&g, "CREATE TEMP TABLE t AS SELECT * FROM secret").allowed);
        assert!(!check_statement(&g, "CREATE TEMP VIEW t AS SELECT * FROM secret").allowed);
        // A temp trigger's body is checked when it is made, like a persistent one's.
        let g = grant(AccessLevel::Full, &["all:schema_add", "t:schema_update,data_add"]);
        let trigger = "CREATE TEMP TRIGGER r AFTER INSERT ON t BEGIN DELETE FROM x; END";
        assert!(!check_statement(&g, trigger).allowed);
        // attached: only an attach grant lets the token attach, and it covers reading the
        // whole database, so a read that SQLite resolves there asks for nothing more.
        let mut g = grant(AccessLevel::Full, &["t:data_read"]);
        assert!(!check_statement(&g, "ATTACH DATABASE aux AS aux").allowed);
        g = g.with_attach("aux", AccessLevel::ReadOnly);
        assert!(check_statement(&g, "ATTACH DATABASE aux AS aux").allowed);
        assert!(g.allows(&TableName::new(Schema::Attached("aux".into()), "t"), Action::DataRead));
        assert!(check_statement(&g, "SELECT * FROM t").allowed);
    }

    #[test]
    fn decision_serializes_in_camel_case() {
        let ro = grant(AccessLevel::ReadOnly, &[]);
        let json = serde_json::to_value(check_statement(&ro, "DELETE FROM t")).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"allowed": false, "statements": [{"sql": "DELETE FROM t", "kind": "delete",
                "accesses": [{"table": "t", "action": "data_delete", "allowed": false, "reason": "read-only token"}],
                "allowed": false}],
                "denied": [{"table": "t", "action": "data_delete", "allowed": false, "reason": "read-only token"}]})
        );
    }
}
