//! Signature backends: what a backend is asked, and what it can never decide.

use std::cell::RefCell;

use super::*;
use crate::testing::test;

/// What a backend was asked: algorithm, key JSON, message, signature length.
type Asked = (SignatureAlgorithm, String, Vec<u8>, usize);

/// A backend that records what it is asked and gives a fixed answer.
struct Scripted {
    answer: bool,
    asked: RefCell<Vec<Asked>>,
}

impl Scripted {
    fn answering(answer: bool) -> Scripted {
        Scripted { answer, asked: RefCell::new(Vec::new()) }
    }
}

impl SignatureBackend for Scripted {
    fn verify(&self, input: &SignatureInput<'_>) -> bool {
        let asked = (
            input.algorithm(),
            input.key.key_json().to_owned(),
            input.message.to_vec(),
            input.signature.len(),
        );
        self.asked.borrow_mut().push(asked);
        self.answer
    }
}

#[test]
fn the_backend_gets_the_selected_key_the_signing_input_and_the_signature() {
    let (signer, jwk) = fixture(RSA2048, "r1");
    let token = sign_raw(r#"{"alg":"RS256","kid":"r1"}"#, "{}", &signer);
    let keys = KeySet::parse(
        &serde_json::json!({ "keys": [EdKey::new().pair.public_jwk, jwk] }).to_string(),
    )
    .unwrap();
    let backend = Scripted::answering(true);
    verify_token_with(&token, &keys, &options(), &backend).unwrap();
    let asked = backend.asked.into_inner();
    assert_eq!(asked.len(), 1);
    let (alg, key_json, message, signature_len) = &asked[0];
    assert_eq!(*alg, SignatureAlgorithm::Rs256);
    let key: Value = serde_json::from_str(key_json).unwrap();
    assert_eq!(
        key,
        serde_json::json!({ "kty": "RSA", "n": jwk["n"], "e": jwk["e"] }),
        "key members only"
    );
    assert_eq!(message, token.rsplit_once('.').unwrap().0.as_bytes());
    assert_eq!(*signature_len, 256);
}

#[test]
fn a_backend_saying_no_is_a_signature_error() {
    let key = EdKey::new();
    let token = key.token("{}");
    assert!(verify_token(&token, &key.set(), &options()).is_ok());
    let backend = Scripted::answering(false);
    assert_eq!(
        code(verify_token_with(&token, &key.set(), &options(), &backend)),
        ErrorCode::TokenSignature
    );
}

#[test]
fn a_backend_never_sees_a_signature_of_the_wrong_length() {
    let key = EdKey::new();
    let token = key.token("{}");
    let (input, signature) = token.rsplit_once('.').unwrap();
    let signature = Base64UrlUnpadded::decode_vec(signature).unwrap();
    let (rsa_signer, rsa_jwk) = fixture(RSA2048, "r1");
    let rsa_token = sign_raw(r#"{"alg":"RS256","kid":"r1"}"#, "{}", &rsa_signer);
    let (rsa_input, rsa_signature) = rsa_token.rsplit_once('.').unwrap();
    let rsa_signature = Base64UrlUnpadded::decode_vec(rsa_signature).unwrap();
    let rsa_keys = KeySet::parse(&rsa_jwk.to_string()).unwrap();
    let cases = [
        (format!("{input}.{}", b64(&signature[..63])), key.set()),
        (format!("{input}.{}", b64(&[signature.as_slice(), &[0]].concat())), key.set()),
        (format!("{input}."), key.set()),
        (format!("{rsa_input}.{}", b64(&rsa_signature[1..])), rsa_keys.clone()),
        (format!("{rsa_input}.{}", b64(&[&[0], rsa_signature.as_slice()].concat())), rsa_keys),
    ];
    for (token, keys) in cases {
        let backend = Scripted::answering(true);
        assert_eq!(
            code(verify_token_with(&token, &keys, &options(), &backend)),
            ErrorCode::TokenSignature,
            "{token}"
        );
        assert!(backend.asked.borrow().is_empty(), "the backend was asked about {token}");
    }
}

#[test]
fn a_backend_is_never_asked_before_the_structure_algorithm_and_key_are_good() {
    let key = EdKey::new();
    let backend = Scripted::answering(true);
    let hmac = sign_raw(r#"{"alg":"HS256"}"#, "{}", &Signer::Hmac(b"secret".to_vec()));
    let unknown_kid = sign_raw(r#"{"alg":"EdDSA","kid":"other"}"#, "{}", &key.signer);
    let crit = sign_raw(
        &format!(r#"{{"alg":"EdDSA","kid":"{}","crit":["x"]}}"#, key.kid()),
        "{}",
        &key.signer,
    );
    for token in [hmac, unknown_kid, crit] {
        assert!(verify_token_with(&token, &key.set(), &options(), &backend).is_err());
    }
    assert!(backend.asked.borrow().is_empty());
}

#[test]
fn the_builtin_backend_agrees_with_verify_token() {
    let key = EdKey::new();
    let good = key.token("{}");
    let forged = sign_raw(
        &format!(r#"{{"alg":"EdDSA","kid":"{}"}}"#, key.kid()),
        "{}",
        &EdKey::new().signer,
    );
    assert!(verify_token_with(&good, &key.set(), &options(), &BuiltinCrypto).is_ok());
    assert_eq!(
        code(verify_token_with(&forged, &key.set(), &options(), &BuiltinCrypto)),
        ErrorCode::TokenSignature
    );
}

#[test]
fn a_verifier_asks_its_backend_on_a_miss_only() {
    let key = EdKey::new();
    let mut verifier = Verifier::new(key.set(), VerifyOptions::default()).unwrap();
    let token = key.token("{}");
    let backend = Scripted::answering(true);
    verifier.verify_shared_with(&token, NOW, &backend).unwrap();
    verifier.verify_shared_with(&token, NOW, &backend).unwrap();
    assert_eq!(backend.asked.borrow().len(), 1);
    let refusing = Scripted::answering(false);
    assert_eq!(
        code(verifier.verify_shared_with(&key.token(r#"{"n":1}"#), NOW, &refusing)),
        ErrorCode::TokenSignature
    );
}
