//! The host's signature arithmetic (`js/host-crypto.js`: `node:crypto` where the runtime
//! has it), asked by the core through [`SignatureBackend`]; the crate's own where there
//! is no host or it gives no boolean answer.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::token::{self, SignatureBackend};

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
    ) -> Result<JsValue, JsValue>;
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
pub(super) struct HostCrypto;

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
