//! What a verification checks besides the signature: the request's database and group,
//! the clock and its leeway, the accepted algorithms, issuers and audiences.

use crate::error::{Error, ErrorCode, Result};
use crate::token::keys::SignatureAlgorithm;

/// Default clock tolerance for `exp` / `nbf`, seconds.
pub const DEFAULT_LEEWAY: u64 = 60;

/// What `verify_token` checks besides the signature.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The database the request targets; `None` skips the database scope check
    /// (except for `p` tokens, which then fail with `ERR_TOKEN_SCOPE`).
    pub database: Option<String>,
    /// The group of that database; `None` skips the group check, except that a `gid`
    /// token with `database` set and no `group` fails with `ERR_TOKEN_SCOPE`.
    pub group: Option<String>,
    /// Current time, seconds since the epoch.
    pub now: i64,
    /// Clock tolerance for `exp` / `nbf`, seconds (default [`DEFAULT_LEEWAY`]).
    pub leeway: u64,
    /// Accepted `alg` values (`EdDSA`, `Ed25519`, `RS256`, `ES256`; `EdDSA` and
    /// `Ed25519` are the same algorithm); `None` accepts all of them.
    pub algorithms: Option<Vec<String>>,
    /// Accepted issuers (`iss`); `None` does not check.
    pub issuer: Option<Vec<String>>,
    /// Accepted audiences (`aud`); `None` does not check.
    pub audience: Option<Vec<String>>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            database: None,
            group: None,
            now: 0,
            leeway: DEFAULT_LEEWAY,
            algorithms: None,
            issuer: None,
            audience: None,
        }
    }
}

impl VerifyOptions {
    /// Checks the options themselves: known algorithm names, no empty lists.
    pub fn validate(&self) -> Result<()> {
        let invalid = |m: &str| Err(Error::new(ErrorCode::OptionsInvalid, m));
        if let Some(algorithms) = &self.algorithms {
            if algorithms.is_empty() {
                return invalid("`algorithms` is empty: no token could ever verify");
            }
            if let Some(name) =
                algorithms.iter().find(|name| SignatureAlgorithm::from_name(name).is_none())
            {
                return Err(Error::new(
                    ErrorCode::OptionsInvalid,
                    format!("unsupported algorithm `{name}` in `algorithms` (EdDSA, Ed25519, RS256, ES256)"),
                ));
            }
        }
        if self.issuer.as_ref().is_some_and(Vec::is_empty) {
            return invalid("`issuer` is empty");
        }
        if self.audience.as_ref().is_some_and(Vec::is_empty) {
            return invalid("`audience` is empty");
        }
        Ok(())
    }

    pub(crate) fn allows_algorithm(&self, alg: SignatureAlgorithm) -> bool {
        match &self.algorithms {
            None => true,
            Some(names) => {
                names.iter().any(|name| SignatureAlgorithm::from_name(name) == Some(alg))
            }
        }
    }
}
