//! Token core tests: helpers to build and sign tokens from raw JSON.

mod keys;
mod mint;
mod signature;
mod verifier;
mod verify;

use base64ct::{Base64UrlUnpadded, Encoding};
use jwt_compact::alg::{Es256, Rsa, RsaPrivateKey};
use jwt_compact::jwk::JsonWebKey;
use jwt_compact::{Algorithm, AlgorithmSignature};
use serde_json::Value;

use super::*;
use crate::error::ErrorCode;

/// A time well inside every test token's validity.
pub(super) const NOW: i64 = 1_700_000_000;

pub(super) const RSA2048: &str = include_str!("../../../tests/fixtures/rsa2048.private.jwk.json");
pub(super) const RSA1024: &str = include_str!("../../../tests/fixtures/rsa1024.private.jwk.json");
pub(super) const P256: &str = include_str!("../../../tests/fixtures/p256.private.jwk.json");
pub(super) const ED_PEM_PUBLIC: &str = include_str!("../../../tests/fixtures/ed25519.public.pem");
pub(super) const ED_PEM_PRIVATE: &str = include_str!("../../../tests/fixtures/ed25519.private.pem");
pub(super) const ED_PEM_JWK: &str =
    include_str!("../../../tests/fixtures/ed25519.private.jwk.json");

/// Something that signs a JWS signing input.
pub(super) enum Signer {
    Ed(ed25519_compact::SecretKey),
    Rsa(Box<RsaPrivateKey>),
    Ec(Box<<Es256 as Algorithm>::SigningKey>),
    /// HMAC-SHA256 with this secret.
    Hmac(Vec<u8>),
    /// An empty signature (`alg: none`).
    Nothing,
}

impl Signer {
    pub(super) fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            Signer::Ed(key) => key.sign(message, None).to_vec(),
            Signer::Rsa(key) => Rsa::rs256().sign(key, message).as_bytes().into_owned(),
            Signer::Ec(key) => Es256.sign(key, message).as_bytes().into_owned(),
            Signer::Hmac(secret) => {
                let key = jwt_compact::alg::Hs256Key::new(secret);
                jwt_compact::alg::Hs256.sign(&key, message).as_bytes().into_owned()
            }
            Signer::Nothing => Vec::new(),
        }
    }
}

pub(super) fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// A compact JWS of exactly these header and payload texts.
pub(super) fn sign_raw(header: &str, payload: &str, signer: &Signer) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let signature = signer.sign(input.as_bytes());
    format!("{input}.{}", b64(&signature))
}

/// A generated Ed25519 key: its signer, its public key set, its kid.
pub(super) struct EdKey {
    pub signer: Signer,
    pub pair: KeyPair,
}

impl EdKey {
    pub(super) fn new() -> EdKey {
        let pair = generate_key_pair().unwrap();
        let d = Base64UrlUnpadded::decode_vec(pair.private_jwk["d"].as_str().unwrap()).unwrap();
        let seed = ed25519_compact::Seed::from_slice(&d).unwrap();
        let signer = Signer::Ed(ed25519_compact::KeyPair::from_seed(seed).sk);
        EdKey { signer, pair }
    }

    pub(super) fn kid(&self) -> &str {
        &self.pair.kid
    }

    pub(super) fn set(&self) -> KeySet {
        KeySet::parse(&self.pair.public_jwk.to_string()).unwrap()
    }

    pub(super) fn private(&self) -> String {
        self.pair.private_jwk.to_string()
    }

    /// A token with this key's kid and `payload`.
    pub(super) fn token(&self, payload: &str) -> String {
        sign_raw(
            &format!(r#"{{"alg":"EdDSA","typ":"JWT","kid":"{}"}}"#, self.kid()),
            payload,
            &self.signer,
        )
    }
}

/// The RSA / EC fixture as a private signer and its public JWK (with `kid`).
pub(super) fn fixture(private_jwk: &str, kid: &str) -> (Signer, Value) {
    let jwk: JsonWebKey<'_> = serde_json::from_str(private_jwk).unwrap();
    let signer = match &jwk {
        JsonWebKey::Rsa { .. } => Signer::Rsa(Box::new(RsaPrivateKey::try_from(&jwk).unwrap())),
        JsonWebKey::EllipticCurve { .. } => {
            Signer::Ec(Box::new(<Es256 as Algorithm>::SigningKey::try_from(&jwk).unwrap()))
        }
        other => panic!("unexpected fixture {other:?}"),
    };
    let mut public: serde_json::Map<String, Value> = serde_json::from_str(private_jwk).unwrap();
    for member in ["d", "p", "q", "dp", "dq", "qi"] {
        public.remove(member);
    }
    public.insert("kid".into(), kid.into());
    (signer, Value::Object(public))
}

pub(super) fn options() -> VerifyOptions {
    VerifyOptions { now: NOW, ..VerifyOptions::default() }
}

pub(super) fn code<T: std::fmt::Debug>(result: Result<T>) -> ErrorCode {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => error.code,
    }
}
