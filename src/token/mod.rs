//! Token verification: is this bearer token genuine, unexpired and scoped to this
//! database? (STUB: implemented by the token work.)

use crate::error::{Error, ErrorCode, Result};
use crate::grant::Grant;

/// What `verify_token` checks besides the signature.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The database the request targets; `None` skips the database scope check.
    pub database: Option<String>,
    /// The group of that database; `None` skips the group scope check.
    pub group: Option<String>,
    /// Current time, seconds since the epoch.
    pub now: i64,
    /// Clock tolerance for `exp` / `nbf`, seconds (default 60).
    pub leeway: u64,
    /// Accepted `alg` values; `None` accepts every asymmetric algorithm the keys allow.
    pub algorithms: Option<Vec<String>>,
    /// Accepted issuers (`iss`); `None` does not check.
    pub issuer: Option<Vec<String>>,
    /// Accepted audiences (`aud`); `None` does not check.
    pub audience: Option<Vec<String>>,
}

/// Verifies `token` against `keys` and returns what it grants for the request.
pub fn verify_token(_token: &str, _keys: &str, _options: &VerifyOptions) -> Result<Grant> {
    Err(Error::new(ErrorCode::TokenMalformed, "not implemented"))
}
