//! One JWK's members, read as RFC 7517 / 7518 and this crate's rules say: types,
//! canonical base64url, `kid`, `use` / `key_ops`, and the checks on P-256 points and RSA
//! moduli. [`super::keys`] builds keys from them; [`super::mint`] reads a private JWK's.

use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::limits;

/// A P-256 verification key.
pub(crate) type P256VerifyingKey = p256::ecdsa::VerifyingKey;

pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::KeyInvalid, message)
}

/// Decodes a raw key written in base64url or standard base64, padded or not, into
/// exactly 32 bytes.
pub(crate) fn decode_raw_32<'b>(text: &str, buffer: &'b mut [u8; 32]) -> Option<&'b [u8]> {
    type Decoder = fn(&str, &mut [u8]) -> Option<usize>;
    let decoders: [Decoder; 4] = [
        |t, b| Base64UrlUnpadded::decode(t, b).ok().map(|d| d.len()),
        |t, b| Base64Url::decode(t, b).ok().map(|d| d.len()),
        |t, b| Base64Unpadded::decode(t, b).ok().map(|d| d.len()),
        |t, b| Base64::decode(t, b).ok().map(|d| d.len()),
    ];
    let length = decoders.iter().find_map(|decode| decode(text, buffer.as_mut_slice()))?;
    if length == 32 {
        Some(buffer.as_slice())
    } else {
        None
    }
}

/// An optional string member; present with another type is `ERR_KEY_INVALID`.
pub(crate) fn optional_str<'v>(
    members: &'v Map<String, Value>,
    name: &str,
) -> Result<Option<&'v str>> {
    match members.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(format!("JWK member `{name}` must be a string"))),
    }
}

pub(crate) fn required_str<'v>(members: &'v Map<String, Value>, name: &str) -> Result<&'v str> {
    optional_str(members, name)?.ok_or_else(|| invalid(format!("JWK member `{name}` is missing")))
}

/// A required base64url (unpadded, canonical) member.
pub(crate) fn required_bytes(members: &Map<String, Value>, name: &str) -> Result<Vec<u8>> {
    Base64UrlUnpadded::decode_vec(required_str(members, name)?)
        .map_err(|_| invalid(format!("JWK member `{name}` is not canonical unpadded base64url")))
}

/// The `kid` member, checked for type and length.
pub(crate) fn parse_kid(members: &Map<String, Value>) -> Result<Option<String>> {
    let Some(kid) = optional_str(members, "kid")? else {
        return Ok(None);
    };
    limits::check_identifier("JWK `kid`", kid, ErrorCode::KeyInvalid)?;
    Ok(Some(kid.to_owned()))
}

/// Whether the JWK's `use` and `key_ops` allow `operation` (`verify` or `sign`).
/// Wrong types are `ERR_KEY_INVALID`.
pub(crate) fn usable_for(members: &Map<String, Value>, operation: &str) -> Result<bool> {
    let use_ok = match optional_str(members, "use")? {
        None => true,
        Some(value) => value == "sig",
    };
    let ops_ok = match members.get("key_ops") {
        None => true,
        Some(Value::Array(ops)) => {
            let mut found = false;
            for op in ops {
                match op {
                    Value::String(op) => found |= op == operation,
                    Value::Null
                    | Value::Bool(_)
                    | Value::Number(_)
                    | Value::Array(_)
                    | Value::Object(_) => {
                        return Err(invalid("JWK `key_ops` must be an array of strings"))
                    }
                }
            }
            found
        }
        Some(_) => return Err(invalid("JWK `key_ops` must be an array of strings")),
    };
    Ok(use_ok && ops_ok)
}

/// A P-256 public key from its JWK coordinates, 32 bytes each (RFC 7518 §6.2.1.2): a
/// point on the curve, not the identity.
pub(crate) fn p256_key(x: &[u8], y: &[u8]) -> Result<P256VerifyingKey> {
    const COORDINATE_BYTES: usize = 32;
    for (name, coordinate) in [("x", x), ("y", y)] {
        if coordinate.len() != COORDINATE_BYTES {
            return Err(invalid(format!(
                "P-256 JWK `{name}` must be {COORDINATE_BYTES} bytes, not {}",
                coordinate.len()
            )));
        }
    }
    // SEC 1 §2.3.3: an uncompressed point is 0x04, then x, then y.
    let point = [&[4u8][..], x, y].concat();
    P256VerifyingKey::from_sec1_bytes(&point)
        .map_err(|err| invalid(format!("invalid P-256 key: {err}")))
}

/// Bit length of a big-endian unsigned integer.
pub(crate) fn modulus_bits(bytes: &[u8]) -> usize {
    let mut significant = bytes.iter().skip_while(|b| **b == 0);
    match significant.next() {
        None => 0,
        Some(first) => {
            let rest = significant.count();
            rest.saturating_mul(8).saturating_add(usize::from(
                8u8.saturating_sub(u8::try_from(first.leading_zeros()).unwrap_or(8)),
            ))
        }
    }
}
