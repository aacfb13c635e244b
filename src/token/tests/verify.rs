//! `verify_token`: one test per row of the spec and per error code.

use serde_json::json;

use super::*;
use crate::limits::{MAX_IDENTIFIER_BYTES, MAX_JSON_DEPTH, MAX_SCOPE_NAMESPACES, MAX_TOKEN_BYTES};
use crate::permissions::{Action, Schema, TableName};
use crate::testing::test;

fn verify(token: &str, keys: &KeySet) -> Result<Grant> {
    verify_token(token, keys, &options())
}

fn verify_code(token: &str, keys: &KeySet, options: &VerifyOptions) -> ErrorCode {
    code(verify_token(token, keys, options))
}

fn with_db(database: &str) -> VerifyOptions {
    VerifyOptions { database: Some(database.into()), ..options() }
}

// ---- structure -------------------------------------------------------------------

#[test]
fn a_good_token_verifies_and_grants_full_access() {
    let key = EdKey::new();
    let grant = verify(&key.token(r#"{"iat":1,"x":{"y":[1,2]}}"#), &key.set()).unwrap();
    assert!(!grant.read_only());
    assert!(grant.is_admin());
    assert_eq!(grant.database, None);
    assert_eq!(grant.expires_at, None);
    assert_eq!(grant.claims["x"], json!({"y": [1, 2]}), "unknown claims are kept");
}

#[test]
fn token_size_limit_just_under_and_over() {
    let key = EdKey::new();
    // Grow a filler claim until the token is as close to the limit as base64 allows.
    let mut filler = MAX_TOKEN_BYTES * 3 / 4 - 200;
    let token = loop {
        let token = key.token(&format!(r#"{{"f":"{}"}}"#, "a".repeat(filler)));
        if token.len() > MAX_TOKEN_BYTES {
            break key.token(&format!(r#"{{"f":"{}"}}"#, "a".repeat(filler - 1)));
        }
        filler += 1;
    };
    assert!(token.len() <= MAX_TOKEN_BYTES && token.len() > MAX_TOKEN_BYTES - 4);
    assert!(verify(&token, &key.set()).is_ok());
    let over = key.token(&format!(r#"{{"f":"{}"}}"#, "a".repeat(filler)));
    assert!(over.len() > MAX_TOKEN_BYTES);
    assert_eq!(verify_code(&over, &key.set(), &options()), ErrorCode::InputTooLarge);
    // The size is checked before anything else.
    assert_eq!(
        verify_code(&" ".repeat(MAX_TOKEN_BYTES + 1), &key.set(), &options()),
        ErrorCode::InputTooLarge
    );
}

#[test]
fn whitespace_anywhere_is_malformed() {
    let key = EdKey::new();
    let token = key.token("{}");
    for bad in [
        format!(" {token}"),
        format!("{token}\n"),
        token.replacen('.', ". ", 1),
        format!("{token}\t"),
    ] {
        assert_eq!(verify_code(&bad, &key.set(), &options()), ErrorCode::TokenMalformed);
    }
}

#[test]
fn json_serialization_and_wrong_part_counts_are_malformed() {
    let key = EdKey::new();
    let token = key.token("{}");
    let parts: Vec<&str> = token.split('.').collect();
    let json_form = format!(
        r#"{{"protected":"{}","payload":"{}","signature":"{}"}}"#,
        parts[0], parts[1], parts[2]
    );
    for bad in [
        json_form,
        format!("{}.{}", parts[0], parts[1]),
        format!("{token}.{}", parts[2]),
        String::new(),
        "..".to_owned(),
        format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}+", parts[0], parts[1], parts[2]),
    ] {
        assert_eq!(verify_code(&bad, &key.set(), &options()), ErrorCode::TokenMalformed, "{bad}");
    }
}

#[test]
fn non_canonical_base64url_is_malformed() {
    let key = EdKey::new();
    // "{}" is "e30"; "e31" decodes to the same bytes with non-zero trailing bits.
    let token = sign_raw(r#"{"alg":"EdDSA"}"#, "{}", &key.signer).replacen(".e30.", ".e31.", 1);
    assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenMalformed);
}

#[test]
fn header_or_payload_that_is_not_an_object_is_malformed() {
    let key = EdKey::new();
    let header = format!(r#"{{"alg":"EdDSA","kid":"{}"}}"#, key.kid());
    for payload in ["[]", "1", "\"x\"", "null", "{", "{} {}", "{}x"] {
        let token = sign_raw(&header, payload, &key.signer);
        assert_eq!(
            verify_code(&token, &key.set(), &options()),
            ErrorCode::TokenMalformed,
            "{payload}"
        );
    }
    let token = sign_raw(r#"["alg","EdDSA"]"#, "{}", &key.signer);
    assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenMalformed);
}

#[test]
fn crit_b64_and_remote_or_embedded_keys_are_malformed() {
    let key = EdKey::new();
    for extra in [
        r#""crit":["exp"],"exp":1"#,
        r#""b64":false,"crit":["b64"]"#,
        r#""b64":false"#,
        r#""jku":"https://evil.example/jwks""#,
        r#""x5u":"https://evil.example/cert""#,
        r#""x5c":["AAAA"]"#,
        r#""jwk":{"kty":"OKP","crv":"Ed25519","x":"AA"}"#,
    ] {
        let header = format!(r#"{{"alg":"EdDSA","kid":"{}",{extra}}}"#, key.kid());
        let token = sign_raw(&header, "{}", &key.signer);
        assert_eq!(
            verify_code(&token, &key.set(), &options()),
            ErrorCode::TokenMalformed,
            "{extra}"
        );
    }
}

#[test]
fn duplicate_member_names_at_any_depth_are_malformed() {
    let key = EdKey::new();
    let kid = key.kid();
    for (header, payload) in [
        (format!(r#"{{"alg":"EdDSA","alg":"EdDSA","kid":"{kid}"}}"#), "{}".to_owned()),
        (format!(r#"{{"alg":"EdDSA","kid":"{kid}","kid":"{kid}"}}"#), "{}".to_owned()),
        (format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#), r#"{"a":"ro","a":"rw"}"#.to_owned()),
        (
            format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#),
            r#"{"perm":[{"a":["data_read"],"a":["data_add"]}]}"#.to_owned(),
        ),
        (
            format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#),
            r#"{"x":[{"y":{"z":1,"z":2}}]}"#.to_owned(),
        ),
    ] {
        let token = sign_raw(&header, &payload, &key.signer);
        assert_eq!(
            verify_code(&token, &key.set(), &options()),
            ErrorCode::TokenMalformed,
            "{header} {payload}"
        );
    }
}

#[test]
fn json_nesting_at_the_limit_is_accepted_and_deeper_is_malformed() {
    let key = EdKey::new();
    // The payload object is level 1; each array adds one.
    let nested =
        |levels: usize| format!(r#"{{"x":{}1{}}}"#, "[".repeat(levels - 1), "]".repeat(levels - 1));
    assert!(verify(&key.token(&nested(MAX_JSON_DEPTH)), &key.set()).is_ok());
    assert_eq!(
        verify_code(&key.token(&nested(MAX_JSON_DEPTH + 1)), &key.set(), &options()),
        ErrorCode::TokenMalformed
    );
    assert_eq!(
        verify_code(&key.token(&nested(5000)), &key.set(), &options()),
        ErrorCode::TokenMalformed
    );
}

#[test]
fn header_kid_of_the_wrong_type_is_malformed() {
    let key = EdKey::new();
    let token = sign_raw(r#"{"alg":"EdDSA","kid":5}"#, "{}", &key.signer);
    assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenMalformed);
    let token = sign_raw(r#"{"kid":"k"}"#, "{}", &key.signer);
    assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenMalformed, "no alg");
    let token = sign_raw(r#"{"alg":"EdDSA","cty":"JWT"}"#, "{}", &key.signer);
    assert_eq!(
        verify_code(&token, &key.set(), &options()),
        ErrorCode::TokenMalformed,
        "nested JWT"
    );
}

// ---- algorithm ---------------------------------------------------------------------

#[test]
fn alg_none_is_refused() {
    let key = EdKey::new();
    for alg in ["none", "None", "NONE"] {
        let token = sign_raw(
            &format!(r#"{{"alg":"{alg}","kid":"{}"}}"#, key.kid()),
            "{}",
            &Signer::Nothing,
        );
        assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenAlgorithm, "{alg}");
    }
}

#[test]
fn hs256_signed_with_the_public_key_bytes_is_refused() {
    let key = EdKey::new();
    let public = Base64UrlUnpadded::decode_vec(key.pair.public_jwk["x"].as_str().unwrap()).unwrap();
    for secret in [
        public.clone(),
        key.pair.public_jwk["x"].as_str().unwrap().as_bytes().to_vec(),
        key.pair.public_jwk.to_string().into_bytes(),
    ] {
        for alg in ["HS256", "HS384", "HS512"] {
            let token = sign_raw(
                &format!(r#"{{"alg":"{alg}","kid":"{}"}}"#, key.kid()),
                "{}",
                &Signer::Hmac(secret.clone()),
            );
            assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenAlgorithm);
        }
    }
}

#[test]
fn unknown_algorithms_are_refused() {
    let key = EdKey::new();
    for alg in ["eddsa", "EdDSA ", "RS384", "PS256", "ES384", "ES256K", ""] {
        let token = sign_raw(&format!(r#"{{"alg":"{alg}"}}"#), "{}", &key.signer);
        assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenAlgorithm, "{alg}");
    }
}

#[test]
fn ed25519_is_the_same_algorithm_as_eddsa() {
    let key = EdKey::new();
    let token =
        sign_raw(&format!(r#"{{"alg":"Ed25519","kid":"{}"}}"#, key.kid()), "{}", &key.signer);
    assert!(verify(&token, &key.set()).is_ok());
    let only_eddsa = VerifyOptions { algorithms: Some(vec!["EdDSA".into()]), ..options() };
    assert!(verify_token(&token, &key.set(), &only_eddsa).is_ok());
    let only_ed25519 = VerifyOptions { algorithms: Some(vec!["Ed25519".into()]), ..options() };
    assert!(verify_token(&key.token("{}"), &key.set(), &only_ed25519).is_ok());
}

#[test]
fn alg_not_in_options_algorithms_is_refused() {
    let key = EdKey::new();
    let rsa_only = VerifyOptions { algorithms: Some(vec!["RS256".into()]), ..options() };
    assert_eq!(verify_code(&key.token("{}"), &key.set(), &rsa_only), ErrorCode::TokenAlgorithm);
}

#[test]
fn invalid_algorithms_option_is_options_invalid() {
    let key = EdKey::new();
    for algorithms in [
        vec![],
        vec!["HS256".to_owned()],
        vec!["none".to_owned()],
        vec!["EdDSA".to_owned(), "rs256".to_owned()],
    ] {
        let bad = VerifyOptions { algorithms: Some(algorithms), ..options() };
        assert_eq!(verify_code(&key.token("{}"), &key.set(), &bad), ErrorCode::OptionsInvalid);
    }
    let bad = VerifyOptions { issuer: Some(vec![]), ..options() };
    assert_eq!(verify_code(&key.token("{}"), &key.set(), &bad), ErrorCode::OptionsInvalid);
    let bad = VerifyOptions { audience: Some(vec![]), ..options() };
    assert_eq!(verify_code(&key.token("{}"), &key.set(), &bad), ErrorCode::OptionsInvalid);
}

#[test]
fn header_alg_that_does_not_fit_the_kid_key_is_refused() {
    let key = EdKey::new();
    let (rsa_signer, _) = fixture(RSA2048, "r");
    let token = sign_raw(&format!(r#"{{"alg":"RS256","kid":"{}"}}"#, key.kid()), "{}", &rsa_signer);
    assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenAlgorithm);
    let token = sign_raw(&format!(r#"{{"alg":"ES256","kid":"{}"}}"#, key.kid()), "{}", &key.signer);
    assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenAlgorithm);
}

#[test]
fn rs256_with_a_2048_bit_key_verifies() {
    let (signer, public) = fixture(RSA2048, "rsa-1");
    let set = KeySet::parse(&json!({"keys": [public]}).to_string()).unwrap();
    let token = sign_raw(r#"{"alg":"RS256","kid":"rsa-1"}"#, r#"{"sub":"u"}"#, &signer);
    assert_eq!(verify(&token, &set).unwrap().claims["sub"], "u");
    let tampered = sign_raw(r#"{"alg":"RS256","kid":"rsa-1"}"#, r#"{"sub":"u"}"#, &signer)
        .replacen(".eyJzdWIiOiJ1In0.", ".eyJzdWIiOiJ2In0.", 1);
    assert_eq!(verify_code(&tampered, &set, &options()), ErrorCode::TokenSignature);
}

#[test]
fn es256_verifies() {
    let (signer, public) = fixture(P256, "ec-1");
    let set = KeySet::parse(&public.to_string()).unwrap();
    let token = sign_raw(r#"{"alg":"ES256","kid":"ec-1"}"#, "{}", &signer);
    assert!(verify(&token, &set).is_ok());
    let wrong = sign_raw(r#"{"alg":"ES256","kid":"ec-1"}"#, "{}", &EdKey::new().signer);
    assert_eq!(
        verify_code(&wrong, &set, &options()),
        ErrorCode::TokenSignature,
        "64 bytes, not an ECDSA signature of this"
    );
}

// ---- key selection -----------------------------------------------------------------

fn set_of(keys: &[&EdKey]) -> KeySet {
    let jwks: Vec<Value> = keys.iter().map(|k| k.pair.public_jwk.clone()).collect();
    KeySet::parse(&json!({ "keys": jwks }).to_string()).unwrap()
}

#[test]
fn kid_selects_its_key_among_several() {
    let (a, b, c) = (EdKey::new(), EdKey::new(), EdKey::new());
    let set = set_of(&[&a, &b, &c]);
    for key in [&a, &b, &c] {
        assert!(verify(&key.token("{}"), &set).is_ok());
    }
}

#[test]
fn unknown_kid_is_key_not_found() {
    let (a, b) = (EdKey::new(), EdKey::new());
    assert_eq!(
        verify_code(&b.token("{}"), &set_of(&[&a]), &options()),
        ErrorCode::TokenKeyNotFound
    );
}

#[test]
fn kid_found_but_signed_by_another_key_is_a_bad_signature() {
    let (a, b) = (EdKey::new(), EdKey::new());
    let forged = sign_raw(&format!(r#"{{"alg":"EdDSA","kid":"{}"}}"#, a.kid()), "{}", &b.signer);
    assert_eq!(verify_code(&forged, &set_of(&[&a, &b]), &options()), ErrorCode::TokenSignature);
}

#[test]
fn without_kid_exactly_one_fitting_key_is_tried() {
    let (a, b) = (EdKey::new(), EdKey::new());
    let token = sign_raw(r#"{"alg":"EdDSA"}"#, "{}", &a.signer);
    assert!(verify(&token, &set_of(&[&a])).is_ok());
    assert_eq!(verify_code(&token, &set_of(&[&a, &b]), &options()), ErrorCode::TokenKeyNotFound);
    // Keys of other algorithms do not count.
    let (_, rsa) = fixture(RSA2048, "r");
    let set = KeySet::parse(&json!({"keys": [a.pair.public_jwk, rsa]}).to_string()).unwrap();
    assert!(verify(&token, &set).is_ok());
    let only_rsa = KeySet::parse(&fixture(RSA2048, "r").1.to_string()).unwrap();
    assert_eq!(verify_code(&token, &only_rsa, &options()), ErrorCode::TokenKeyNotFound);
}

#[test]
fn a_key_without_kid_serves_tokens_with_any_kid() {
    // sqld's `--auth-jwt-key-file` holds a bare key; Turso tokens carry a `kid`.
    let signer = Signer::Ed(ed25519_compact::SecretKey::from_pem(ED_PEM_PRIVATE).unwrap());
    let pem_set = KeySet::parse(ED_PEM_PUBLIC).unwrap();
    let token = sign_raw(r#"{"alg":"EdDSA","kid":"whatever"}"#, "{}", &signer);
    assert!(verify(&token, &pem_set).is_ok());
    // ... but not when the kid names another key of the set.
    let other = EdKey::new();
    let mut jwks = pem_set.to_jwks();
    jwks["keys"].as_array_mut().unwrap().push(other.pair.public_jwk.clone());
    let set = KeySet::parse(&jwks.to_string()).unwrap();
    let token = sign_raw(&format!(r#"{{"alg":"EdDSA","kid":"{}"}}"#, other.kid()), "{}", &signer);
    assert_eq!(verify_code(&token, &set, &options()), ErrorCode::TokenSignature);
}

#[test]
fn signature_of_the_wrong_length_is_a_bad_signature() {
    let key = EdKey::new();
    let token = key.token("{}");
    let (input, _) = token.rsplit_once('.').unwrap();
    for signature in ["", "AAAA", &b64(&[0; 65])] {
        assert_eq!(
            verify_code(&format!("{input}.{signature}"), &key.set(), &options()),
            ErrorCode::TokenSignature
        );
    }
}

// ---- claims ------------------------------------------------------------------------

#[test]
fn time_claims_must_be_integers_that_fit_i64() {
    let key = EdKey::new();
    for claim in ["exp", "nbf", "iat"] {
        for value in [
            "1.5",
            "1e308",
            "1e3",
            "1E3",
            "10.0",
            "9223372036854775808",
            "18446744073709551616",
            "\"1\"",
            "null",
            "true",
            "[1]",
            "-1.0",
        ] {
            let token = key.token(&format!(r#"{{"{claim}":{value}}}"#));
            assert_eq!(
                verify_code(&token, &key.set(), &options()),
                ErrorCode::TokenClaims,
                "{claim}: {value}"
            );
        }
    }
    let token = key.token(r#"{"iat":-5,"nbf":-9223372036854775808,"exp":9223372036854775807}"#);
    let grant = verify(&token, &key.set()).unwrap();
    assert_eq!(grant.expires_at, Some(i64::MAX));
}

#[test]
fn a_must_be_ro_or_rw() {
    let key = EdKey::new();
    for value in [r#""admin""#, r#""RO""#, r#""r""#, "1", "null", r#"["ro"]"#, r#""""#] {
        let token = key.token(&format!(r#"{{"a":{value}}}"#));
        assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenClaims, "{value}");
    }
    assert!(verify(&key.token(r#"{"a":"ro"}"#), &key.set()).unwrap().read_only());
    assert!(!verify(&key.token(r#"{"a":"rw"}"#), &key.set()).unwrap().read_only());
}

#[test]
fn id_and_gid_together_are_invalid() {
    let key = EdKey::new();
    let token = key.token(r#"{"id":"db","gid":"g"}"#);
    assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenClaims);
}

#[test]
fn wrong_claim_types_are_invalid() {
    let key = EdKey::new();
    for payload in [
        r#"{"id":1}"#,
        r#"{"id":""}"#,
        r#"{"gid":["g"]}"#,
        r#"{"iss":1}"#,
        r#"{"sub":{}}"#,
        r#"{"aud":1}"#,
        r#"{"aud":["a",1]}"#,
        r#"{"perm":{}}"#,
        r#"{"perm":[{"t":["x"],"a":["drop_table"]}]}"#,
        r#"{"perm":[{"t":["x"],"a":["data_read"],"z":1}]}"#,
        r#"{"perm":["x:data_everything"]}"#,
        r#"{"perm":[1]}"#,
        r#"{"p":[]}"#,
        r#"{"p":{"xx":{"ns":["db"]}}}"#,
        r#"{"p":{"ro":{"ns":"db"}}}"#,
        r#"{"p":null}"#,
        r#"{"p":{"ddl":{"tags":"g"}}}"#,
        r#"{"p":{"ro":{"tags":[2]}}}"#,
        r#"{"a":"roA"}"#,
        r#"{"a":"rwa"}"#,
        r#"{"a":null}"#,
        r#"{"id":null}"#,
        r#"{"perm":[{"t":"x","a":["data_read"]}]}"#,
        r#"{"perm":[{"t":null,"a":null}]}"#,
        r#"{"p":{"ro":{"ns":["db"],"x":1}}}"#,
        r#"{"p":{"ro":{"ns":[1]}}}"#,
        r#"{"p":{"ro":{"ns":[""]}}}"#,
        r#"{"p":{"ro":["db"]}}"#,
    ] {
        assert_eq!(
            verify_code(&key.token(payload), &key.set(), &options()),
            ErrorCode::TokenClaims,
            "{payload}"
        );
    }
}

#[test]
fn identifier_and_namespace_limits() {
    let key = EdKey::new();
    let long = "d".repeat(MAX_IDENTIFIER_BYTES + 1);
    assert_eq!(
        verify_code(&key.token(&json!({"id": long}).to_string()), &key.set(), &options()),
        ErrorCode::InputTooLarge
    );
    let fits = "d".repeat(MAX_IDENTIFIER_BYTES);
    assert!(verify(&key.token(&json!({"id": fits}).to_string()), &key.set()).is_ok());
    let many: Vec<String> = (0..=MAX_SCOPE_NAMESPACES).map(|i| format!("n{i}")).collect();
    let token = key.token(&json!({"p": {"ro": {"ns": many}}}).to_string());
    assert_eq!(verify_code(&token, &key.set(), &with_db("n1")), ErrorCode::InputTooLarge);
    let token = key.token(&json!({"p": {"ro": {"ns": many[1..]}}}).to_string());
    assert!(verify_token(&token, &key.set(), &with_db("n1")).is_ok());
    // `tags` count with `ns`, over every section.
    let (ns, tags) = many.split_at(MAX_SCOPE_NAMESPACES / 2);
    let split = json!({"p": {"ro": {"ns": ns}, "ddl": {"tags": tags}}});
    assert_eq!(
        verify_code(&key.token(&split.to_string()), &key.set(), &with_db("n1")),
        ErrorCode::InputTooLarge
    );
}

#[test]
fn perm_claim_becomes_the_grant_rules() {
    let key = EdKey::new();
    let token = key.token(r#"{"perm":[{"t":["comments"],"a":["data_add"]},"posts:data_read"]}"#);
    let grant = verify(&token, &key.set()).unwrap();
    assert!(grant.allows(&TableName::main("Comments"), Action::DataAdd));
    assert!(grant.allows(&TableName::main("posts"), Action::DataRead));
    assert!(!grant.allows(&TableName::main("posts"), Action::DataAdd));
    assert!(!grant.is_admin());
}

#[test]
fn empty_or_null_perm_is_no_restriction() {
    let key = EdKey::new();
    // Turso's `jwks template --scope full-access` prints `"perm": []`.
    for payload in [
        r#"{"a":"rw","id":"db","perm":[]}"#,
        r#"{"a":"rw","id":"db","perm":null}"#,
        r#"{"a":"rw","id":"db"}"#,
    ] {
        let grant = verify_token(&key.token(payload), &key.set(), &with_db("db")).unwrap();
        assert_eq!(grant.permissions, None, "{payload}");
        assert!(grant.is_admin(), "{payload}");
    }
    let read_only = key.token(r#"{"a":"ro","perm":[]}"#);
    let grant = verify(&read_only, &key.set()).unwrap();
    assert!(grant.allows(&TableName::main("t"), Action::DataRead));
    assert!(!grant.allows(&TableName::main("t"), Action::DataAdd));
}

#[test]
fn rule_without_tables_covers_every_table() {
    let key = EdKey::new();
    // The turso CLI sends `-p all:data_read` as `"t": null`.
    for t in [r#""t":null,"#, r#""t":[],"#, ""] {
        let token = key.token(&format!(r#"{{"perm":[{{{t}"a":["data_read"]}}]}}"#));
        let grant = verify(&token, &key.set()).unwrap();
        assert!(grant.allows(&TableName::main("any"), Action::DataRead), "{t}");
        assert!(!grant.allows(&TableName::main("any"), Action::DataAdd), "{t}");
        assert!(!grant.is_admin());
    }
    // A rule with no action allows nothing but the schema tables.
    let nothing = verify(&key.token(r#"{"perm":[{"t":null,"a":[]}]}"#), &key.set()).unwrap();
    assert!(!nothing.allows(&TableName::main("any"), Action::DataRead));
    assert!(nothing.allows(&TableName::main("sqlite_schema"), Action::DataRead));
}

#[test]
fn roa_is_read_only_and_attachable() {
    let key = EdKey::new();
    let token = key.token(r#"{"a":"roa","id":"db1"}"#);
    let grant = verify_token(&token, &key.set(), &with_db("db1")).unwrap();
    assert!(grant.read_only());
    assert!(grant.allows(&TableName::main("t"), Action::DataRead));
    assert!(!grant.allows(&TableName::main("t"), Action::DataAdd));
    assert!(grant.allows_attach("db1"), "sqld files `id` under `p.roa`");
    assert!(!grant.allows_attach("db2"));
    assert_eq!(verify_code(&token, &key.set(), &with_db("db2")), ErrorCode::TokenScope);
    // No `id`: the requested database is the one that may be attached.
    let anywhere = key.token(r#"{"a":"roa"}"#);
    let grant = verify_token(&anywhere, &key.set(), &with_db("db7")).unwrap();
    assert!(grant.read_only() && grant.allows_attach("db7") && !grant.allows_attach("db1"));
}

#[test]
fn unknown_claims_are_ignored() {
    let key = EdKey::new();
    let token = key.token(
        r#"{"a":"rw","id":"db","rid":"5b8f6d0e-1c1a-4d39-9b1e-0f6f3c2b7a10","azp":"https://app.example","sid":"sess_1","org_id":null,"x":{"deep":[1]}}"#,
    );
    let grant = verify_token(&token, &key.set(), &with_db("db")).unwrap();
    assert!(grant.is_admin());
    assert_eq!(grant.claims["azp"], "https://app.example");
}

#[test]
fn database_known_by_name_and_cloud_id() {
    let key = EdKey::new();
    let uuid = "0b7b9d3e-3c1f-4e8e-9a55-6a1f2f7c9d21";
    let both = VerifyOptions { database: Some(Target::new("db1", uuid)), ..options() };
    // sqld writes the namespace name, Turso Cloud the database id: one verifier, both.
    for payload in [r#"{"id":"db1"}"#.to_owned(), format!(r#"{{"id":"{uuid}"}}"#)] {
        assert!(verify_token(&key.token(&payload), &key.set(), &both).is_ok(), "{payload}");
    }
    let other = key.token(r#"{"id":"db2"}"#);
    assert_eq!(verify_code(&other, &key.set(), &both), ErrorCode::TokenScope);
    let by_ns = key.token(&format!(r#"{{"p":{{"ro":{{"ns":["{uuid}"]}}}}}}"#));
    assert!(verify_token(&by_ns, &key.set(), &both).unwrap().read_only());
    // Only the id known: a name-scoped token is refused.
    let id_only = VerifyOptions {
        database: Some(Target { name: None, id: Some(uuid.to_owned()) }),
        ..options()
    };
    let named = key.token(r#"{"id":"db1"}"#);
    assert_eq!(verify_code(&named, &key.set(), &id_only), ErrorCode::TokenScope);
    let unnamed = VerifyOptions { database: Some(Target::default()), ..options() };
    assert_eq!(verify_code(&key.token("{}"), &key.set(), &unnamed), ErrorCode::OptionsInvalid);
}

// ---- time --------------------------------------------------------------------------

#[test]
fn expiry_with_the_default_leeway() {
    assert_eq!(VerifyOptions::default().leeway, 60);
    let key = EdKey::new();
    let at = |exp: i64| key.token(&format!(r#"{{"exp":{exp}}}"#));
    assert_eq!(verify_code(&at(NOW - 60), &key.set(), &options()), ErrorCode::TokenExpired);
    assert!(verify(&at(NOW - 59), &key.set()).is_ok());
    assert_eq!(verify(&at(NOW + 10), &key.set()).unwrap().expires_at, Some(NOW + 10));
}

#[test]
fn expiry_with_leeway_zero() {
    let key = EdKey::new();
    let strict = VerifyOptions { leeway: 0, ..options() };
    let at = |exp: i64| key.token(&format!(r#"{{"exp":{exp}}}"#));
    assert_eq!(verify_code(&at(NOW), &key.set(), &strict), ErrorCode::TokenExpired);
    assert!(verify_token(&at(NOW + 1), &key.set(), &strict).is_ok());
}

#[test]
fn not_before_with_leeway() {
    let key = EdKey::new();
    let at = |nbf: i64| key.token(&format!(r#"{{"nbf":{nbf}}}"#));
    assert!(verify(&at(NOW + 60), &key.set()).is_ok());
    assert_eq!(verify_code(&at(NOW + 61), &key.set(), &options()), ErrorCode::TokenNotYetValid);
    let strict = VerifyOptions { leeway: 0, ..options() };
    assert!(verify_token(&at(NOW), &key.set(), &strict).is_ok());
    assert_eq!(verify_code(&at(NOW + 1), &key.set(), &strict), ErrorCode::TokenNotYetValid);
}

#[test]
fn extreme_times_and_leeways_saturate() {
    let key = EdKey::new();
    let huge = VerifyOptions { leeway: u64::MAX, now: i64::MIN, ..options() };
    assert!(verify_token(&key.token(r#"{"exp":-9223372036854775808}"#), &key.set(), &huge).is_err());
    let late = VerifyOptions { now: i64::MAX, ..options() };
    assert!(verify_token(&key.token(r#"{"exp":9223372036854775807}"#), &key.set(), &late).is_ok());
    assert_eq!(
        verify_code(&key.token(r#"{"exp":9223372036854775747}"#), &key.set(), &late),
        ErrorCode::TokenExpired
    );
    assert!(verify_token(&key.token(r#"{"nbf":9223372036854775807}"#), &key.set(), &late).is_ok());
}

// ---- issuer and audience -------------------------------------------------------------

#[test]
fn issuer_is_checked_when_asked() {
    let key = EdKey::new();
    let opts =
        VerifyOptions { issuer: Some(vec!["https://a".into(), "https://b".into()]), ..options() };
    assert!(verify_token(&key.token(r#"{"iss":"https://b"}"#), &key.set(), &opts).is_ok());
    assert_eq!(
        verify_code(&key.token(r#"{"iss":"https://c"}"#), &key.set(), &opts),
        ErrorCode::TokenIssuer
    );
    assert_eq!(verify_code(&key.token("{}"), &key.set(), &opts), ErrorCode::TokenIssuer);
    assert!(
        verify(&key.token(r#"{"iss":"anything"}"#), &key.set()).is_ok(),
        "not asked, not checked"
    );
}

#[test]
fn audience_is_checked_when_asked() {
    let key = EdKey::new();
    let opts = VerifyOptions { audience: Some(vec!["api".into()]), ..options() };
    assert!(verify_token(&key.token(r#"{"aud":"api"}"#), &key.set(), &opts).is_ok());
    assert!(verify_token(&key.token(r#"{"aud":["x","api"]}"#), &key.set(), &opts).is_ok());
    assert_eq!(
        verify_code(&key.token(r#"{"aud":["x"]}"#), &key.set(), &opts),
        ErrorCode::TokenAudience
    );
    assert_eq!(
        verify_code(&key.token(r#"{"aud":[]}"#), &key.set(), &opts),
        ErrorCode::TokenAudience
    );
    assert_eq!(verify_code(&key.token("{}"), &key.set(), &opts), ErrorCode::TokenAudience);
}

// ---- scope -------------------------------------------------------------------------

#[test]
fn database_token_is_valid_only_for_its_id() {
    let key = EdKey::new();
    let token = key.token(r#"{"id":"db1"}"#);
    let grant = verify_token(&token, &key.set(), &with_db("db1")).unwrap();
    assert_eq!(grant.database.as_deref(), Some("db1"));
    assert_eq!(verify_code(&token, &key.set(), &with_db("db2")), ErrorCode::TokenScope);
    assert_eq!(verify_code(&token, &key.set(), &with_db("DB1")), ErrorCode::TokenScope);
    assert!(verify(&token, &key.set()).is_ok(), "no database asked: not checked");
}

#[test]
fn group_token_is_valid_only_for_its_group() {
    let key = EdKey::new();
    let token = key.token(r#"{"gid":"g1"}"#);
    let in_group = |group: &str| VerifyOptions { group: Some(group.into()), ..with_db("db") };
    assert_eq!(
        verify_token(&token, &key.set(), &in_group("g1")).unwrap().group.as_deref(),
        Some("g1")
    );
    assert_eq!(verify_code(&token, &key.set(), &in_group("g2")), ErrorCode::TokenScope);
    // The database is known but its group is not: the token cannot be placed.
    assert_eq!(verify_code(&token, &key.set(), &with_db("db")), ErrorCode::TokenScope);
    assert!(verify(&token, &key.set()).is_ok(), "nothing asked: not checked");
}

#[test]
fn organisation_token_is_valid_everywhere() {
    let key = EdKey::new();
    let options = VerifyOptions { group: Some("g".into()), ..with_db("any") };
    assert!(verify_token(&key.token("{}"), &key.set(), &options).is_ok());
}

#[test]
fn p_token_needs_a_database_and_lists_it() {
    let key = EdKey::new();
    let token = key.token(r#"{"p":{"rw":{"ns":["db1"]}}}"#);
    assert_eq!(verify_code(&token, &key.set(), &options()), ErrorCode::TokenScope);
    assert_eq!(verify_code(&token, &key.set(), &with_db("db2")), ErrorCode::TokenScope);
    assert!(!verify_token(&token, &key.set(), &with_db("db1")).unwrap().read_only());
    // sqld's `can_read_ns`: a `roa` section reads the database it lists.
    let roa_only = key.token(r#"{"p":{"roa":{"ns":["db1"]}}}"#);
    assert!(verify_token(&roa_only, &key.set(), &with_db("db1")).unwrap().read_only());
    for no_ns in [
        r#"{"p":{"ro":{},"rw":{"ns":["db1"]}}}"#,
        r#"{"p":{"ro":{"ns":null},"rw":{"ns":["db1"]}}}"#,
        r#"{"p":{"ro":null,"rw":{"ns":["db1"]}}}"#,
    ] {
        assert!(
            verify_token(&key.token(no_ns), &key.set(), &with_db("db1")).is_ok(),
            "a missing or null section or `ns` lists nothing: {no_ns}"
        );
    }
    let empty = key.token(r#"{"p":{}}"#);
    assert_eq!(verify_code(&empty, &key.set(), &with_db("db1")), ErrorCode::TokenScope);
    // `id` and `a` with `p`: not read, as in sqld.
    let both = key.token(r#"{"id":"other","a":"ro","p":{"rw":{"ns":["db1"]}}}"#);
    let grant = verify_token(&both, &key.set(), &with_db("db1")).unwrap();
    assert!(!grant.read_only());
    assert_eq!(grant.database, None, "`id` is not read");
    assert_eq!(verify_code(&both, &key.set(), &with_db("other")), ErrorCode::TokenScope);
}

#[test]
fn p_write_sections_win_as_in_sqld() {
    let key = EdKey::new();
    for (payload, read_only) in [
        (r#"{"p":{"ro":{"ns":["db"]}}}"#, true),
        (r#"{"p":{"roa":{"ns":["db"]}}}"#, true),
        (r#"{"p":{"ro":{"ns":["db"]},"rw":{"ns":["db"]}}}"#, false),
        (r#"{"p":{"ro":{"ns":["db"]},"rwa":{"ns":["db"]}}}"#, false),
        (r#"{"p":{"ro":{"ns":["db"]},"ddl":{"ns":["db"]}}}"#, false),
        (r#"{"a":"ro","p":{"rw":{"ns":["db"]}}}"#, false),
    ] {
        let grant = verify_token(&key.token(payload), &key.set(), &with_db("db")).unwrap();
        assert_eq!(grant.read_only(), read_only, "{payload}");
        assert_eq!(grant.allows(&TableName::main("t"), Action::DataAdd), !read_only, "{payload}");
        assert_eq!(grant.allows(&TableName::main("t"), Action::SchemaAdd), !read_only);
        assert!(grant.allows(&TableName::main("t"), Action::DataRead));
    }
}

#[test]
fn p_tags_match_the_request_group() {
    let key = EdKey::new();
    let token = key.token(r#"{"p":{"ro":{"tags":["g1"]},"ddl":{"tags":["g2"]}}}"#);
    let in_group = |group: Target| VerifyOptions { group: Some(group), ..with_db("db") };
    assert!(verify_token(&token, &key.set(), &in_group("g1".into())).unwrap().read_only());
    assert!(!verify_token(&token, &key.set(), &in_group("g2".into())).unwrap().read_only());
    assert_eq!(verify_code(&token, &key.set(), &in_group("g3".into())), ErrorCode::TokenScope);
    // A tag is a group, never a database; without the group the token cannot be placed.
    assert_eq!(verify_code(&token, &key.set(), &with_db("g1")), ErrorCode::TokenScope);
    // The group known by name and by Turso Cloud id: either matches.
    let by_id = in_group(Target::new("other-name", "g1"));
    assert!(verify_token(&token, &key.set(), &by_id).unwrap().read_only());
    // The group alone is enough for a `tags` token.
    let group_only = VerifyOptions { group: Some("g1".into()), ..options() };
    assert!(verify_token(&token, &key.set(), &group_only).is_ok());
    let ns_token = key.token(r#"{"p":{"rw":{"ns":["db"]}}}"#);
    assert_eq!(verify_code(&ns_token, &key.set(), &group_only), ErrorCode::TokenScope);
}

#[test]
fn p_attach_grants() {
    let key = EdKey::new();
    // Not admin (a `perm` claim), so attached databases need the `p` grants.
    let token = key.token(r#"{"perm":["all:data_read"],"p":{"rw":{"ns":["db"]},"roa":{"ns":["Logs","both"]},"rwa":{"ns":["cache","BOTH"]}}}"#);
    let grant = verify_token(&token, &key.set(), &with_db("db")).unwrap();
    let attached = |ns: &str| TableName::new(Schema::Attached(ns.to_owned()), "t");
    assert!(grant.allows_attach("logs"));
    assert!(grant.allows(&attached("logs"), Action::DataRead));
    assert!(!grant.allows(&attached("logs"), Action::DataAdd));
    assert!(grant.allows(&attached("cache"), Action::DataAdd));
    assert!(!grant.allows(&attached("cache"), Action::SchemaAdd));
    assert!(!grant.allows(&attached("both"), Action::DataAdd), "read-only wins");
    assert!(!grant.allows_attach("other"));
    assert_eq!(grant.attach.len(), 3);
}

#[test]
fn checks_come_in_the_documented_order() {
    let key = EdKey::new();
    // Expired and out of scope: time first.
    let token = key.token(&format!(r#"{{"exp":{},"id":"other"}}"#, NOW - 1000));
    assert_eq!(verify_code(&token, &key.set(), &with_db("db")), ErrorCode::TokenExpired);
    // Bad claims with a bad signature: the signature first, claims are never judged.
    let forged = sign_raw(
        &format!(r#"{{"alg":"EdDSA","kid":"{}"}}"#, key.kid()),
        r#"{"exp":1.5}"#,
        &EdKey::new().signer,
    );
    assert_eq!(verify_code(&forged, &key.set(), &options()), ErrorCode::TokenSignature);
    // Wrong issuer and wrong audience: issuer first.
    let opts = VerifyOptions {
        issuer: Some(vec!["i".into()]),
        audience: Some(vec!["a".into()]),
        ..with_db("db")
    };
    assert_eq!(verify_code(&key.token(r#"{"id":"x"}"#), &key.set(), &opts), ErrorCode::TokenIssuer);
    assert_eq!(
        verify_code(&key.token(r#"{"iss":"i","id":"x"}"#), &key.set(), &opts),
        ErrorCode::TokenAudience
    );
    assert_eq!(
        verify_code(&key.token(r#"{"iss":"i","aud":"a","id":"x"}"#), &key.set(), &opts),
        ErrorCode::TokenScope
    );
}

#[test]
fn error_messages_do_not_echo_long_token_text() {
    let key = EdKey::new();
    let kid = "k".repeat(10_000);
    let token = sign_raw(&format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#), "{}", &key.signer);
    let error = verify_token(&token, &key.set(), &options()).unwrap_err();
    assert_eq!(error.code, ErrorCode::TokenKeyNotFound);
    assert!(error.message.len() < 200, "{}", error.message);
    assert_eq!(shown("short"), "short");
    assert_eq!(shown(&"é".repeat(100)), format!("{}...", "é".repeat(64)));
}

#[test]
fn every_single_character_change_fails_cleanly() {
    let key = EdKey::new();
    let token = key.token(r#"{"id":"db","a":"ro","exp":1900000000}"#);
    let set = key.set();
    assert!(verify(&token, &set).is_ok());
    for index in 0..token.len() {
        for replacement in ['A', '_', '.', '-', ' ', '=', 'é'] {
            let mut bad = token.clone();
            bad.replace_range(index..=index, &replacement.to_string());
            if bad == token {
                continue;
            }
            // Never a panic, never a success.
            assert!(verify(&bad, &set).is_err(), "{index} {replacement}");
        }
        assert!(verify(&token[..index], &set).is_err(), "prefix of {index}");
    }
}

#[test]
fn registered_header_members_have_their_types() {
    let key = EdKey::new();
    for header in [
        r#"{"alg":"EdDSA","typ":5}"#,
        r#"{"alg":"EdDSA","cty":["JSON"]}"#,
        r#"{"alg":"EdDSA","x5t":null}"#,
        r#"{"alg":"EdDSA","x5t#S256":{}}"#,
        r#"{"alg":"EdDSA","cty":"text/plain"}"#,
    ] {
        let token = sign_raw(header, "{}", &key.signer);
        assert_eq!(
            verify_code(&token, &key.set(), &options()),
            ErrorCode::TokenMalformed,
            "{header}"
        );
    }
    for header in [
        r#"{"alg":"EdDSA","typ":"JWT","cty":"json"}"#,
        r#"{"alg":"EdDSA","typ":"at+jwt","cty":"JSON"}"#,
    ] {
        let token = sign_raw(header, "{}", &key.signer);
        assert!(verify_token(&token, &key.set(), &options()).is_ok(), "{header}");
    }
}

#[test]
fn four_parts_or_empty_parts_are_malformed() {
    let key = EdKey::new();
    let token = key.token("{}");
    let (input, signature) = token.rsplit_once('.').unwrap();
    let (header, payload) = input.split_once('.').unwrap();
    for bad in [
        format!("{token}.{signature}"),
        format!("{header}.{payload}"),
        format!("{header}..{signature}"),
        format!(".{payload}.{signature}"),
        format!("{header}.{payload}.{signature}="),
        header.to_owned(),
        String::new(),
    ] {
        assert_eq!(verify_code(&bad, &key.set(), &options()), ErrorCode::TokenMalformed, "{bad}");
    }
}
