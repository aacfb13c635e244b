//! How errors cross to JS: every failure is thrown as an `AuthzError` whose `code` is the
//! core's stable code. The class is `js/errors.js`'s, registered by each entry point with
//! `__setErrorClass`; before that (the raw glue, never the package's entries), an
//! `Error` named `AuthzError` with the same `code`.

use std::cell::RefCell;

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::Error;

thread_local! {
    /// The JS layer's `AuthzError` class; `None` until `__setErrorClass` is called.
    pub(super) static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the class every error is constructed with (`new Class(code, message)`).
/// Called once by each entry point of the package; not part of the public API.
#[wasm_bindgen(js_name = "__setErrorClass")]
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|cell| *cell.borrow_mut() = Some(class));
}

/// The JS error thrown for `error`.
pub(super) fn to_js_error(error: Error) -> JsValue {
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
