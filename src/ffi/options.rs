//! Options as a host writes them (camelCase members, `now` as a number of seconds,
//! `"7d"` or seconds for an expiration), read with serde and turned into the core's.
//!
//! A host must refuse members these types do not know (the wasm bindings do, in
//! `convert::read_options`): a misspelt `databse` must never silently skip the database
//! check. `now`, when absent, comes from the host's clock.

use serde::Deserialize;

use crate::error::{Error, ErrorCode, Result};
use crate::token;

/// `ERR_OPTIONS_INVALID` with `message`: a host's option the core cannot take.
pub(crate) fn options_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::OptionsInvalid, message)
}

/// `now` in whole seconds: a finite number of seconds, floored.
pub fn seconds(now: f64) -> Result<i64> {
    let now = now.floor();
    // 2^53: beyond it a JS number no longer holds every integer.
    if now.is_finite() && now.abs() <= 9_007_199_254_740_992.0 {
        // Exact: an integral f64 within ±2^53.
        #[allow(clippy::as_conversions)]
        Ok(now as i64)
    } else {
        Err(options_error("`now` must be a finite number of seconds"))
    }
}

/// One string or a list of strings (`issuer`, `audience`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// The options of `verifyToken` and of a `Verifier`.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct VerifyOptions {
    /// The database's name (sqld's namespace).
    pub database: Option<String>,
    /// Its Turso Cloud id, which Cloud tokens carry in `id`.
    pub database_id: Option<String>,
    /// The group's name.
    pub group: Option<String>,
    /// Its Turso Cloud id, which Cloud group tokens carry in `gid`.
    pub group_id: Option<String>,
    pub now: Option<f64>,
    pub leeway: Option<u64>,
    pub algorithms: Option<Vec<String>>,
    pub issuer: Option<OneOrMany>,
    pub audience: Option<OneOrMany>,
}

impl VerifyOptions {
    /// The core's options, with `now` from the host's `clock` when absent.
    pub fn into_core(self, clock: impl FnOnce() -> f64) -> Result<token::VerifyOptions> {
        Ok(token::VerifyOptions {
            database: target(self.database, self.database_id),
            group: target(self.group, self.group_id),
            now: seconds(self.now.unwrap_or_else(clock))?,
            leeway: self.leeway.unwrap_or(token::DEFAULT_LEEWAY),
            algorithms: self.algorithms,
            issuer: self.issuer.map(OneOrMany::into_vec),
            audience: self.audience.map(OneOrMany::into_vec),
        })
    }
}

/// A database or group known by name, by Turso Cloud id, or both; `None` for neither.
fn target(name: Option<String>, id: Option<String>) -> Option<token::Target> {
    (name.is_some() || id.is_some()).then_some(token::Target { name, id })
}

/// `expiration`: `"7d"`, `"never"`, or a number of seconds.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Expiration {
    Text(String),
    Seconds(u64),
}

/// The options of `createToken`.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TokenOptions {
    pub database: Option<String>,
    pub group: Option<String>,
    pub read_only: Option<bool>,
    pub permissions: Option<Vec<String>>,
    pub read_attach: Option<Vec<String>>,
    pub expiration: Option<Expiration>,
    pub now: Option<f64>,
}

impl TokenOptions {
    /// The core's options for `claimsTemplate`, which has no time: `expiration` and `now`
    /// are refused rather than ignored. (One options type for both: a second one read
    /// through serde would cost the wasm 3 KB gzipped.)
    pub fn into_template(self) -> Result<token::TokenOptions> {
        if self.expiration.is_some() || self.now.is_some() {
            return Err(options_error(
                "claimsTemplate options have no `expiration` or `now`: a template has no time",
            ));
        }
        self.into_core(|| 0.0)
    }

    /// The core's options, with `now` from the host's `clock` when absent.
    pub fn into_core(self, clock: impl FnOnce() -> f64) -> Result<token::TokenOptions> {
        let expiration = match self.expiration {
            None => token::Expiration::default(),
            Some(Expiration::Text(text)) => token::Expiration::parse(&text)?,
            Some(Expiration::Seconds(seconds)) => token::Expiration::from_seconds(seconds)?,
        };
        Ok(token::TokenOptions {
            database: self.database,
            group: self.group,
            read_only: self.read_only.unwrap_or(false),
            permissions: self.permissions,
            read_attach: self.read_attach.unwrap_or_default(),
            expiration,
            now: seconds(self.now.unwrap_or_else(clock))?,
        })
    }
}
