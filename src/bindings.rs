//! The WebAssembly bindings: JavaScript values in, a call into the core, JavaScript
//! values out.
//!
//! This module decides how JS values map onto the core's types (option objects, key
//! inputs, the default clock) and how errors cross the boundary: every failure is thrown
//! as an `AuthzError` (the class the JS layer registers with `__setErrorClass`, or an
//! `Error` named `AuthzError` before that) whose `code` is the core's stable code. It
//! never decides anything about tokens, tables or SQL: that is the core's job.
//!
//! Nothing here may panic: the crate is built with `panic = "abort"`, so a panic would
//! trap the whole module. Every conversion returns an error instead.

use std::cell::RefCell;
use std::collections::BTreeMap;

use js_sys::{Array, Function, Reflect};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorCode, Result};
use crate::permissions::{Action, TableName, Tables};
use crate::token::SignatureBackend;
use crate::{grant, sql, token};

mod wire;

thread_local! {
    /// Analyses of the SQL texts seen recently (`sql::AnalysisCache`), shared by every
    /// `checkStatement` and `analyzeStatement` call of this instance.
    static ANALYSES: RefCell<sql::AnalysisCache> = RefCell::new(sql::AnalysisCache::default());
    /// The JS layer's `AuthzError` class; `None` until `__setErrorClass` is called.
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the class every error is constructed with (`new Class(code, message)`).
/// Called once by each entry point of the package; not part of the public API.
#[wasm_bindgen(js_name = "__setErrorClass")]
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|cell| *cell.borrow_mut() = Some(class));
}

#[wasm_bindgen]
extern "C" {
    /// What the JS layer registers with `__setSignatureHost` (js/host-crypto.js):
    /// `verify(alg, keyJson, message, signature)` answers `true` or `false`, or
    /// anything else (or throws) when it cannot check that input.
    pub type SignatureHost;

    #[wasm_bindgen(method, catch)]
    fn verify(
        this: &SignatureHost,
        alg: &str,
        key_json: &str,
        message: &[u8],
        signature: &[u8],
    ) -> JsResult<JsValue>;
}

thread_local! {
    /// The host's native signature checks; `None`: the crate's own ([`token::BuiltinCrypto`]).
    static SIGNATURE_HOST: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Registers the host's signature checks (`null` removes them). Called by the entry
/// points whose runtime has `node:crypto`; not part of the public API.
#[wasm_bindgen(js_name = "__setSignatureHost")]
pub fn set_signature_host(host: JsValue) {
    let host = (!host.is_undefined() && !host.is_null()).then_some(host);
    SIGNATURE_HOST.with(|cell| *cell.borrow_mut() = host);
}

/// The signature arithmetic of every verification: the registered host's, or the
/// crate's own where there is none or it gives no boolean answer.
struct HostCrypto;

impl SignatureBackend for HostCrypto {
    fn verify(&self, input: &token::SignatureInput<'_>) -> bool {
        // Cloned out of the cell: the host is JS and may register another host meanwhile.
        let host = SIGNATURE_HOST.with(|cell| cell.borrow().clone());
        let answer = host.and_then(|host| {
            let alg = input.algorithm().as_str();
            let host: &SignatureHost = host.unchecked_ref();
            host.verify(alg, input.key.key_json(), input.message, input.signature).ok()?.as_bool()
        });
        answer.unwrap_or_else(|| token::BuiltinCrypto.verify(input))
    }
}

/// The JS error thrown for `error`.
fn to_js_error(error: Error) -> JsValue {
    let code = JsValue::from_str(error.code.as_str());
    let message = JsValue::from_str(&error.message);
    let registered = ERROR_CLASS.with(|cell| {
        let class = cell.borrow();
        let class = class.as_ref()?;
        Reflect::construct(class, &Array::of2(&code, &message)).ok()
    });
    registered.unwrap_or_else(|| {
        let fallback = js_sys::Error::new(&error.message);
        fallback.set_name("AuthzError");
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&fallback, &JsValue::from_str("code"), &code);
        fallback.into()
    })
}

/// What every exported function returns: a value, or a thrown `AuthzError`.
type JsResult<T> = std::result::Result<T, JsValue>;

fn options_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::OptionsInvalid, message)
}

/// Reads an options object: `undefined` / `null` give the defaults; anything else must be
/// a plain object whose every key is known (a misspelt `databse` must not silently skip
/// the database check).
fn read_options<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> Result<T> {
    #[derive(Deserialize)]
    struct Checked<T> {
        #[serde(flatten)]
        known: T,
        #[serde(flatten)]
        unknown: BTreeMap<String, IgnoredAny>,
    }
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(options_error(format!("{what} must be an object")));
    }
    let checked: Checked<T> = serde_wasm_bindgen::from_value(value)
        .map_err(|e| options_error(format!("invalid {what}: {e}")))?;
    match checked.unknown.keys().next() {
        Some(name) => Err(options_error(format!("unknown option `{name}` in {what}"))),
        None => Ok(checked.known),
    }
}

/// A value converted to plain JS data through JSON text: objects rather than `Map`s, and
/// integers beyond 2^53 (a provider's claim may hold one) read as `JSON.parse` reads them,
/// as `jose` gives them, where `serde_wasm_bindgen` would fail.
fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    js_sys::JSON::parse(&json_text(value)?).map_err(|_| {
        Error::new(ErrorCode::InputTooLarge, "cannot convert result to JS: JSON.parse failed")
    })
}

/// `value` as JSON text. Never fails for the types passed here (string keys, no
/// non-finite floats: serde_json writes them as null).
fn json_text<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| {
        Error::new(ErrorCode::InputTooLarge, format!("cannot convert result to JS: {e}"))
    })
}

/// Text for a key or key set: strings as they are, objects and arrays through
/// `JSON.stringify`; anything else is `ERR_KEY_INVALID`.
fn key_text(keys: &JsValue) -> Result<String> {
    let invalid = |message: &str| Error::new(ErrorCode::KeyInvalid, message);
    if let Some(text) = keys.as_string() {
        return Ok(text);
    }
    if !keys.is_object() {
        return Err(invalid("a key must be a JWKS, a JWK, an array of JWKs or a string"));
    }
    js_sys::JSON::stringify(keys)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| invalid("the key cannot be serialized to JSON"))
}

fn key_set(keys: &JsValue) -> Result<token::KeySet> {
    token::KeySet::parse(&key_text(keys)?)
}

/// A string argument; anything else is an error with `code` (no `String(value)`
/// coercion: `undefined` must not become the text "undefined").
fn string_arg(value: &JsValue, what: &str, code: ErrorCode) -> Result<String> {
    value.as_string().ok_or_else(|| Error::new(code, format!("{what} must be a string")))
}

/// `Some(text)` as a JS string, `None` as `null`.
fn string_or_null(value: Option<&String>) -> JsValue {
    value.map_or(JsValue::NULL, |text| JsValue::from_str(text))
}

/// `now` in whole seconds: the given value, or `Date.now()` floored.
fn now_seconds(now: Option<f64>) -> Result<i64> {
    let now = now.unwrap_or_else(|| js_sys::Date::now() / 1000.0).floor();
    // 2^53: beyond it a JS number no longer holds every integer.
    if now.is_finite() && now.abs() <= 9_007_199_254_740_992.0 {
        // Exact: an integral f64 within ±2^53.
        #[allow(clippy::as_conversions)]
        Ok(now as i64)
    } else {
        Err(options_error("`now` must be a finite number of seconds"))
    }
}

/// One string or a list of strings (`issuer`, `audience`).
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// `VerifyOptions` as JS writes them.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct JsVerifyOptions {
    database: Option<String>,
    group: Option<String>,
    now: Option<f64>,
    leeway: Option<u64>,
    algorithms: Option<Vec<String>>,
    issuer: Option<OneOrMany>,
    audience: Option<OneOrMany>,
}

impl JsVerifyOptions {
    fn into_core(self) -> Result<token::VerifyOptions> {
        Ok(token::VerifyOptions {
            database: self.database,
            group: self.group,
            now: now_seconds(self.now)?,
            leeway: self.leeway.unwrap_or(token::DEFAULT_LEEWAY),
            algorithms: self.algorithms,
            issuer: self.issuer.map(OneOrMany::into_vec),
            audience: self.audience.map(OneOrMany::into_vec),
        })
    }
}

thread_local! {
    /// The JS string `"now"`, made once: [`read_call_options`] runs on every verification.
    static NOW: JsValue = JsValue::from_str("now");
}

/// The `now` of `verifier.verify(token, { now })`: the options are `undefined`, `null`
/// or a plain object with at most `now`, a number. Read member by member, not through
/// serde, and without copying names into wasm: this is on the path of every repeated
/// token, whose whole check is a cache hit.
fn read_call_options(options: &JsValue) -> Result<Option<f64>> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    if !options.is_object() || Array::is_array(options) {
        return Err(options_error("verify options must be an object"));
    }
    NOW.with(|now_key| {
        let names: Array = js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>());
        if let Some(name) = names.iter().find(|name| name != now_key) {
            let name = name.as_string().unwrap_or_default();
            return Err(options_error(format!("unknown option `{name}` in verify options")));
        }
        let now = Reflect::get(options, now_key)
            .map_err(|_| options_error("cannot read `now` of the verify options"))?;
        match now.as_f64() {
            Some(now) => Ok(Some(now)),
            None if now.is_undefined() || now.is_null() => Ok(None),
            None => Err(options_error("invalid verify options: `now` must be a number")),
        }
    })
}

/// `expiration`: `"7d"`, `"never"`, or a number of seconds.
#[derive(Deserialize)]
#[serde(untagged)]
enum JsExpiration {
    Text(String),
    Seconds(u64),
}

/// `createToken` options as JS writes them.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct JsTokenOptions {
    database: Option<String>,
    group: Option<String>,
    read_only: Option<bool>,
    permissions: Option<Vec<String>>,
    expiration: Option<JsExpiration>,
    now: Option<f64>,
}

impl JsTokenOptions {
    fn into_core(self) -> Result<token::TokenOptions> {
        let expiration = match self.expiration {
            None => token::Expiration::default(),
            Some(JsExpiration::Text(text)) => token::Expiration::parse(&text)?,
            Some(JsExpiration::Seconds(seconds)) => token::Expiration::from_seconds(seconds)?,
        };
        Ok(token::TokenOptions {
            database: self.database,
            group: self.group,
            read_only: self.read_only.unwrap_or(false),
            permissions: self.permissions,
            expiration,
            now: now_seconds(self.now)?,
        })
    }
}

/// The key pair `generateKeyPair` returns.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsKeyPair<'a> {
    kid: &'a str,
    private_jwk: &'a serde_json::Value,
    public_jwk: &'a serde_json::Value,
}

/// Generates an Ed25519 key pair: `{ kid, privateJwk, publicJwk }`.
#[wasm_bindgen(js_name = "generateKeyPair")]
pub fn generate_key_pair() -> JsResult<JsValue> {
    let pair = token::generate_key_pair().map_err(to_js_error)?;
    to_js_value(&JsKeyPair {
        kid: &pair.kid,
        private_jwk: &pair.private_jwk,
        public_jwk: &pair.public_jwk,
    })
    .map_err(to_js_error)
}

/// Mints a token signed with `privateJwk` (a JWK object or its JSON text).
#[wasm_bindgen(js_name = "createToken")]
pub fn create_token(private_jwk: JsValue, options: JsValue) -> JsResult<String> {
    let run = || {
        let jwk = key_text(&private_jwk)?;
        let options =
            read_options::<JsTokenOptions>(options, "createToken options")?.into_core()?;
        token::create_token(&jwk, &options)
    };
    run().map_err(to_js_error)
}

/// Verifies `token` against `keys` and returns what it grants.
#[wasm_bindgen(js_name = "verifyToken")]
pub fn verify_token(token: JsValue, keys: JsValue, options: JsValue) -> JsResult<Grant> {
    let run = || {
        let token = string_arg(&token, "token", ErrorCode::TokenMalformed)?;
        let options = read_options::<JsVerifyOptions>(options, "verify options")?.into_core()?;
        token::verify_token_with(&token, &key_set(&keys)?, &options, &HostCrypto)
    };
    run().map(Grant::from).map_err(to_js_error)
}

/// What a verified token grants (see `grant::Grant`).
#[wasm_bindgen]
pub struct Grant {
    /// Shared with a `Verifier`'s cache when it came from there.
    inner: std::sync::Arc<grant::Grant>,
}

impl From<grant::Grant> for Grant {
    fn from(inner: grant::Grant) -> Self {
        Self { inner: std::sync::Arc::new(inner) }
    }
}

impl From<std::sync::Arc<grant::Grant>> for Grant {
    fn from(inner: std::sync::Arc<grant::Grant>) -> Self {
        Self { inner }
    }
}

/// A rule as JS sees it: `{ tables: "all" | string[], actions: Action[] }`.
#[derive(Serialize)]
struct JsRule<'a> {
    tables: JsTables,
    actions: &'a [Action],
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsTables {
    All(&'static str),
    /// Each name as SQLite would read it back (`comments`, `temp.t`, `"a.b"`).
    Named(Vec<String>),
}

#[wasm_bindgen]
impl Grant {
    /// Always throws: only `verifyToken` and `Verifier.verify` make a Grant.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsResult<Grant> {
        Err(to_js_error(options_error(
            "a Grant is made by verifyToken or Verifier.verify, not by `new`",
        )))
    }

    /// `id`: the database the token is scoped to, or `null`.
    #[wasm_bindgen(getter)]
    pub fn database(&self) -> JsValue {
        string_or_null(self.inner.database.as_ref())
    }

    /// `gid`: the group the token is scoped to, or `null`.
    #[wasm_bindgen(getter)]
    pub fn group(&self) -> JsValue {
        string_or_null(self.inner.group.as_ref())
    }

    /// Whether the token is read-only on the requested database.
    #[wasm_bindgen(getter, js_name = "readOnly")]
    pub fn read_only(&self) -> bool {
        self.inner.read_only()
    }

    /// The `perm` rules, or `null` when the token has none.
    #[wasm_bindgen(getter)]
    pub fn permissions(&self) -> JsResult<JsValue> {
        let Some(rules) = &self.inner.permissions else { return Ok(JsValue::NULL) };
        let rules: Vec<JsRule<'_>> = rules
            .iter()
            .map(|rule| JsRule {
                tables: match &rule.tables {
                    Tables::All => JsTables::All("all"),
                    Tables::Named(names) => {
                        JsTables::Named(names.iter().map(TableName::to_sql).collect())
                    }
                },
                actions: &rule.actions,
            })
            .collect();
        to_js_value(&rules).map_err(to_js_error)
    }

    /// `exp` in seconds since the epoch, or `null` for a token that never expires.
    #[wasm_bindgen(getter, js_name = "expiresAt")]
    pub fn expires_at(&self) -> JsValue {
        // For display only (the core compares the exact i64); beyond 2^53 it rounds.
        #[allow(clippy::as_conversions)]
        self.inner.expires_at.map_or(JsValue::NULL, |exp| JsValue::from_f64(exp as f64))
    }

    /// The verified claims, a fresh plain object on every read.
    #[wasm_bindgen(getter)]
    pub fn claims(&self) -> JsResult<JsValue> {
        to_js_value(&self.inner.claims).map_err(to_js_error)
    }

    /// Whether `action` is allowed on `table` (`name`, `main.name`, `temp.name`,
    /// `"quoted"."name"`, as SQLite reads it).
    pub fn allows(&self, table: JsValue, action: JsValue) -> JsResult<bool> {
        let run = || {
            let table = TableName::parse(&string_arg(&table, "table", ErrorCode::OptionsInvalid)?)?;
            let action = string_arg(&action, "action", ErrorCode::OptionsInvalid)?;
            let action = Action::parse(&action)
                .ok_or_else(|| options_error(format!("unknown action `{action}`")))?;
            Ok(self.inner.allows(&table, action))
        };
        run().map_err(to_js_error)
    }
}

/// A key set and options kept between requests (see `token::Verifier`).
#[wasm_bindgen]
pub struct Verifier {
    inner: token::Verifier,
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier for `keys`; `options` as for `verifyToken`, except `now`, which each
    /// `verify` call takes.
    #[wasm_bindgen(constructor)]
    pub fn new(keys: JsValue, options: JsValue) -> JsResult<Verifier> {
        let run = || {
            let options = read_options::<JsVerifyOptions>(options, "Verifier options")?;
            if options.now.is_some() {
                return Err(options_error("`now` is given to `verify`, not to the Verifier"));
            }
            // `null`: no keys yet (`updateKeys` brings them), as a remote key set starts.
            let keys = if keys.is_null() { token::KeySet::none() } else { key_set(&keys)? };
            Ok(Verifier { inner: token::Verifier::new(keys, options.into_core()?)? })
        };
        run().map_err(to_js_error)
    }

    /// Verifies `token` now (or at `options.now`), from the verifier's cache when it
    /// verified before.
    pub fn verify(&mut self, token: JsValue, options: JsValue) -> JsResult<Grant> {
        let mut run = || {
            let now = read_call_options(&options)?;
            let token = string_arg(&token, "token", ErrorCode::TokenMalformed)?;
            self.inner.verify_shared_with(&token, now_seconds(now)?, &HostCrypto)
        };
        run().map(Grant::from).map_err(to_js_error)
    }

    /// Replaces the key set (rotation). On error the old keys stay.
    #[wasm_bindgen(js_name = "updateKeys")]
    pub fn update_keys(&mut self, keys: JsValue) -> JsResult<()> {
        let keys = key_set(&keys).map_err(to_js_error)?;
        self.inner.update_keys(keys);
        Ok(())
    }
}

/// The analysis of `sql`, from the instance's memo when the text was seen before.
fn analysis_of(sql: &str) -> std::sync::Arc<sql::Analysis> {
    // `analyze` never calls back into JS, so the cell is never borrowed twice.
    ANALYSES.with(|cache| cache.borrow_mut().analyze(sql))
}

/// Decides whether `sql` may run under `grant`, as the fields of [`wire`]. The JS layer
/// checks that `grant` is a live `Grant` and `sql` a string, and builds the decision
/// object from the fields: reading one short string in JS is cheaper than building the
/// object through the boundary, or parsing it from JSON.
#[wasm_bindgen(js_name = "__checkStatement")]
pub fn check_statement(grant: &Grant, sql: &str) -> JsResult<String> {
    wire::wire_decision(&grant.inner, &analysis_of(sql), sql).map_err(to_js_error)
}

/// What `sql` does, statement by statement, without any grant, as JSON text (the JS
/// layer checks that `sql` is a string and parses the text).
#[wasm_bindgen(js_name = "__analyzeStatement")]
pub fn analyze_statement(sql: &str) -> JsResult<String> {
    json_text(&*analysis_of(sql)).map_err(to_js_error)
}

#[cfg(test)]
mod tests;
