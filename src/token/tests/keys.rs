//! Key sets: every accepted input form, every refusal.

use serde_json::json;

use super::*;
use crate::limits::{MAX_IDENTIFIER_BYTES, MAX_KEYS, MAX_KEY_SET_BYTES};
use crate::testing::test;

fn parse_code(text: &str) -> ErrorCode {
    code(KeySet::parse(text))
}

#[test]
fn jwks_object_single_jwk_and_array_are_accepted() {
    let (a, b) = (EdKey::new(), EdKey::new());
    let jwks = json!({"keys": [a.pair.public_jwk, b.pair.public_jwk]}).to_string();
    assert_eq!(KeySet::parse(&jwks).unwrap().keys().len(), 2);
    let array = json!([a.pair.public_jwk, b.pair.public_jwk]).to_string();
    assert_eq!(KeySet::parse(&array).unwrap().keys().len(), 2);
    let single = KeySet::parse(&a.pair.public_jwk.to_string()).unwrap();
    assert_eq!(single.keys().len(), 1);
    assert_eq!(single.keys()[0].kid(), Some(a.kid()));
    assert_eq!(single.keys()[0].algorithm(), SignatureAlgorithm::EdDsa);
}

#[test]
fn surrounding_whitespace_is_ignored() {
    let a = EdKey::new();
    assert!(KeySet::parse(&format!("\n  {}\n", a.pair.public_jwk)).is_ok());
}

#[test]
fn pem_spki_is_accepted_and_private_pem_refused() {
    let set = KeySet::parse(ED_PEM_PUBLIC).unwrap();
    assert_eq!(set.keys().len(), 1);
    assert_eq!(set.keys()[0].kid(), None);
    assert_eq!(parse_code(ED_PEM_PRIVATE), ErrorCode::KeyInvalid);
    assert_eq!(
        parse_code("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
        ErrorCode::KeyInvalid
    );
}

#[test]
fn raw_base64url_and_standard_base64_are_accepted() {
    let key = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new([7; 32])).pk;
    let url = Base64UrlUnpadded::encode_string(key.as_ref());
    let std = base64ct::Base64::encode_string(key.as_ref());
    for text in [url.clone(), format!("{url}="), std.clone(), std.trim_end_matches('=').to_owned()]
    {
        let set = KeySet::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(set.keys()[0].public_jwk()["x"], json!(url));
    }
}

#[test]
fn raw_key_of_wrong_length_or_garbage_is_invalid() {
    assert_eq!(parse_code(&b64(&[1; 31])), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(&b64(&[1; 33])), ErrorCode::KeyInvalid);
    assert_eq!(parse_code("not a key"), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(""), ErrorCode::KeyInvalid);
    assert_eq!(parse_code("42"), ErrorCode::KeyInvalid);
}

#[test]
fn private_members_are_refused_in_a_verification_set() {
    let a = EdKey::new();
    assert_eq!(parse_code(&a.private()), ErrorCode::KeyInvalid);
    let (_, mut rsa) = fixture(RSA2048, "r");
    rsa["p"] = json!("AQAB");
    assert_eq!(parse_code(&rsa.to_string()), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(r#"{"kty":"oct","k":"c2VjcmV0"}"#), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(r#"{"kty":"oct"}"#), ErrorCode::KeyInvalid);
}

#[test]
fn encryption_keys_and_keys_without_verify_are_skipped() {
    let (a, b, c) = (EdKey::new(), EdKey::new(), EdKey::new());
    let mut enc = b.pair.public_jwk.clone();
    enc["use"] = json!("enc");
    let mut sign_only = c.pair.public_jwk.clone();
    sign_only["key_ops"] = json!(["sign"]);
    let set =
        KeySet::parse(&json!({"keys": [a.pair.public_jwk, enc, sign_only]}).to_string()).unwrap();
    assert_eq!(set.keys().len(), 1);
    assert_eq!(set.keys()[0].kid(), Some(a.kid()));
    let mut verify = a.pair.public_jwk.clone();
    verify["key_ops"] = json!(["verify"]);
    assert!(KeySet::parse(&verify.to_string()).is_ok());
    // A single unusable key, or a set of only unusable keys, is no key set.
    assert_eq!(parse_code(&enc.to_string()), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(&json!({"keys": [enc]}).to_string()), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(r#"{"keys":[]}"#), ErrorCode::KeyInvalid);
}

#[test]
fn wrong_member_types_are_invalid() {
    let a = EdKey::new();
    for (member, value) in [
        ("use", json!(1)),
        ("key_ops", json!("verify")),
        ("key_ops", json!([1])),
        ("kid", json!(5)),
        ("alg", json!(null)),
        ("x", json!(1)),
    ] {
        let mut jwk = a.pair.public_jwk.clone();
        jwk[member] = value;
        assert_eq!(parse_code(&jwk.to_string()), ErrorCode::KeyInvalid, "{member}");
    }
    let mut jwk = a.pair.public_jwk.clone();
    jwk["kid"] = json!("");
    assert_eq!(parse_code(&jwk.to_string()), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(r#"{"crv":"Ed25519","x":"AA"}"#), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(r#"{"keys":{}}"#), ErrorCode::KeyInvalid);
    assert_eq!(parse_code(r#"{"keys":[1]}"#), ErrorCode::KeyInvalid);
}

#[test]
fn alg_member_restricts_or_skips_keys() {
    let a = EdKey::new();
    let mut ed25519 = a.pair.public_jwk.clone();
    ed25519["alg"] = json!("Ed25519");
    assert!(KeySet::parse(&ed25519.to_string()).is_ok());
    let mut wrong = a.pair.public_jwk.clone();
    wrong["alg"] = json!("RS256");
    assert_eq!(parse_code(&wrong.to_string()), ErrorCode::KeyInvalid);
    let (_, mut rs384) = fixture(RSA2048, "r384");
    rs384["alg"] = json!("RS384");
    let set = KeySet::parse(&json!({"keys": [rs384, a.pair.public_jwk]}).to_string()).unwrap();
    assert_eq!(set.keys().len(), 1, "a key for an algorithm we never verify is skipped");
}

#[test]
fn unsupported_types_and_curves_are_skipped() {
    let a = EdKey::new();
    let x25519 = json!({"kty":"OKP","crv":"X25519","x":"AA"});
    let p384 = json!({"kty":"EC","crv":"P-384","x":"AA","y":"AA"});
    let other = json!({"kty":"XYZ"});
    let set = KeySet::parse(&json!({"keys": [x25519, p384, other, a.pair.public_jwk]}).to_string())
        .unwrap();
    assert_eq!(set.keys().len(), 1);
}

#[test]
fn malformed_key_material_is_invalid() {
    let a = EdKey::new();
    let mut short = a.pair.public_jwk.clone();
    short["x"] = json!(b64(&[1; 31]));
    assert_eq!(parse_code(&short.to_string()), ErrorCode::KeyInvalid);
    let mut padded = a.pair.public_jwk.clone();
    padded["x"] = json!(format!("{}=", a.pair.public_jwk["x"].as_str().unwrap()));
    assert_eq!(parse_code(&padded.to_string()), ErrorCode::KeyInvalid);
    let (_, mut ec) = fixture(P256, "e");
    ec["y"] = ec["x"].clone();
    assert_eq!(parse_code(&ec.to_string()), ErrorCode::KeyInvalid, "not a point on the curve");
    // Coordinates of exactly 32 bytes: shorter, longer (even a leading zero) are refused.
    let (_, good) = fixture(P256, "e");
    let bytes = |name: &str| Base64UrlUnpadded::decode_vec(good[name].as_str().unwrap()).unwrap();
    for (name, coordinate) in
        [("x", bytes("x")[1..].to_vec()), ("y", [vec![0], bytes("y")].concat())]
    {
        let mut ec = good.clone();
        ec[name] = json!(b64(&coordinate));
        assert_eq!(
            parse_code(&ec.to_string()),
            ErrorCode::KeyInvalid,
            "{name} of {} bytes",
            coordinate.len()
        );
    }
    assert!(KeySet::parse(&good.to_string()).is_ok());
}

#[test]
fn rsa_2048_is_accepted_and_1024_refused() {
    let (_, rsa2048) = fixture(RSA2048, "r");
    let set = KeySet::parse(&rsa2048.to_string()).unwrap();
    assert_eq!(set.keys()[0].algorithm(), SignatureAlgorithm::Rs256);
    let (_, rsa1024) = fixture(RSA1024, "r");
    assert_eq!(parse_code(&rsa1024.to_string()), ErrorCode::KeyInvalid);
    // Even inside a JWKS with a good key: a weak key is a broken set, not a skipped key.
    assert_eq!(parse_code(&json!({"keys": [rsa2048, rsa1024]}).to_string()), ErrorCode::KeyInvalid);
}

#[test]
fn p256_is_accepted() {
    let (_, ec) = fixture(P256, "e");
    assert_eq!(
        KeySet::parse(&ec.to_string()).unwrap().keys()[0].algorithm(),
        SignatureAlgorithm::Es256
    );
}

#[test]
fn duplicate_kid_is_invalid() {
    let (a, b) = (EdKey::new(), EdKey::new());
    let mut b_jwk = b.pair.public_jwk.clone();
    b_jwk["kid"] = json!(a.kid());
    assert_eq!(parse_code(&json!([a.pair.public_jwk, b_jwk]).to_string()), ErrorCode::KeyInvalid);
}

#[test]
fn duplicate_json_members_are_invalid() {
    let a = EdKey::new();
    let x = a.pair.public_jwk["x"].as_str().unwrap();
    let text = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{x}","x":"{x}"}}"#);
    assert_eq!(parse_code(&text), ErrorCode::KeyInvalid);
}

#[test]
fn limits_on_size_key_count_and_kid() {
    let a = EdKey::new();
    let mut big = a.pair.public_jwk.clone();
    big["pad"] = json!("x".repeat(MAX_KEY_SET_BYTES));
    assert_eq!(parse_code(&big.to_string()), ErrorCode::InputTooLarge);
    let mut exact = a.pair.public_jwk.to_string();
    exact.push_str(&" ".repeat(MAX_KEY_SET_BYTES - exact.len()));
    assert!(KeySet::parse(&exact).is_ok(), "exactly at the limit");
    let over = format!("{exact} ");
    assert_eq!(parse_code(&over), ErrorCode::InputTooLarge);

    let keys: Vec<Value> = (0..=MAX_KEYS).map(|_| EdKey::new().pair.public_jwk).collect();
    assert_eq!(parse_code(&json!({"keys": keys}).to_string()), ErrorCode::InputTooLarge);
    assert_eq!(
        KeySet::parse(&json!({"keys": keys[1..]}).to_string()).unwrap().keys().len(),
        MAX_KEYS
    );

    let mut long_kid = a.pair.public_jwk.clone();
    long_kid["kid"] = json!("k".repeat(MAX_IDENTIFIER_BYTES + 1));
    assert_eq!(parse_code(&long_kid.to_string()), ErrorCode::InputTooLarge);
    long_kid["kid"] = json!("k".repeat(MAX_IDENTIFIER_BYTES));
    assert!(KeySet::parse(&long_kid.to_string()).is_ok());
}

#[test]
fn exported_jwks_parses_back_to_the_same_keys() {
    let a = EdKey::new();
    let (_, rsa) = fixture(RSA2048, "r");
    let (_, ec) = fixture(P256, "e");
    let set = KeySet::parse(&json!({"keys": [a.pair.public_jwk, rsa, ec]}).to_string()).unwrap();
    let exported = set.to_jwks();
    let again = KeySet::parse(&exported.to_string()).unwrap();
    assert_eq!(again.to_jwks(), exported);
    for key in exported["keys"].as_array().unwrap() {
        assert!(key.get("d").is_none());
        assert_eq!(key["use"], "sig");
    }
}

#[test]
fn generated_key_pairs_have_the_documented_shape() {
    let pair = generate_key_pair().unwrap();
    assert_eq!(pair.kid.len(), 22, "16 random bytes in base64url");
    assert_eq!(pair.private_jwk["kid"], json!(pair.kid));
    for jwk in [&pair.private_jwk, &pair.public_jwk] {
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["crv"], "Ed25519");
        assert_eq!(jwk["alg"], "EdDSA");
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["x"], pair.public_jwk["x"]);
    }
    assert!(pair.private_jwk["d"].is_string());
    assert!(pair.public_jwk.get("d").is_none());
    assert_ne!(generate_key_pair().unwrap().kid, pair.kid);
}

#[test]
fn deep_json_in_a_key_set_is_invalid() {
    let a = EdKey::new();
    let mut jwk = a.pair.public_jwk.to_string();
    jwk.pop();
    let deep = format!(r#"{jwk},"ext":{}1{}}}"#, "[".repeat(20), "]".repeat(20));
    assert_eq!(parse_code(&deep), ErrorCode::KeyInvalid);
    let shallow = format!(r#"{jwk},"ext":{}1{}}}"#, "[".repeat(3), "]".repeat(3));
    assert!(KeySet::parse(&shallow).is_ok(), "unknown JWK members are ignored");
}
