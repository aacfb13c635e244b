//! The WebAssembly bindings: JavaScript values in, a call into the core, JavaScript
//! values out. Each export converts its arguments (`convert`), calls the core, and
//! converts the answer through the boundary's types (`crate::ffi`); every failure is
//! thrown as an `AuthzError` (`errors`). It never decides anything about tokens, tables
//! or SQL: that is the core's job.
//!
//! Nothing here may panic: the crate is built with `panic = "abort"`, so a panic would
//! trap the whole module. Every conversion returns an error instead.

use std::cell::RefCell;
use std::sync::Arc;

use wasm_bindgen::prelude::*;

use crate::error::{ErrorCode, Result};
use crate::permissions::{Action, TableName};
use crate::{decision, ffi, grant, sql, token};

mod convert;
mod errors;
mod host_crypto;

use convert::{
    clock, key_set, key_text, options_error, read_now, read_options, string_arg, string_or_null,
    to_js_value,
};
use errors::to_js_error;
use host_crypto::HostCrypto;

/// What every exported function returns: a value, or a thrown `AuthzError`.
type JsResult<T> = std::result::Result<T, JsValue>;

/// Generates an Ed25519 key pair: `{ kid, privateJwk, publicJwk }`.
#[wasm_bindgen(js_name = "generateKeyPair")]
pub fn generate_key_pair() -> JsResult<JsValue> {
    let run = || to_js_value(&ffi::grant::KeyPair::from(&token::generate_key_pair()?));
    run().map_err(to_js_error)
}

/// Mints a token signed with `privateJwk` (a JWK object or its JSON text).
#[wasm_bindgen(js_name = "createToken")]
pub fn create_token(private_jwk: JsValue, options: JsValue) -> JsResult<String> {
    let run = || {
        let jwk = key_text(&private_jwk)?;
        let options = read_options::<ffi::options::TokenOptions>(options, "createToken options")?;
        token::create_token(&jwk, &options.into_core(clock)?)
    };
    run().map_err(to_js_error)
}

/// The claims a provider's JWT template writes for the grant `options` describe.
#[wasm_bindgen(js_name = "claimsTemplate")]
pub fn claims_template(options: JsValue) -> JsResult<JsValue> {
    let run = || {
        let options =
            read_options::<ffi::options::TokenOptions>(options, "claimsTemplate options")?;
        to_js_value(&token::claims_template(&options.into_template()?)?)
    };
    run().map_err(to_js_error)
}

/// Verifies `token` against `keys` and returns what it grants.
#[wasm_bindgen(js_name = "verifyToken")]
pub fn verify_token(token: JsValue, keys: JsValue, options: JsValue) -> JsResult<Grant> {
    let run = || {
        let token = string_arg(&token, "token", ErrorCode::TokenMalformed)?;
        let options = read_options::<ffi::options::VerifyOptions>(options, "verify options")?
            .into_core(clock)?;
        token::verify_token_with(&token, &key_set(&keys)?, &options, &HostCrypto)
    };
    run().map(Grant::from).map_err(to_js_error)
}

/// What a verified token grants (see `grant::Grant`).
#[wasm_bindgen]
pub struct Grant {
    /// Shared with a `Verifier`'s cache when it came from there.
    inner: Arc<grant::Grant>,
}

impl From<grant::Grant> for Grant {
    fn from(inner: grant::Grant) -> Self {
        Self { inner: Arc::new(inner) }
    }
}

impl From<Arc<grant::Grant>> for Grant {
    fn from(inner: Arc<grant::Grant>) -> Self {
        Self { inner }
    }
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
        to_js_value(&ffi::grant::permissions(&self.inner)).map_err(to_js_error)
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

/// A key set and options kept between requests, with the one cache of good tokens (see
/// `token::Verifier`).
#[wasm_bindgen]
pub struct Verifier {
    inner: token::Verifier,
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier for `keys` (`null`: none yet, `updateKeys` brings them, as a remote key
    /// set starts); `options` as for `verifyToken`, except `now`, which each `verify`
    /// call takes.
    #[wasm_bindgen(constructor)]
    pub fn new(keys: JsValue, options: JsValue) -> JsResult<Verifier> {
        let run = || {
            let options = read_options::<ffi::options::VerifyOptions>(options, "Verifier options")?;
            if options.now.is_some() {
                return Err(options_error("`now` is given to `verify`, not to the Verifier"));
            }
            let keys = if keys.is_null() { token::KeySet::none() } else { key_set(&keys)? };
            Ok(Verifier { inner: token::Verifier::new(keys, options.into_core(clock)?)? })
        };
        run().map_err(to_js_error)
    }

    /// Verifies `token` now (or at `options.now`), from the cache when it verified before.
    pub fn verify(&mut self, token: JsValue, options: JsValue) -> JsResult<Grant> {
        let mut run = || {
            let now = ffi::options::seconds(read_now(&options)?.unwrap_or_else(clock))?;
            let token = string_arg(&token, "token", ErrorCode::TokenMalformed)?;
            self.inner.verify_shared_with(&token, now, &HostCrypto)
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

thread_local! {
    /// Analyses of the SQL texts seen recently (`sql::AnalysisCache`), shared by every
    /// `checkStatement` and `analyzeStatement` call of this instance.
    static ANALYSES: RefCell<sql::AnalysisCache> = RefCell::new(sql::AnalysisCache::default());
}

/// The analysis of `sql`, from the instance's memo when the text was seen before.
fn analysis_of(sql: &str) -> Arc<sql::Analysis> {
    // `analyze` never calls back into JS, so the cell is never borrowed twice.
    ANALYSES.with(|cache| cache.borrow_mut().analyze(sql))
}

/// Decides whether `sql` may run under `grant`, as the decision's wire fields
/// (`ffi::wire`). `js/api.js`'s `checkStatement` checks that `grant` is a live `Grant`
/// (the glue would throw a plain `Error`, or trap on a freed one) and `sql` a string,
/// then reads the fields back into the decision with `js/wire.js`.
#[wasm_bindgen(js_name = "__checkStatement")]
pub fn check_statement(grant: &Grant, sql: &str) -> JsResult<String> {
    let decision = decision::check_analysis(&grant.inner, &analysis_of(sql));
    ffi::wire::encode_decision(&decision, sql).map_err(to_js_error)
}

/// What `sql` does, statement by statement, without any grant.
#[wasm_bindgen(js_name = "analyzeStatement")]
pub fn analyze_statement(sql: JsValue) -> JsResult<JsValue> {
    let run = || -> Result<JsValue> {
        let sql = string_arg(&sql, "sql", ErrorCode::OptionsInvalid)?;
        to_js_value(&*analysis_of(&sql))
    };
    run().map_err(to_js_error)
}

#[cfg(test)]
mod tests;
