//! The decision: a Grant against the analysis of a statement. (STUB in the `pkg` branch:
//! denies everything with `ERR_SQL_UNSUPPORTED`.)

use serde::Serialize;

use crate::grant::Grant;
use crate::sql::AnalysisError;

/// Whether a SQL text may run under a grant.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// True only when every statement is allowed.
    pub allowed: bool,
    /// One entry per statement.
    pub statements: Vec<serde_json::Value>,
    /// Every access that was denied.
    pub denied: Vec<serde_json::Value>,
    /// Why the text could not be decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<AnalysisError>,
}

/// Decides whether `sql` may run under `grant`.
pub fn check_statement(_grant: &Grant, sql: &str) -> Decision {
    Decision {
        allowed: false,
        statements: Vec::new(),
        denied: Vec::new(),
        error: crate::sql::analyze(sql).error,
    }
}
