//! What a verification checks besides the signature: the request's database and group,
//! the clock and its leeway, the accepted algorithms, issuers and audiences.

use crate::error::{Error, ErrorCode, Result};
use crate::token::keys::SignatureAlgorithm;

/// A database or a group as the request knows it: by its name (sqld's namespace, the
/// group's name) and, for Turso Cloud, by its id (a UUID). A token's `id`, `gid`,
/// `p.*.ns` and `p.*.tags` match it when they equal either, so one verifier serves the
/// tokens of both issuers.
///
/// ```
/// use libsql_authz::token::options::Target;
/// let db = Target::new("db1", "4a4f0c4e-0000-4000-8000-000000000001");
/// assert!(db.is("db1") && db.is("4a4f0c4e-0000-4000-8000-000000000001"));
/// assert!(!db.is("DB1"));
/// let named: Target = "db1".into();
/// assert!(named.is("db1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The name: sqld's namespace, the database or group name of Turso's CLI.
    pub name: Option<String>,
    /// Turso Cloud's id of the database or group.
    pub id: Option<String>,
}

impl Target {
    /// Known by `name` and by `id`.
    pub fn new(name: impl Into<String>, id: impl Into<String>) -> Target {
        Target { name: Some(name.into()), id: Some(id.into()) }
    }

    /// Whether a token's `value` names this database or group (exact, case-sensitive,
    /// as sqld compares namespaces).
    pub fn is(&self, value: &str) -> bool {
        self.name.as_deref() == Some(value) || self.id.as_deref() == Some(value)
    }

    /// Whether any of `values` names this database or group.
    pub fn is_any(&self, values: &[String]) -> bool {
        values.iter().any(|value| self.is(value))
    }

    /// The names a token may use for it: the name, then the id.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.name.iter().chain(self.id.iter()).map(String::as_str)
    }
}

impl From<&str> for Target {
    fn from(name: &str) -> Target {
        Target { name: Some(name.to_owned()), id: None }
    }
}

impl From<String> for Target {
    fn from(name: String) -> Target {
        Target { name: Some(name), id: None }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.name, &self.id) {
            (Some(name), Some(id)) => write!(f, "`{name}` (id `{id}`)"),
            (Some(only), None) | (None, Some(only)) => write!(f, "`{only}`"),
            (None, None) => f.write_str("(unnamed)"),
        }
    }
}

/// Default clock tolerance for `exp` / `nbf`, seconds.
pub const DEFAULT_LEEWAY: u64 = 60;

/// What `verify_token` checks besides the signature.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The database the request targets; `None` skips the database scope check
    /// (a `p` token then needs `group`, and is refused without it).
    pub database: Option<Target>,
    /// The group of that database; `None` skips the group check, except that a `gid`
    /// token with `database` set and no `group` fails with `ERR_TOKEN_SCOPE`.
    pub group: Option<Target>,
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
        for (what, target) in [("database", &self.database), ("group", &self.group)] {
            if target.as_ref().is_some_and(|t| t.name.is_none() && t.id.is_none()) {
                return Err(Error::new(
                    ErrorCode::OptionsInvalid,
                    format!("`{what}` needs a name or an id"),
                ));
            }
        }
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
