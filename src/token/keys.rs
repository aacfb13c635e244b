//! Verification keys: parsing key sets and choosing the key for a token (a JWK's
//! members are read by `jwk.rs`; key pairs are generated with the tokens, in `mint.rs`).
//!
//! Decides which inputs are keys (JWKS, JWK, JWK array, Ed25519 PEM SPKI, raw
//! Ed25519 base64), which keys are usable for verification (`use`, `key_ops`, `alg`,
//! key type, RSA size) and which key a token's `alg` / `kid` selects. It never reads a
//! token's claims and never fetches keys (`jku`, `x5u` and embedded `jwk` are refused
//! by the token parser, never followed). Secrets never enter a verification set: a
//! JWK with private members is refused.

use std::sync::Arc;

use base64ct::{Base64UrlUnpadded, Encoding};
use p256::ecdsa::signature::DigestVerifier;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_KEYS, MAX_KEY_SET_BYTES, MIN_RSA_MODULUS_BITS};
use crate::token::json::parse_strict;
use crate::token::jwk::{
    decode_raw_32, invalid, modulus_bits, optional_str, p256_key, parse_kid, required_bytes,
    required_str, usable_for, P256VerifyingKey,
};

/// JWK members that carry private or symmetric key material.
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// A signature algorithm this crate verifies. `HS*`, `none` and everything else are
/// never accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// Ed25519 (`alg: "EdDSA"`, also written `"Ed25519"`).
    EdDsa,
    /// RSASSA-PKCS1-v1_5 with SHA-256, modulus of 2048 to 4096 bits.
    Rs256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
}

impl SignatureAlgorithm {
    /// Parses a JOSE `alg` name: `EdDSA` / `Ed25519`, `RS256`, `ES256` (exact case).
    pub fn from_name(name: &str) -> Option<SignatureAlgorithm> {
        match name {
            "EdDSA" | "Ed25519" => Some(SignatureAlgorithm::EdDsa),
            "RS256" => Some(SignatureAlgorithm::Rs256),
            "ES256" => Some(SignatureAlgorithm::Es256),
            _other => None,
        }
    }

    /// The canonical JOSE name (`EdDSA`, `RS256`, `ES256`).
    pub const fn as_str(self) -> &'static str {
        match self {
            SignatureAlgorithm::EdDsa => "EdDSA",
            SignatureAlgorithm::Rs256 => "RS256",
            SignatureAlgorithm::Es256 => "ES256",
        }
    }
}

/// The public key material of one key.
#[derive(Debug, Clone)]
enum KeyMaterial {
    Ed25519(ed25519_compact::PublicKey),
    Rsa(Box<RsaPublicKey>),
    P256(Box<P256VerifyingKey>),
}

impl KeyMaterial {
    fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            KeyMaterial::Ed25519(_) => SignatureAlgorithm::EdDsa,
            KeyMaterial::Rsa(_) => SignatureAlgorithm::Rs256,
            KeyMaterial::P256(_) => SignatureAlgorithm::Es256,
        }
    }
}

/// One public verification key.
#[derive(Debug, Clone)]
pub struct Key {
    kid: Option<String>,
    material: KeyMaterial,
    /// The public JWK, normalised (key members, `kid`, `alg`, `use` only).
    jwk: Value,
    /// The key members of `jwk` alone, as compact JSON (what a host imports).
    key_json: String,
    /// `jwk` as compact JSON: the key's identity ([`Key::identity`]), shared (not
    /// copied) by every cache entry of a token this key verified.
    identity: Arc<str>,
    /// The exact length of a signature by this key, in bytes.
    signature_len: usize,
}

impl Key {
    /// `members`: the JWK members of the key itself, in the order written (names and
    /// values need no JSON escaping: fixed names and base64url); `signature_len`: the
    /// exact length of a signature by this key, in bytes.
    fn new(
        kid: Option<String>,
        material: KeyMaterial,
        members: &[(&str, &str)],
        alg: Option<&str>,
        signature_len: usize,
    ) -> Key {
        let mut jwk = Map::new();
        let mut key_json = String::from("{");
        for (name, value) in members {
            jwk.insert((*name).to_owned(), (*value).into());
            if key_json.len() > 1 {
                key_json.push(',');
            }
            key_json.extend(["\"", name, "\":\"", value, "\""]);
        }
        key_json.push('}');
        add_metadata(&mut jwk, kid.as_deref(), alg);
        let jwk = Value::Object(jwk);
        let identity = jwk.to_string().into();
        Key { kid, material, jwk, key_json, identity, signature_len }
    }

    /// The key id (`kid`), if the key has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The one algorithm this key verifies.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.material.algorithm()
    }

    /// The public JWK (normalised: no members besides the key, `kid`, `alg`, `use`).
    pub fn public_jwk(&self) -> &Value {
        &self.jwk
    }

    /// The public key alone (`kty`, `crv`, `x`, `y`, `n`, `e`) as compact JSON: what a
    /// host's crypto API imports for a [`crate::token::SignatureBackend`].
    pub fn key_json(&self) -> &str {
        &self.key_json
    }

    /// The exact length of a signature by this key, in bytes.
    pub(crate) fn signature_len(&self) -> usize {
        self.signature_len
    }

    /// [`Key::verify`] with the crate's own arithmetic ([`crate::token::BuiltinCrypto`]).
    pub(crate) fn verify_builtin(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.material {
            KeyMaterial::Ed25519(key) => ed25519_compact::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(message, &signature).is_ok()),
            KeyMaterial::Rsa(key) => key
                .verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message), signature)
                .is_ok(),
            KeyMaterial::P256(key) => {
                p256::ecdsa::Signature::from_slice(signature).is_ok_and(|signature| {
                    key.verify_digest(Sha256::new_with_prefix(message), &signature).is_ok()
                })
            }
        }
    }

    /// The key's identity: its normalised public JWK as text. Two keys are the same key
    /// with the same metadata exactly when their identities are equal.
    pub(crate) fn identity(&self) -> &Arc<str> {
        &self.identity
    }
}

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
        jwks(self.keys.iter().map(|key| key.jwk.clone()).collect())
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

fn ed25519_key(key: ed25519_compact::PublicKey, kid: Option<String>, alg: Option<&str>) -> Key {
    let x = Base64UrlUnpadded::encode_string(key.as_ref());
    let members = [("kty", "OKP"), ("crv", "Ed25519"), ("x", x.as_str())];
    Key::new(kid, KeyMaterial::Ed25519(key), &members, alg, ed25519_compact::Signature::BYTES)
}

fn add_metadata(jwk: &mut Map<String, Value>, kid: Option<&str>, alg: Option<&str>) {
    if let Some(kid) = kid {
        jwk.insert("kid".into(), kid.into());
    }
    if let Some(alg) = alg {
        jwk.insert("alg".into(), alg.into());
    }
    jwk.insert("use".into(), "sig".into());
}

/// Parses one public JWK. `Ok(None)` is a key that is well-formed but not usable for
/// verification here (encryption key, unsupported type, curve or algorithm).
fn parse_jwk(members: &Map<String, Value>) -> Result<Option<Key>> {
    let kty = required_str(members, "kty")?;
    if let Some(name) = PRIVATE_MEMBERS.iter().find(|name| members.contains_key(**name)) {
        return Err(invalid(format!(
            "JWK has the private member `{name}`: a verification key set holds public keys only"
        )));
    }
    if kty == "oct" {
        return Err(invalid("symmetric (`oct`) keys are never accepted"));
    }
    let kid = parse_kid(members)?;
    if !usable_for(members, "verify")? {
        return Ok(None);
    }
    let alg_name = optional_str(members, "alg")?;
    let alg = match alg_name {
        None => None,
        Some(name) => match SignatureAlgorithm::from_name(name) {
            Some(alg) => Some(alg),
            None => return Ok(None),
        },
    };
    let crv = optional_str(members, "crv")?;
    let key = match (kty, crv) {
        ("OKP", Some("Ed25519")) => {
            let x = required_bytes(members, "x")?;
            let key = ed25519_compact::PublicKey::from_slice(&x)
                .map_err(|_| invalid("Ed25519 JWK `x` must be 32 bytes"))?;
            ed25519_key(key, kid, alg_name)
        }
        ("RSA", _) => {
            let n = required_bytes(members, "n")?;
            let e = required_bytes(members, "e")?;
            let bits = modulus_bits(&n);
            if bits < MIN_RSA_MODULUS_BITS {
                return Err(invalid(format!(
                    "RSA modulus of {bits} bits; at least {MIN_RSA_MODULUS_BITS} are required"
                )));
            }
            let key = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
                .map_err(|err| invalid(format!("invalid RSA key: {err}")))?;
            let (n, e) =
                (Base64UrlUnpadded::encode_string(&n), Base64UrlUnpadded::encode_string(&e));
            let members = [("kty", "RSA"), ("n", n.as_str()), ("e", e.as_str())];
            // RFC 8017 §8.2.2: the signature is exactly as long as the modulus.
            Key::new(kid, KeyMaterial::Rsa(Box::new(key)), &members, alg_name, bits.div_ceil(8))
        }
        ("EC", Some("P-256")) => {
            let x = required_bytes(members, "x")?;
            let y = required_bytes(members, "y")?;
            let key = p256_key(&x, &y)?;
            let (x, y) =
                (Base64UrlUnpadded::encode_string(&x), Base64UrlUnpadded::encode_string(&y));
            let members = [("kty", "EC"), ("crv", "P-256"), ("x", x.as_str()), ("y", y.as_str())];
            // RFC 7518 §3.4: `r || s`, 32 bytes each.
            Key::new(kid, KeyMaterial::P256(Box::new(key)), &members, alg_name, 64)
        }
        // Other curves (X25519, Ed448, P-384, ...) and key types: not verifiable here.
        (_other_kty, _other_crv) => return Ok(None),
    };
    if let Some(alg) = alg {
        if alg != key.algorithm() {
            return Err(invalid(format!("JWK `alg` {} does not fit its key type", alg.as_str())));
        }
    }
    Ok(Some(key))
}
