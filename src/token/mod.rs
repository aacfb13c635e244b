//! Token verification and minting: is this bearer token genuine, unexpired and scoped to
//! this database? (STUB in the `pkg` branch: same signatures as the token work, every
//! function returns an error, none panics.)

use crate::error::{Error, ErrorCode, Result};
use crate::grant::Grant;

fn not_implemented<T>() -> Result<T> {
    Err(Error::new(ErrorCode::TokenMalformed, "not implemented"))
}

/// Default clock tolerance for `exp` / `nbf`, seconds.
pub const DEFAULT_LEEWAY: u64 = 60;

/// What `verify_token` checks besides the signature.
#[derive(Debug, Clone)]
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

impl Default for VerifyOptions {
    /// No scope, issuer or audience check, the spec's 60 s leeway, `now` = 0.
    fn default() -> Self {
        Self { database: None, group: None, now: 0, leeway: DEFAULT_LEEWAY, algorithms: None, issuer: None, audience: None }
    }
}

/// A parsed set of verification keys.
#[derive(Debug, Clone, Default)]
pub struct KeySet {}

impl KeySet {
    /// Parses JWKS / JWK / JWK-array JSON text, PEM SPKI or a raw base64url Ed25519 key.
    pub fn parse(_text: &str) -> Result<KeySet> {
        Err(Error::new(ErrorCode::KeyInvalid, "not implemented"))
    }
}

/// A freshly generated Ed25519 key pair.
#[derive(Debug, Clone)]
pub struct KeyPair {
    /// The key id, also in both JWKs.
    pub kid: String,
    /// The private key as a JWK (OKP, Ed25519, with `d`).
    pub private_jwk: serde_json::Value,
    /// The public key as a JWK.
    pub public_jwk: serde_json::Value,
}

/// How long a minted token is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expiration {
    /// No `exp` claim.
    #[default]
    Never,
    /// `exp` = `now` + this many seconds.
    Seconds(u64),
}

impl Expiration {
    /// Parses `never` or a number with unit `s`, `m`, `h`, `d`, `w`.
    pub fn parse(_text: &str) -> Result<Expiration> {
        Err(Error::new(ErrorCode::OptionsInvalid, "not implemented"))
    }

    /// A lifetime of `seconds` (must be positive).
    pub fn from_seconds(_seconds: u64) -> Result<Expiration> {
        Err(Error::new(ErrorCode::OptionsInvalid, "not implemented"))
    }
}

/// What `create_token` writes into the token.
#[derive(Debug, Clone, Default)]
pub struct TokenOptions {
    /// `id`.
    pub database: Option<String>,
    /// `gid`.
    pub group: Option<String>,
    /// `a: "ro"`.
    pub read_only: bool,
    /// `perm`, in the CLI form; `None` writes no `perm` claim.
    pub permissions: Option<Vec<String>>,
    /// `exp`.
    pub expiration: Expiration,
    /// `iat`, seconds since the epoch.
    pub now: i64,
}

/// Generates an Ed25519 key pair with a random `kid`.
pub fn generate_key_pair() -> Result<KeyPair> {
    not_implemented()
}

/// Mints a token signed with the private JWK given as JSON text.
pub fn create_token(_private_jwk_json: &str, _options: &TokenOptions) -> Result<String> {
    not_implemented()
}

/// Verifies `token` against `keys` and returns what it grants for the request.
pub fn verify_token(_token: &str, _keys: &KeySet, _options: &VerifyOptions) -> Result<Grant> {
    not_implemented()
}

/// A key set and options kept between requests.
#[derive(Debug, Clone)]
pub struct Verifier {
    keys: KeySet,
    options: VerifyOptions,
}

impl Verifier {
    /// A verifier for `keys` with `options` (its `now` is replaced on each call).
    pub fn new(keys: KeySet, options: VerifyOptions) -> Result<Verifier> {
        Ok(Self { keys, options })
    }

    /// Verifies `token` at time `now`.
    pub fn verify(&mut self, token: &str, now: i64) -> Result<Grant> {
        let options = VerifyOptions { now, ..self.options.clone() };
        verify_token(token, &self.keys, &options)
    }

    /// Replaces the key set (rotation).
    pub fn update_keys(&mut self, keys: KeySet) {
        self.keys = keys;
    }
}
