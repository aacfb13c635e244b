//! One verification key: its algorithm, its material and the crate's own arithmetic
//! for it (a JWK's members are read by `jwk.rs`; sets of keys and the choice of a key
//! for a token are `key_set.rs`; key pairs are generated with the tokens, in `mint.rs`).
//!
//! Decides which JWKs are usable for verification (`use`, `key_ops`, `alg`, key type,
//! RSA size). Secrets never become a verification key: a JWK with private members is
//! refused.

use std::sync::Arc;

use base64ct::{Base64UrlUnpadded, Encoding};
use p256::ecdsa::signature::DigestVerifier;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::limits::MIN_RSA_MODULUS_BITS;
use crate::token::jwk::{
    invalid, modulus_bits, optional_str, p256_key, parse_kid, required_bytes, required_str,
    usable_for, P256VerifyingKey,
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

pub(super) fn ed25519_key(
    key: ed25519_compact::PublicKey,
    kid: Option<String>,
    alg: Option<&str>,
) -> Key {
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
pub(super) fn parse_jwk(members: &Map<String, Value>) -> Result<Option<Key>> {
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
