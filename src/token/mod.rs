//! Token verification: is this bearer token genuine, unexpired and scoped to this
//! database?
//!
//! Decides, in this order and with a stable error code at each step: size, structure
//! (compact JWS, strict JSON, no `crit` / `b64` / remote or embedded keys), algorithm,
//! key, signature, claims, time, issuer, audience, scope; then builds the
//! [`Grant`]. It never judges a claim before the signature is good, never fetches keys
//! and never looks at SQL.
//!
//! - [`keys`]: key sets and key selection; [`claims`]: typed claims;
//!   [`mint`]: creating tokens; [`verifier`]: a reusable verifier with a cache.

pub mod claims;
mod json;
mod jwk;
pub mod keys;
pub mod mint;
pub mod signature;
pub mod verifier;

#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::grant::{AccessLevel, AttachGrant, Grant};
use crate::limits::MAX_TOKEN_BYTES;

pub use claims::{Scopes, TokenClaims};
pub use keys::{Key, KeySet, SignatureAlgorithm};
pub use mint::{create_token, generate_key_pair, Expiration, KeyPair, TokenOptions};
pub use signature::{BuiltinCrypto, SignatureBackend, SignatureInput};
pub use verifier::Verifier;

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

    fn allows_algorithm(&self, alg: SignatureAlgorithm) -> bool {
        match &self.algorithms {
            None => true,
            Some(names) => {
                names.iter().any(|name| SignatureAlgorithm::from_name(name) == Some(alg))
            }
        }
    }
}

/// A token whose structure, algorithm and signature have been checked.
pub(crate) struct Verified<'k> {
    /// The key that verified it.
    pub key: &'k keys::Key,
    /// The header `alg`, resolved.
    pub alg: SignatureAlgorithm,
    /// The header `kid`.
    pub kid: Option<String>,
    /// The payload.
    pub payload: Map<String, Value>,
}

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
    let verified = verify_signature(token, keys, options, backend)?;
    let claims = TokenClaims::parse(&verified.payload)?;
    grant_for(claims, verified.payload, options)
}

/// Size, structure, algorithm, key and signature.
pub(crate) fn verify_signature<'k>(
    token: &str,
    keys: &'k KeySet,
    options: &VerifyOptions,
    backend: &dyn SignatureBackend,
) -> Result<Verified<'k>> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("token of {} bytes; at most {MAX_TOKEN_BYTES} are accepted", token.len()),
        ));
    }
    if token.starts_with('{') {
        return Err(malformed("JWS JSON serialization is not accepted; use the compact form"));
    }
    if let Some(byte) =
        token.bytes().find(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
    {
        return Err(malformed(format!(
            "character {:?} is not allowed in a compact JWS (base64url and `.` only)",
            char::from(byte)
        )));
    }
    let (header_part, payload_part, signed, signature_part) = split_parts(token)?;
    let header = decode_object(header_part, "header")?;
    let payload = decode_object(payload_part, "payload")?;
    let (alg_name, kid) = check_header(&header)?;
    let signature = decode_part(signature_part, "signature")?;

    let alg = SignatureAlgorithm::from_name(alg_name).ok_or_else(|| {
        Error::new(
            ErrorCode::TokenAlgorithm,
            format!("algorithm `{}` is not accepted", shown(alg_name)),
        )
    })?;
    if !options.allows_algorithm(alg) {
        return Err(Error::new(
            ErrorCode::TokenAlgorithm,
            format!("algorithm `{}` is not in `algorithms`", shown(alg_name)),
        ));
    }
    let kid = kid.map(str::to_owned);
    let key = keys.select(alg, kid.as_deref())?;
    if !key.verify(signed.as_bytes(), &signature, backend) {
        return Err(Error::new(ErrorCode::TokenSignature, "the signature does not verify"));
    }
    Ok(Verified { key, alg, kid, payload })
}

/// `(header, payload, signing input, signature)` of a compact JWS: exactly three
/// parts. An empty header or payload fails later, as base64 or JSON; an empty signature
/// fails the key's length check.
fn split_parts(token: &str) -> Result<(&str, &str, &str, &str)> {
    let not_three = || malformed("not a compact JWS: it must have three parts separated by `.`");
    let (signed, signature) = token.rsplit_once('.').ok_or_else(not_three)?;
    let (header, payload) = signed.split_once('.').ok_or_else(not_three)?;
    if payload.contains('.') {
        return Err(not_three());
    }
    Ok((header, payload, signed, signature))
}

/// One part of a compact JWS, decoded: base64url without padding, with canonical
/// trailing bits (RFC 7515 §2, RFC 4648 §3.5).
fn decode_part(part: &str, what: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| malformed(format!("{what} is not canonical base64url")))
}

fn decode_object(part: &str, what: &str) -> Result<Map<String, Value>> {
    let bytes = decode_part(part, what)?;
    json::parse_strict_object(&bytes).map_err(|e| malformed(format!("{what}: {e}")))
}

/// Header members that change how a token must be processed, or that point at keys
/// outside the configured set. None is supported, so each is refused.
const REFUSED_HEADER_MEMBERS: [&str; 6] = ["crit", "b64", "jku", "jwk", "x5u", "x5c"];

/// Header members that, when present, must be strings (RFC 7515 §4.1).
const STRING_HEADER_MEMBERS: [&str; 5] = ["kid", "typ", "cty", "x5t", "x5t#S256"];

/// The header's `alg` and `kid`, once no member is refused and every registered member
/// has its type.
fn check_header(header: &Map<String, Value>) -> Result<(&str, Option<&str>)> {
    if let Some(name) = REFUSED_HEADER_MEMBERS.iter().find(|name| header.contains_key(**name)) {
        return Err(malformed(format!("header member `{name}` is not supported")));
    }
    let alg = match header.get("alg") {
        Some(Value::String(alg)) => alg.as_str(),
        _missing_or_not_a_string => return Err(malformed("header `alg` must be a string")),
    };
    for name in STRING_HEADER_MEMBERS {
        match header.get(name) {
            None | Some(Value::String(_)) => {}
            Some(_) => return Err(malformed(format!("header `{name}` must be a string"))),
        }
    }
    // The payload is JSON claims; `cty: "JWT"` (a nested token) or any other content
    // type is not (as jwt-compact decides: only `JSON`, in any case, is accepted).
    if let Some(cty) = header.get("cty").and_then(Value::as_str) {
        if !cty.eq_ignore_ascii_case("json") {
            return Err(malformed(format!("header `cty` `{}` is not supported", shown(cty))));
        }
    }
    Ok((alg, header.get("kid").and_then(Value::as_str)))
}

/// Time, issuer, audience and scope checks, then the grant.
pub(crate) fn grant_for(
    claims: TokenClaims,
    payload: Map<String, Value>,
    options: &VerifyOptions,
) -> Result<Grant> {
    check_time(&claims, options.now, options.leeway)?;
    if let Some(issuers) = &options.issuer {
        match &claims.iss {
            Some(iss) if issuers.contains(iss) => {}
            Some(iss) => {
                return Err(Error::new(
                    ErrorCode::TokenIssuer,
                    format!("issuer `{}` is not accepted", shown(iss)),
                ))
            }
            None => return Err(Error::new(ErrorCode::TokenIssuer, "the token has no `iss`")),
        }
    }
    if let Some(audiences) = &options.audience {
        let matched =
            claims.aud.as_ref().is_some_and(|aud| aud.iter().any(|a| audiences.contains(a)));
        if !matched {
            return Err(Error::new(ErrorCode::TokenAudience, "no expected audience in `aud`"));
        }
    }
    let scope_error = |m: String| Error::new(ErrorCode::TokenScope, m);
    if let (Some(id), Some(database)) = (&claims.id, &options.database) {
        if id != database {
            return Err(scope_error(format!(
                "the token is for database `{}`, not `{database}`",
                shown(id)
            )));
        }
    }
    if let Some(gid) = &claims.gid {
        match (&options.group, &options.database) {
            (Some(group), _) if group != gid => {
                return Err(scope_error(format!(
                    "the token is for group `{}`, not `{group}`",
                    shown(gid)
                )))
            }
            (Some(_), _) | (None, None) => {}
            (None, Some(database)) => {
                return Err(scope_error(format!(
                    "group token for `{}`, but the group of database `{database}` was not given",
                    shown(gid)
                )))
            }
        }
    }
    let mut access = claims.access.unwrap_or(AccessLevel::Full);
    let mut attach = Vec::new();
    if let Some(scopes) = &claims.scopes {
        let database = options
            .database
            .as_ref()
            .ok_or_else(|| scope_error("a `p` token needs the request's database".to_owned()))?;
        if scopes.ro.contains(database) {
            access = AccessLevel::ReadOnly;
        } else if !scopes.rw.contains(database) {
            return Err(scope_error(format!("`p` does not list database `{database}`")));
        }
        for namespace in scopes.roa.iter().chain(scopes.rwa.iter()) {
            let lower = namespace.to_ascii_lowercase();
            if attach.iter().any(|g: &AttachGrant| g.namespace == lower) {
                continue;
            }
            let read_only = scopes.roa.iter().any(|n| n.eq_ignore_ascii_case(namespace));
            attach.push(AttachGrant {
                namespace: lower,
                access: if read_only { AccessLevel::ReadOnly } else { AccessLevel::Full },
            });
        }
    }
    Ok(Grant {
        database: claims.id,
        group: claims.gid,
        access,
        permissions: claims.permissions,
        attach,
        expires_at: claims.exp,
        claims: payload,
    })
}

/// `exp <= now - leeway` is expired; `nbf > now + leeway` is not yet valid.
pub(crate) fn check_time(claims: &TokenClaims, now: i64, leeway: u64) -> Result<()> {
    check_time_window(claims.exp, claims.nbf, now, leeway)
}

/// [`check_time`] on the two claims alone.
pub(crate) fn check_time_window(
    exp: Option<i64>,
    nbf: Option<i64>,
    now: i64,
    leeway: u64,
) -> Result<()> {
    let leeway = i64::try_from(leeway).unwrap_or(i64::MAX);
    if let Some(exp) = exp {
        if exp <= now.saturating_sub(leeway) {
            return Err(Error::new(ErrorCode::TokenExpired, format!("the token expired at {exp}")));
        }
    }
    if let Some(nbf) = nbf {
        if nbf > now.saturating_add(leeway) {
            return Err(Error::new(
                ErrorCode::TokenNotYetValid,
                format!("the token is not valid before {nbf}"),
            ));
        }
    }
    Ok(())
}
