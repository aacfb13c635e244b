//! JS values into the core's inputs and the boundary's values (`crate::ffi`) back into
//! JS values. Nothing here decides anything; every conversion that can fail returns an
//! error with a stable code.

use std::collections::BTreeMap;

use js_sys::{Array, Reflect};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorCode, Result};
pub(super) use crate::ffi::options::options_error;
use crate::token;

/// Reads an options object: `undefined` / `null` give the defaults; anything else must be
/// a plain object whose every key is known (a misspelt `databse` must not silently skip
/// the database check).
pub(super) fn read_options<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> Result<T> {
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

thread_local! {
    /// The JS string `"now"`, made once: [`read_now`] runs on every verification.
    static NOW: JsValue = JsValue::from_str("now");
}

/// The `now` of `verifier.verify(token, { now })`: the options are `undefined`, `null`
/// or a plain object with at most `now`, a number. Read member by member, not through
/// serde, and without copying names into wasm: this is on the path of every repeated
/// token, whose whole check is a cache hit.
pub(super) fn read_now(options: &JsValue) -> Result<Option<f64>> {
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

/// The host's clock in seconds (`Date.now()`), for options without `now`.
pub(super) fn clock() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// A value converted to plain JS data through JSON text: objects rather than `Map`s, and
/// integers beyond 2^53 (a provider's claim may hold one) read as `JSON.parse` reads them,
/// as `jose` gives them, where `serde_wasm_bindgen` would fail.
pub(super) fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    let text = serde_json::to_string(value).map_err(|e| {
        Error::new(ErrorCode::InputTooLarge, format!("cannot convert result to JS: {e}"))
    })?;
    js_sys::JSON::parse(&text).map_err(|_| {
        Error::new(ErrorCode::InputTooLarge, "cannot convert result to JS: JSON.parse failed")
    })
}

/// Text for a key or key set: strings as they are, objects and arrays through
/// `JSON.stringify`; anything else is `ERR_KEY_INVALID`.
pub(super) fn key_text(keys: &JsValue) -> Result<String> {
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

pub(super) fn key_set(keys: &JsValue) -> Result<token::KeySet> {
    token::KeySet::parse(&key_text(keys)?)
}

/// A string argument; anything else is an error with `code` (no `String(value)`
/// coercion: `undefined` must not become the text "undefined").
pub(super) fn string_arg(value: &JsValue, what: &str, code: ErrorCode) -> Result<String> {
    value.as_string().ok_or_else(|| Error::new(code, format!("{what} must be a string")))
}

/// `Some(text)` as a JS string, `None` as `null`.
pub(super) fn string_or_null(value: Option<&String>) -> JsValue {
    value.map_or(JsValue::NULL, |text| JsValue::from_str(text))
}
