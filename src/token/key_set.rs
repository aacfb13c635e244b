//! Sets of verification keys: which inputs are key sets (JWKS, JWK, JWK array, Ed25519
//! PEM SPKI, raw Ed25519 base64), and which key a token's `alg` / `kid` selects. It
//! never reads a token's claims and never fetches keys (`jku`, `x5u` and embedded `jwk`
//! are refused by the token parser, never followed).

use serde_json::{json, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_KEYS, MAX_KEY_SET_BYTES};
use crate::token::json::parse_strict;
use crate::token::jwk::{decode_raw_32, invalid};
use crate::token::keys::{ed25519_key, parse_jwk, Key, SignatureAlgorithm};

/// A set of public verification keys.
#[derive(Debug, Clone)]
pub struct KeySet {
    keys: Vec<Key>,
}

impl KeySet {
    /// Parses a key set: a JWKS `{"keys": [...]}`, one JWK, a JSON array of JWKs, an
    /// Ed25519 PEM SPKI (`-----BEGIN PUBLIC KEY-----`), or a raw 32-byte Ed25519 public
    /// key in base64url (or standard base64).
    ///
    /// In a JWKS or array, keys not meant for verification (`use` other than `sig`,
    /// `key_ops` without `verify`) and keys of types or algorithms this crate does not
    /// verify are skipped; a malformed or weak key of a supported type, a private key,
    /// a duplicate `kid`, or a set with no usable key is `ERR_KEY_INVALID`.
    pub fn parse(text: &str) -> Result<KeySet> {
        if text.len() > MAX_KEY_SET_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!(
                    "key set of {} bytes; at most {MAX_KEY_SET_BYTES} are accepted",
                    text.len()
                ),
            ));
        }
        let text = text.trim();
        if text.starts_with('{') || text.starts_with('[') {
            let value = parse_strict(text.as_bytes())
                .map_err(|e| invalid(format!("key set is not strict JSON: {e}")))?;
            KeySet::from_json(&value)
        } else if text.starts_with("-----BEGIN") {
            KeySet::from_pem(text)
        } else {
            KeySet::from_raw(text)
        }
    }

    /// Builds a key set from a parsed JSON value (JWKS object, JWK object or JWK array).
    pub fn from_json(value: &Value) -> Result<KeySet> {
        match value {
            Value::Object(members) => match members.get("keys") {
                Some(Value::Array(items)) => KeySet::from_jwk_list(items),
                Some(_) => Err(invalid("`keys` of a JWKS must be an array")),
                None => match parse_jwk(members)? {
                    Some(key) => KeySet::new(vec![key]),
                    None => Err(invalid("the JWK is not a usable verification key (type, `alg`, `use` or `key_ops`)")),
                },
            },
            Value::Array(items) => KeySet::from_jwk_list(items),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
                Err(invalid("a key set must be a JWKS, a JWK or an array of JWKs"))
            }
        }
    }

    fn from_jwk_list(items: &[Value]) -> Result<KeySet> {
        if items.len() > MAX_KEYS {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("key set has {} keys; at most {MAX_KEYS} are accepted", items.len()),
            ));
        }
        let mut keys = Vec::with_capacity(items.len());
        for item in items {
            let members = item
                .as_object()
                .ok_or_else(|| invalid("every key in a key set must be a JWK object"))?;
            if let Some(key) = parse_jwk(members)? {
                keys.push(key);
            }
        }
        KeySet::new(keys)
    }

    fn from_pem(text: &str) -> Result<KeySet> {
        if !text.starts_with("-----BEGIN PUBLIC KEY-----") {
            return Err(invalid("only `PUBLIC KEY` (SPKI) PEM is accepted; private keys never enter a verification set"));
        }
        let key = ed25519_compact::PublicKey::from_pem(text)
            .map_err(|e| invalid(format!("PEM is not an Ed25519 SPKI public key: {e}")))?;
        KeySet::new(vec![ed25519_key(key, None, None)])
    }

    fn from_raw(text: &str) -> Result<KeySet> {
        let mut buffer = [0u8; ed25519_compact::PublicKey::BYTES];
        let decoded = decode_raw_32(text, &mut buffer).ok_or_else(|| {
            invalid("not a JWK, JWKS, PEM, nor a base64url 32-byte Ed25519 public key")
        })?;
        let key = ed25519_compact::PublicKey::from_slice(decoded)
            .map_err(|e| invalid(format!("invalid Ed25519 key: {e}")))?;
        KeySet::new(vec![ed25519_key(key, None, None)])
    }

    /// A key set of `keys`: at least one, at most [`MAX_KEYS`], distinct `kid`s.
    fn new(keys: Vec<Key>) -> Result<KeySet> {
        if keys.is_empty() {
            return Err(invalid("the key set has no usable verification key"));
        }
        if keys.len() > MAX_KEYS {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("more than {MAX_KEYS} keys")));
        }
        for (index, key) in keys.iter().enumerate() {
            if let Some(kid) = key.kid() {
                if keys.iter().skip(index.saturating_add(1)).any(|other| other.kid() == Some(kid)) {
                    return Err(invalid(format!(
                        "duplicate `kid` `{}` in the key set",
                        crate::token::shown(kid)
                    )));
                }
            }
        }
        Ok(KeySet { keys })
    }

    /// A key set with no key yet: every token is `ERR_TOKEN_KEY_NOT_FOUND` until
    /// [`Verifier::update_keys`](crate::token::Verifier::update_keys) brings keys (a
    /// remote key set before its first fetch).
    pub fn none() -> KeySet {
        KeySet { keys: Vec::new() }
    }

    /// The usable keys, in input order.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The public keys as a JWKS object `{"keys": [...]}`.
    pub fn to_jwks(&self) -> Value {
        jwks(self.keys.iter().map(|key| key.public_jwk().clone()).collect())
    }

    /// The key that verifies a token with header `alg` and `kid`:
    /// - with a `kid`, the key with that `kid` (`ERR_TOKEN_ALGORITHM` if it is of
    ///   another type); if no key has it, the one key without `kid` that fits `alg`;
    /// - without a `kid`, the one key that fits `alg`;
    /// - otherwise `ERR_TOKEN_KEY_NOT_FOUND`.
    pub(crate) fn select(&self, alg: SignatureAlgorithm, kid: Option<&str>) -> Result<&Key> {
        if let Some(kid) = kid {
            if let Some(key) = self.keys.iter().find(|key| key.kid() == Some(kid)) {
                return if key.algorithm() == alg {
                    Ok(key)
                } else {
                    Err(Error::new(
                        ErrorCode::TokenAlgorithm,
                        format!(
                            "the key `{}` is a {} key, the token says {}",
                            crate::token::shown(kid),
                            key.algorithm().as_str(),
                            alg.as_str()
                        ),
                    ))
                };
            }
        }
        let mut candidates = self
            .keys
            .iter()
            .filter(|key| key.algorithm() == alg && (kid.is_none() || key.kid().is_none()));
        match (candidates.next(), candidates.next()) {
            (Some(key), None) => Ok(key),
            (None, _) => Err(Error::new(
                ErrorCode::TokenKeyNotFound,
                match kid {
                    Some(kid) => format!(
                        "no key with kid `{}` for {}",
                        crate::token::shown(kid),
                        alg.as_str()
                    ),
                    None => format!("no key for {}", alg.as_str()),
                },
            )),
            (Some(_), Some(_)) => Err(Error::new(
                ErrorCode::TokenKeyNotFound,
                format!(
                    "the token has no usable `kid` and several {} keys could verify it",
                    alg.as_str()
                ),
            )),
        }
    }
}

/// A JWKS object of public JWKs.
pub fn jwks(public_jwks: Vec<Value>) -> Value {
    json!({ "keys": public_jwks })
}
