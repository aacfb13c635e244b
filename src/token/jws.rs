//! The untrusted token, step by step up to a good signature: size, structure (a compact
//! JWS of strict JSON, no `crit` / `b64` / remote or embedded keys), algorithm, key,
//! signature. What it returns, [`Verified`], is the only way to a payload: no claim is
//! read before the signature is good.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_TOKEN_BYTES;
use crate::token::key_set::KeySet;
use crate::token::keys::{Key, SignatureAlgorithm};
use crate::token::options::VerifyOptions;
use crate::token::signature::SignatureBackend;
use crate::token::{json, malformed, shown};

/// A token whose structure, algorithm and signature have been checked.
pub(crate) struct Verified<'k> {
    /// The key that verified it.
    pub key: &'k Key,
    /// The header `alg`, resolved.
    pub alg: SignatureAlgorithm,
    /// The header `kid`.
    pub kid: Option<String>,
    /// The payload.
    pub payload: Map<String, Value>,
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
