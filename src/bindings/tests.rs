//! The bindings inside wasm, run by `wasm-bindgen-test-runner` in Node (`make test`):
//! values in and out, and every error thrown with its stable code.

use js_sys::{Function, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use super::errors::{set_error_class, ERROR_CLASS};
use super::*;
use crate::decision;
use crate::grant::AccessLevel;

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn code_of(error: JsValue) -> String {
    let error: js_sys::Error = error.dyn_into().expect("thrown value is an Error");
    assert_eq!(String::from(error.name()), "AuthzError");
    Reflect::get(&error, &"code".into()).unwrap().as_string().expect("code is a string")
}

fn grant(access: AccessLevel, rules: Option<&[&str]>) -> Grant {
    Grant::from(grant::Grant {
        database: Some("db1".into()),
        expires_at: Some(1_700_000_000),
        claims: serde_json::from_str(r#"{"id":"db1","exp":1700000000,"x":{"y":[1,"z"]}}"#).unwrap(),
        ..crate::testing::grant(access, rules)
    })
}

#[wasm_bindgen_test]
fn grant_getters_are_plain_js_values() {
    let grant = grant(AccessLevel::ReadOnly, Some(&["comments,posts:data_read", "all:data_add"]));
    assert_eq!(grant.database().as_string().as_deref(), Some("db1"));
    assert!(grant.group().is_null());
    assert!(grant.read_only());
    assert_eq!(grant.expires_at().as_f64(), Some(1_700_000_000.0));
    let permissions = JSON::stringify(&grant.permissions().unwrap()).unwrap();
    assert_eq!(
        String::from(permissions),
        r#"[{"tables":["comments","posts"],"actions":["data_read"]},{"tables":"all","actions":["data_add"]}]"#
    );
    let claims = grant.claims().unwrap();
    assert_eq!(Object::get_prototype_of(&claims), Object::get_prototype_of(&Object::new()));
    assert_eq!(
        String::from(JSON::stringify(&claims).unwrap()),
        r#"{"exp":1700000000,"id":"db1","x":{"y":[1,"z"]}}"#
    );
}

#[wasm_bindgen_test]
fn claims_with_integers_beyond_2_53_read_as_json_parse_reads_them() {
    let mut inner = grant::Grant::clone(&grant(AccessLevel::Full, None).inner);
    inner.claims =
        serde_json::from_str(r#"{"big":18446744073709551615,"neg":-9007199254740993}"#).unwrap();
    let claims = Grant::from(inner).claims().unwrap();
    let big = Reflect::get(&claims, &"big".into()).unwrap().as_f64();
    assert_eq!(big, Some(18446744073709551615_u64 as f64));
    assert_eq!(Reflect::get(&claims, &"neg".into()).unwrap().as_f64(), Some(-9007199254740992.0));
}

#[wasm_bindgen_test]
fn grant_without_scope_or_rules_gives_nulls() {
    let mut inner = grant::Grant::clone(&grant(AccessLevel::Full, None).inner);
    inner.database = None;
    inner.expires_at = None;
    let grant = Grant::from(inner);
    assert!(grant.database().is_null());
    assert!(grant.expires_at().is_null());
    assert!(grant.permissions().unwrap().is_null());
}

#[wasm_bindgen_test]
fn allows_reads_table_names_as_sqlite_does() {
    let grant = grant(AccessLevel::Full, Some(&["comments:data_add"]));
    let allows = |table: &str, action: &str| grant.allows(table.into(), action.into()).unwrap();
    assert!(allows("comments", "data_add"));
    assert!(allows("main.Comments", "data_add"));
    assert!(allows("\"comments\"", "data_add"));
    assert!(!allows("temp.comments", "data_add"));
    assert!(!allows("other.comments", "data_add"));
    assert!(!allows("comments", "data_delete"));
    assert!(allows("sqlite_schema", "data_read"));
}

#[wasm_bindgen_test]
fn allows_rejects_unknown_action_and_bad_names() {
    let grant = grant(AccessLevel::Full, None);
    for (table, action) in
        [("t", "drop"), ("t", "DATA_READ"), ("a.b.c", "data_read"), ("", "data_read")]
    {
        assert_eq!(
            code_of(grant.allows(table.into(), action.into()).unwrap_err()),
            "ERR_OPTIONS_INVALID"
        );
    }
    assert_eq!(
        code_of(grant.allows(JsValue::UNDEFINED, "data_read".into()).unwrap_err()),
        "ERR_OPTIONS_INVALID"
    );
}

#[wasm_bindgen_test]
fn unknown_or_mistyped_options_are_options_invalid() {
    for options in [
        r#"{"databse":"db1"}"#,
        r#"{"leeway":1.5}"#,
        r#"{"leeway":-1}"#,
        r#"{"issuer":3}"#,
        r#"{"algorithms":"EdDSA"}"#,
        r#"[]"#,
        r#""db1""#,
    ] {
        let error = verify_token("a.b.c".into(), "key".into(), json(options)).err().unwrap();
        assert_eq!(code_of(error), "ERR_OPTIONS_INVALID", "{options}");
    }
}

#[wasm_bindgen_test]
fn non_finite_now_is_options_invalid() {
    let options = Object::new();
    Reflect::set(&options, &"now".into(), &f64::NAN.into()).unwrap();
    let error = verify_token("a.b.c".into(), "key".into(), options.into()).err().unwrap();
    assert_eq!(code_of(error), "ERR_OPTIONS_INVALID");
}

#[wasm_bindgen_test]
fn non_string_token_is_malformed() {
    let error = verify_token(JsValue::UNDEFINED, "key".into(), JsValue::UNDEFINED).err().unwrap();
    assert_eq!(code_of(error), "ERR_TOKEN_MALFORMED");
}

#[wasm_bindgen_test]
fn keys_that_are_not_json_are_key_invalid() {
    for keys in [JsValue::UNDEFINED, JsValue::from_f64(3.0), JsValue::TRUE] {
        let error = verify_token("a.b.c".into(), keys, JsValue::UNDEFINED).err().unwrap();
        assert_eq!(code_of(error), "ERR_KEY_INVALID");
    }
}

#[wasm_bindgen_test]
fn verifier_takes_now_per_call_only() {
    let error = Verifier::new(json(r#"{"keys":[]}"#), json(r#"{"now":1}"#)).err().unwrap();
    assert_eq!(code_of(error), "ERR_OPTIONS_INVALID");
}

#[wasm_bindgen_test]
fn create_token_options_are_checked() {
    for options in
        [r#"{"readonly":true}"#, r#"{"expiration":-5}"#, r#"{"permissions":"all:data_read"}"#]
    {
        let error = create_token("{}".into(), json(options)).err().unwrap();
        assert_eq!(code_of(error), "ERR_OPTIONS_INVALID", "{options}");
    }
}

#[wasm_bindgen_test]
fn registered_error_class_is_used() {
    let class = Function::new_with_args(
        "code, message",
        "const e = new Error(message); e.name = 'AuthzError'; e.code = code; e.registered = true; return e;",
    );
    set_error_class(class);
    let error = verify_token(JsValue::NULL, "key".into(), JsValue::UNDEFINED).err().unwrap();
    let registered = Reflect::get(&error, &"registered".into()).unwrap();
    ERROR_CLASS.with(|cell| *cell.borrow_mut() = None);
    assert_eq!(registered, JsValue::TRUE);
    assert_eq!(code_of(error), "ERR_TOKEN_MALFORMED");
}

#[wasm_bindgen_test]
fn check_statement_sends_the_decisions_wire() {
    let grant = grant(AccessLevel::Full, Some(&["t:data_read"]));
    let sql = " SELECT a FROM t; DELETE FROM t;";
    let decision = decision::check_analysis(&grant.inner, &sql::analyze(sql));
    assert_eq!(
        check_statement(&grant, sql).unwrap(),
        ffi::wire::encode_decision(&decision, sql).unwrap()
    );
}
