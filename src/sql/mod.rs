//! Statement analysis: which tables does this SQL touch, and how? (STUB in the `pkg`
//! branch: the analyser is written elsewhere; this one reports every text as
//! unsupported.)

use serde::Serialize;

/// What a SQL text does, statement by statement.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// One entry per statement (empty in the stub).
    pub statements: Vec<serde_json::Value>,
    /// Why the text could not be analysed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<AnalysisError>,
}

/// A failure to analyse, with its stable code.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisError {
    /// The stable code, e.g. `ERR_SQL_PARSE`.
    pub code: &'static str,
    /// For people.
    pub message: String,
}

/// Analyses `sql` as SQLite parses it.
pub fn analyze(_sql: &str) -> Analysis {
    Analysis {
        statements: Vec::new(),
        error: Some(AnalysisError {
            code: crate::error::ErrorCode::SqlUnsupported.as_str(),
            message: "not implemented".to_owned(),
        }),
    }
}
