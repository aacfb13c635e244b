//! What crosses to a host, with no wasm-bindgen in it: the options a host writes, the
//! views of a grant and a key pair, and the decision's transport. Every type here is a
//! plain serde value; the wasm bindings (`src/bindings/`) only move JS values in and out
//! of them, and a second host would reuse them as they are.
//!
//! The contract is the serde form of these types and of the core's [`Decision`] and
//! [`Analysis`](crate::sql::Analysis): `js/index.d.ts` declares it, and
//! `tests/golden/boundary.json`, written from these types (`src/ffi/tests.rs`), is
//! type-checked against `index.d.ts` and decoded by `js/wire.js`
//! (`tests/js/boundary.test.mjs`).
//!
//! [`Decision`]: crate::decision::Decision

pub mod grant;
pub mod options;
pub mod wire;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
