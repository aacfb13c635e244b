//! Minting: expiration strings, claims written, refusals.

use serde_json::json;

use super::*;
use crate::permissions::{Action, TableName};
use crate::testing::test;

fn decode_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&Base64UrlUnpadded::decode_vec(part).unwrap()).unwrap()
}

fn mint(key: &EdKey, options: &TokenOptions) -> Result<String> {
    create_token(&key.private(), options)
}

#[test]
fn expiration_strings() {
    for (text, seconds) in [
        ("1s", 1),
        ("5m", 300),
        ("12h", 43_200),
        ("7d", 604_800),
        ("30d", 2_592_000),
        ("2w", 1_209_600),
        ("007d", 604_800),
        // Turso's compound forms.
        ("2w1d30m", 2 * 604_800 + 86_400 + 1_800),
        ("1h30m", 5_400),
        ("1d0h", 86_400),
        ("30s5m", 330),
    ] {
        assert_eq!(Expiration::parse(text).unwrap(), Expiration::Seconds(seconds), "{text}");
    }
    assert_eq!(Expiration::parse("never").unwrap(), Expiration::Never);
    for bad in [
        "",
        "d",
        "7",
        "7D",
        "7 d",
        " 7d",
        "7d ",
        "-7d",
        "+7d",
        "1.5h",
        "0d",
        "0s",
        "7y",
        "7ms",
        "7dd",
        "never ",
        "Never",
        "ñ",
        "7ñ",
        "99999999999999999999d",
        "9223372036854775807w",
        "1d1d",
        "1d 2h",
        "1d-2h",
        "0d0h",
        "2w1d30",
        "1.5h30m",
    ] {
        assert_eq!(code(Expiration::parse(bad)), ErrorCode::OptionsInvalid, "{bad:?}");
    }
}

#[test]
fn expiration_from_seconds() {
    assert_eq!(Expiration::from_seconds(3600).unwrap(), Expiration::Seconds(3600));
    assert_eq!(code(Expiration::from_seconds(0)), ErrorCode::OptionsInvalid);
    assert_eq!(code(Expiration::from_seconds(u64::MAX)), ErrorCode::OptionsInvalid);
}

#[test]
fn header_and_claims_of_a_minted_token() {
    let key = EdKey::new();
    let options = TokenOptions {
        database: Some("db1".into()),
        read_only: true,
        permissions: Some(vec!["comments:data_add,data_update".into(), "all:data_read".into()]),
        expiration: Expiration::parse("7d").unwrap(),
        now: NOW,
        ..TokenOptions::default()
    };
    let token = mint(&key, &options).unwrap();
    assert_eq!(decode_part(&token, 0), json!({"alg": "EdDSA", "typ": "JWT", "kid": key.kid()}));
    assert_eq!(
        decode_part(&token, 1),
        json!({
            "iat": NOW, "exp": NOW + 604_800, "id": "db1", "a": "ro",
            "perm": [{"t": ["comments"], "a": ["data_add", "data_update"]}, {"a": ["data_read"]}],
        })
    );
}

#[test]
fn never_expiring_full_access_token_has_only_iat_and_a() {
    let key = EdKey::new();
    let token = mint(&key, &TokenOptions { now: NOW, ..TokenOptions::default() }).unwrap();
    assert_eq!(decode_part(&token, 1), json!({"iat": NOW, "a": "rw"}));
    let grant = verify_token(&token, &key.set(), &options()).unwrap();
    assert!(grant.is_admin());
    assert_eq!(grant.expires_at, None);
}

#[test]
fn minted_tokens_verify_with_their_grant() {
    let key = EdKey::new();
    let options = TokenOptions {
        group: Some("g".into()),
        permissions: Some(vec!["posts:data_read,data_add".into()]),
        expiration: Expiration::Seconds(3600),
        now: NOW,
        ..TokenOptions::default()
    };
    let token = mint(&key, &options).unwrap();
    let verify_options =
        VerifyOptions { database: Some("db".into()), group: Some("g".into()), ..super::options() };
    let grant = verify_token(&token, &key.set(), &verify_options).unwrap();
    assert_eq!(grant.group.as_deref(), Some("g"));
    assert_eq!(grant.expires_at, Some(NOW + 3600));
    assert!(grant.allows(&TableName::main("posts"), Action::DataAdd));
    assert!(!grant.allows(&TableName::main("posts"), Action::DataDelete));
    // An empty permission list is written as a rule for every table with no action
    // (`perm: []` would read as no restriction), and grants nothing but the schema tables.
    let none = mint(
        &key,
        &TokenOptions { permissions: Some(vec![]), now: NOW, ..TokenOptions::default() },
    )
    .unwrap();
    assert_eq!(decode_part(&none, 1)["perm"], json!([{"a": []}]));
    let grant = verify_token(&none, &key.set(), &super::options()).unwrap();
    assert!(!grant.allows(&TableName::main("posts"), Action::DataRead));
    assert!(grant.allows(&TableName::main("sqlite_schema"), Action::DataRead));
}

#[test]
fn invalid_options_are_refused() {
    let key = EdKey::new();
    let both = TokenOptions {
        database: Some("d".into()),
        group: Some("g".into()),
        ..TokenOptions::default()
    };
    assert_eq!(code(mint(&key, &both)), ErrorCode::OptionsInvalid);
    let bad_rule =
        TokenOptions { permissions: Some(vec!["comments:drop".into()]), ..TokenOptions::default() };
    assert_eq!(code(mint(&key, &bad_rule)), ErrorCode::OptionsInvalid);
    let no_colon =
        TokenOptions { permissions: Some(vec!["comments".into()]), ..TokenOptions::default() };
    assert_eq!(code(mint(&key, &no_colon)), ErrorCode::OptionsInvalid);
    let empty_db = TokenOptions { database: Some(String::new()), ..TokenOptions::default() };
    assert_eq!(code(mint(&key, &empty_db)), ErrorCode::OptionsInvalid);
    let overflow = TokenOptions {
        expiration: Expiration::Seconds(86_400),
        now: i64::MAX - 10,
        ..TokenOptions::default()
    };
    assert_eq!(code(mint(&key, &overflow)), ErrorCode::OptionsInvalid);
    let long = TokenOptions {
        database: Some("d".repeat(crate::limits::MAX_IDENTIFIER_BYTES + 1)),
        ..TokenOptions::default()
    };
    assert_eq!(code(mint(&key, &long)), ErrorCode::InputTooLarge);
}

#[test]
fn only_ed25519_private_jwks_sign() {
    let key = EdKey::new();
    let options = TokenOptions::default();
    assert_eq!(
        code(create_token(&key.pair.public_jwk.to_string(), &options)),
        ErrorCode::KeyInvalid,
        "public only"
    );
    assert_eq!(code(create_token(RSA2048, &options)), ErrorCode::KeyInvalid);
    assert_eq!(code(create_token(P256, &options)), ErrorCode::KeyInvalid);
    assert_eq!(code(create_token("not json", &options)), ErrorCode::KeyInvalid);
    let mut mismatched = key.pair.private_jwk.clone();
    mismatched["x"] = EdKey::new().pair.public_jwk["x"].clone();
    assert_eq!(code(create_token(&mismatched.to_string(), &options)), ErrorCode::KeyInvalid);
    let mut short_seed = key.pair.private_jwk.clone();
    short_seed["d"] = json!(Base64UrlUnpadded::encode_string(&[7; 31]));
    assert_eq!(code(create_token(&short_seed.to_string(), &options)), ErrorCode::KeyInvalid);
    let mut verify_only = key.pair.private_jwk.clone();
    verify_only["key_ops"] = json!(["verify"]);
    assert_eq!(code(create_token(&verify_only.to_string(), &options)), ErrorCode::KeyInvalid);
    let mut rs = key.pair.private_jwk.clone();
    rs["alg"] = json!("RS256");
    assert_eq!(code(create_token(&rs.to_string(), &options)), ErrorCode::KeyInvalid);
}

#[test]
fn a_pem_key_pair_signs_and_verifies() {
    let token =
        create_token(ED_PEM_JWK, &TokenOptions { now: NOW, ..TokenOptions::default() }).unwrap();
    assert_eq!(decode_part(&token, 0)["kid"], "pem-key");
    assert!(verify_token(&token, &KeySet::parse(ED_PEM_PUBLIC).unwrap(), &options()).is_ok());
}

#[test]
fn private_jwk_without_kid_signs_without_kid() {
    let key = EdKey::new();
    let mut jwk = key.pair.private_jwk.clone();
    jwk.as_object_mut().unwrap().remove("kid");
    let token = create_token(&jwk.to_string(), &TokenOptions::default()).unwrap();
    assert!(decode_part(&token, 0).get("kid").is_none());
    assert!(verify_token(&token, &key.set(), &options()).is_ok());
}

#[test]
fn claims_template_is_a_minted_token_without_its_time() {
    let key = EdKey::new();
    for options in [
        TokenOptions::default(),
        TokenOptions { database: Some("db1".into()), read_only: true, ..TokenOptions::default() },
        TokenOptions {
            group: Some("g1".into()),
            permissions: Some(vec!["all:data_read".into(), "comments:data_add".into()]),
            ..TokenOptions::default()
        },
        TokenOptions { permissions: Some(vec![]), ..TokenOptions::default() },
    ] {
        let template = claims_template(&options).unwrap();
        let token = mint(
            &key,
            &TokenOptions { expiration: Expiration::Seconds(60), now: NOW, ..options.clone() },
        )
        .unwrap();
        let mut payload = decode_part(&token, 1);
        let claims = payload.as_object_mut().unwrap();
        assert!(claims.remove("iat").is_some() && claims.remove("exp").is_some());
        assert_eq!(template, payload, "{options:?}");
    }
    assert_eq!(
        claims_template(&TokenOptions { database: Some("db1".into()), ..TokenOptions::default() })
            .unwrap(),
        json!({"id": "db1", "a": "rw"})
    );
    let both = TokenOptions {
        database: Some("d".into()),
        group: Some("g".into()),
        ..TokenOptions::default()
    };
    assert_eq!(code(claims_template(&both)), ErrorCode::OptionsInvalid);
    let bad_rule =
        TokenOptions { permissions: Some(vec!["t:data_insert".into()]), ..TokenOptions::default() };
    assert_eq!(code(claims_template(&bad_rule)), ErrorCode::OptionsInvalid);
}

#[test]
fn read_attach_writes_p_as_sqld_reads_it() {
    let at = |database: &str, group: Option<&str>| VerifyOptions {
        database: Some(database.into()),
        group: group.map(Into::into),
        ..super::options()
    };
    let verify_code = |token: &str, key: &EdKey, options: &VerifyOptions| {
        code(verify_token(token, &key.set(), options))
    };
    let key = EdKey::new();
    let options = TokenOptions {
        database: Some("db1".into()),
        read_attach: vec!["db2".into()],
        now: NOW,
        ..TokenOptions::default()
    };
    let token = mint(&key, &options).unwrap();
    assert_eq!(
        decode_part(&token, 1),
        json!({"iat": NOW, "id": "db1", "a": "rw", "p": {"rw": {"ns": ["db1"]}, "roa": {"ns": ["db2"]}}})
    );
    let grant = verify_token(&token, &key.set(), &at("db1", None)).unwrap();
    // Full access and no `perm`: admin, which may attach any database anyway.
    assert!(grant.is_admin() && grant.allows_attach("db2"));
    assert_eq!(verify_code(&token, &key, &at("db3", None)), ErrorCode::TokenScope);
    // Read-only: `p.ro`, and only the listed database attachable.
    let read_only = TokenOptions { read_only: true, ..options.clone() };
    let token = mint(&key, &read_only).unwrap();
    assert_eq!(decode_part(&token, 1)["p"], json!({"ro": {"ns": ["db1"]}, "roa": {"ns": ["db2"]}}));
    let grant = verify_token(&token, &key.set(), &at("db1", None)).unwrap();
    assert!(grant.read_only() && grant.allows(&TableName::main("t"), Action::DataRead));
    assert!(grant.allows_attach("db2") && !grant.allows_attach("db3"));
    // Fine-grained: the rules apply, the listed database attachable.
    let fine = TokenOptions { permissions: Some(vec!["t:data_add".into()]), ..options.clone() };
    let grant = verify_token(&mint(&key, &fine).unwrap(), &key.set(), &at("db1", None)).unwrap();
    assert!(grant.allows(&TableName::main("t"), Action::DataAdd));
    assert!(!grant.allows(&TableName::main("u"), Action::DataAdd));
    assert!(grant.allows_attach("db2") && !grant.allows_attach("db3"));
    // Read-only: `p.ro`; a group's token: `tags`, its databases only.
    let group = TokenOptions {
        group: Some("g".into()),
        read_only: true,
        read_attach: vec!["db2".into()],
        now: NOW,
        ..TokenOptions::default()
    };
    let token = mint(&key, &group).unwrap();
    assert_eq!(decode_part(&token, 1)["p"], json!({"ro": {"tags": ["g"]}, "roa": {"ns": ["db2"]}}));
    let grant = verify_token(&token, &key.set(), &at("db9", Some("g"))).unwrap();
    assert!(grant.read_only() && grant.allows_attach("db2"));
    assert_eq!(verify_code(&token, &key, &at("db9", Some("h"))), ErrorCode::TokenScope);
    // An empty list writes nothing; no scope cannot be written in `p`; names are checked.
    let empty = TokenOptions { read_attach: vec![], now: NOW, ..options.clone() };
    assert_eq!(decode_part(&mint(&key, &empty).unwrap(), 1).get("p"), None);
    let unscoped = TokenOptions { database: None, ..options.clone() };
    assert_eq!(code(mint(&key, &unscoped)), ErrorCode::OptionsInvalid);
    let blank = TokenOptions { read_attach: vec![String::new()], ..options };
    assert_eq!(code(mint(&key, &blank)), ErrorCode::OptionsInvalid);
}
