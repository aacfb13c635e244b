//! Token verification: is this bearer token genuine, unexpired and scoped to this
//! database?
//!
//! Decides, in this order and with a stable error code at each step: size, structure
//! (compact JWS, strict JSON, no `crit` / `b64` / remote or embedded keys), algorithm,
//! key, signature, claims, time, issuer, audience, scope; then builds the
//! [`Grant`]. It never judges a claim before the signature is good, never fetches keys
//! and never looks at SQL.
//!
//! In reading order, as a token goes through them: [`options`] (what is checked), the
//! untrusted token up to a good signature (`jws`, with [`keys`] choosing the key and
//! [`signature`] doing the arithmetic), its typed [`claims`], and the claims against
//! the request (`scope`), which gives the [`Grant`]. Besides: [`verifier`], a reusable
//! verifier with the one cache of good tokens; [`mint`], creating tokens and key pairs.

pub mod claims;
mod json;
mod jwk;
mod jws;
pub mod key_set;
pub mod keys;
pub mod mint;
pub mod options;
mod scope;
pub mod signature;
pub mod verifier;

#[cfg(test)]
mod tests;

use crate::error::{Error, ErrorCode, Result};
use crate::grant::Grant;

pub use claims::{AccessClaim, Scopes, Section, TokenClaims};
pub use key_set::KeySet;
pub use keys::{Key, SignatureAlgorithm};
pub use mint::{
    claims_template, create_token, generate_key_pair, Expiration, KeyPair, TokenOptions,
};
pub use options::{Target, VerifyOptions, DEFAULT_LEEWAY};
pub use signature::{BuiltinCrypto, SignatureBackend, SignatureInput};
pub use verifier::Verifier;

/// A token-supplied string for an error message, cut to 64 characters.
pub(crate) fn shown(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((end, _)) => format!("{}...", text.get(..end).unwrap_or_default()),
        None => text.to_owned(),
    }
}

fn malformed(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::TokenMalformed, message)
}

/// Verifies `token` against `keys` and returns what it grants for the request
/// described by `options`.
///
/// ```
/// use libsql_authz::token::{create_token, generate_key_pair, verify_token};
/// use libsql_authz::token::{Expiration, KeySet, TokenOptions, VerifyOptions};
/// use libsql_authz::ErrorCode;
///
/// let pair = generate_key_pair()?;
/// let token = create_token(&pair.private_jwk.to_string(), &TokenOptions {
///     database: Some("db1".into()),
///     read_only: true,
///     expiration: Expiration::parse("7d")?,
///     now: 1_700_000_000,
///     ..TokenOptions::default()
/// })?;
/// let keys = KeySet::parse(&pair.public_jwk.to_string())?;
/// let options = VerifyOptions {
///     database: Some("db1".into()),
///     now: 1_700_000_100,
///     ..VerifyOptions::default()
/// };
/// assert!(verify_token(&token, &keys, &options)?.read_only());
///
/// let elsewhere = VerifyOptions { database: Some("db2".into()), ..options };
/// assert_eq!(verify_token(&token, &keys, &elsewhere).unwrap_err().code, ErrorCode::TokenScope);
/// # Ok::<(), libsql_authz::Error>(())
/// ```
pub fn verify_token(token: &str, keys: &KeySet, options: &VerifyOptions) -> Result<Grant> {
    verify_token_with(token, keys, options, &BuiltinCrypto)
}

/// [`verify_token`] with the signature arithmetic done by `backend` (every other check
/// is the same).
pub fn verify_token_with(
    token: &str,
    keys: &KeySet,
    options: &VerifyOptions,
    backend: &dyn SignatureBackend,
) -> Result<Grant> {
    options.validate()?;
    let verified = jws::verify_signature(token, keys, options, backend)?;
    let claims = TokenClaims::parse(&verified.payload)?;
    scope::grant_for(claims, verified.payload, options)
}
