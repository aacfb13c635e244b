//! `Verifier`: cache hits, expiry on hits, key rotation, bounded size.

use serde_json::json;

use super::*;
use crate::limits::{MAX_CACHED_TOKEN_BYTES, MAX_VERIFIER_CACHE_ENTRIES};
use crate::testing::test;

fn verifier(keys: KeySet) -> Verifier {
    Verifier::new(keys, VerifyOptions::default()).unwrap()
}

#[test]
fn a_good_token_is_cached_and_served_again() {
    let key = EdKey::new();
    let mut v = verifier(key.set());
    let token = key.token(r#"{"a":"ro"}"#);
    assert!(v.verify(&token, NOW).unwrap().read_only());
    assert_eq!(v.cached(), 1);
    assert_eq!(v.signature_checks(), 1);
    assert!(v.verify(&token, NOW + 1).unwrap().read_only());
    assert_eq!(v.cached(), 1);
    assert_eq!(v.signature_checks(), 1, "the hit skipped the signature work");
    // Another token text with the same claims is a miss.
    let again = key.token(r#"{"a": "ro"}"#);
    assert!(v.verify(&again, NOW).is_ok());
    assert_eq!(v.signature_checks(), 2);
}

#[test]
fn failures_are_never_cached() {
    let key = EdKey::new();
    let mut v = verifier(key.set());
    let forged = sign_raw(
        &format!(r#"{{"alg":"EdDSA","kid":"{}"}}"#, key.kid()),
        "{}",
        &EdKey::new().signer,
    );
    assert_eq!(code(v.verify(&forged, NOW)), ErrorCode::TokenSignature);
    assert_eq!(code(v.verify(&key.token(r#"{"a":"x"}"#), NOW)), ErrorCode::TokenClaims);
    assert_eq!(v.cached(), 0);
}

#[test]
fn a_cached_token_expires_on_time() {
    let key = EdKey::new();
    let mut v = verifier(key.set());
    let token = key.token(&format!(r#"{{"exp":{}}}"#, NOW + 100));
    assert!(v.verify(&token, NOW).is_ok());
    assert!(v.verify(&token, NOW + 159).is_ok(), "within the leeway");
    assert_eq!(code(v.verify(&token, NOW + 160)), ErrorCode::TokenExpired);
    assert_eq!(v.cached(), 0);
}

#[test]
fn a_cached_token_is_not_valid_before_its_nbf() {
    let key = EdKey::new();
    let mut v = verifier(key.set());
    let token = key.token(&format!(r#"{{"nbf":{NOW}}}"#));
    assert!(v.verify(&token, NOW).is_ok());
    assert_eq!(code(v.verify(&token, NOW - 61)), ErrorCode::TokenNotYetValid);
}

#[test]
fn rotation_drops_tokens_of_keys_that_left() {
    let (old, new) = (EdKey::new(), EdKey::new());
    let mut v = verifier(old.set());
    let token = old.token("{}");
    assert!(v.verify(&token, NOW).is_ok());
    v.update_keys(new.set());
    assert_eq!(v.cached(), 0);
    assert_eq!(code(v.verify(&token, NOW)), ErrorCode::TokenKeyNotFound);
    assert!(v.verify(&new.token("{}"), NOW).is_ok());
}

#[test]
fn rotation_keeps_tokens_of_keys_that_stay() {
    let (a, b) = (EdKey::new(), EdKey::new());
    let mut v = verifier(a.set());
    let token = a.token("{}");
    assert!(v.verify(&token, NOW).is_ok());
    let both = KeySet::parse(&json!({"keys": [a.pair.public_jwk, b.pair.public_jwk]}).to_string())
        .unwrap();
    v.update_keys(both);
    assert_eq!(v.cached(), 1);
    assert!(v.verify(&token, NOW).is_ok());
    assert_eq!(v.signature_checks(), 1);
}

#[test]
fn rotation_drops_tokens_whose_key_choice_becomes_ambiguous() {
    let (a, b) = (EdKey::new(), EdKey::new());
    let mut v = verifier(a.set());
    let token = sign_raw(r#"{"alg":"EdDSA"}"#, "{}", &a.signer);
    assert!(v.verify(&token, NOW).is_ok());
    v.update_keys(
        KeySet::parse(&json!([a.pair.public_jwk, b.pair.public_jwk]).to_string()).unwrap(),
    );
    assert_eq!(v.cached(), 0);
    assert_eq!(code(v.verify(&token, NOW)), ErrorCode::TokenKeyNotFound);
}

#[test]
fn the_cache_is_bounded() {
    let key = EdKey::new();
    let mut v = verifier(key.set());
    for i in 0..MAX_VERIFIER_CACHE_ENTRIES + 10 {
        v.verify(&key.token(&format!(r#"{{"n":{i}}}"#)), NOW).unwrap();
        assert!(v.cached() <= MAX_VERIFIER_CACHE_ENTRIES);
    }
    assert!(v.cached() >= 1);
}

#[test]
fn the_cache_drops_expired_entries_first_when_full() {
    let key = EdKey::new();
    let mut v = verifier(key.set());
    for i in 0..MAX_VERIFIER_CACHE_ENTRIES - 1 {
        v.verify(&key.token(&format!(r#"{{"n":{i},"exp":{}}}"#, NOW + 100)), NOW).unwrap();
    }
    let lasting = key.token(r#"{"n":"lasting"}"#);
    v.verify(&lasting, NOW).unwrap();
    assert_eq!(v.cached(), MAX_VERIFIER_CACHE_ENTRIES);
    v.verify(&key.token(r#"{"n":"new"}"#), NOW + 1000).unwrap();
    assert_eq!(v.cached(), 2, "the expired entries went, the lasting one stayed");
}

#[test]
fn large_tokens_are_verified_but_not_cached() {
    let key = EdKey::new();
    let mut v = verifier(key.set());
    let token = key.token(&format!(r#"{{"f":"{}"}}"#, "a".repeat(MAX_CACHED_TOKEN_BYTES)));
    assert!(v.verify(&token, NOW).is_ok());
    assert_eq!(v.cached(), 0);
}

#[test]
fn the_verifier_checks_its_options_and_scope() {
    let key = EdKey::new();
    let bad = VerifyOptions { algorithms: Some(vec!["HS256".into()]), ..VerifyOptions::default() };
    assert_eq!(code(Verifier::new(key.set(), bad)), ErrorCode::OptionsInvalid);
    let scoped = VerifyOptions { database: Some("db".into()), ..VerifyOptions::default() };
    let mut v = Verifier::new(key.set(), scoped).unwrap();
    assert_eq!(code(v.verify(&key.token(r#"{"id":"other"}"#), NOW)), ErrorCode::TokenScope);
    assert!(v.verify(&key.token(r#"{"id":"db"}"#), NOW).is_ok());
}

#[test]
fn every_hit_has_the_time_check() {
    let key = EdKey::new();
    let mut v = verifier(key.set());
    let token = key.token(&format!(r#"{{"nbf":{NOW},"exp":{}}}"#, NOW + 100));
    let grant = v.verify(&token, NOW).unwrap();
    assert_eq!(grant.not_before(), Some(NOW));
    for now in [NOW - 60, NOW, NOW + 159] {
        assert!(v.verify(&token, now).is_ok(), "{now}");
    }
    assert_eq!(v.signature_checks(), 1, "the hits skipped the signature");
    assert_eq!(code(v.verify(&token, NOW - 61)), ErrorCode::TokenNotYetValid);
    assert_eq!(code(v.verify(&token, NOW + 160)), ErrorCode::TokenExpired);
    let forever = key.token("{}");
    assert!(v.verify(&forever, NOW).is_ok());
    assert!(v.verify(&forever, i64::MAX).is_ok());
}
