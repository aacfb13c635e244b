//! # libsql-authz
//!
//! An authorization gate for libSQL / Turso databases, meant to run at the edge before
//! any query reaches the database. It answers two questions:
//!
//! 1. [`token::verify_token`]: is this bearer token genuine, unexpired and scoped to
//!    this database? The answer is a [`grant::Grant`].
//! 2. [`decision::check_statement`]: does this SQL, parsed as SQLite parses it, touch
//!    only the tables and actions the grant permits?
//!
//! ## Design choices
//!
//! - **Fail closed.** Any doubt in a token or a statement is a denial with a stable
//!   [`error::ErrorCode`]; nothing is ever read loosely.
//! - **No panics on input.** Every limit on untrusted input is in [`limits`] and is
//!   checked before the work that grows with the input.
//! - **A pure core.** These modules never touch JavaScript; the `bindings` module (wasm32
//!   only) converts JS values in and out and calls them.

// No panics on input: outside tests, nothing that can panic on a bad index, an unwrap
// or a forgotten variant compiles (`make test` runs clippy with these denied).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::wildcard_enum_match_arm,
        clippy::as_conversions
    )
)]

pub mod decision;
pub mod error;
pub mod ffi;
pub mod grant;
pub mod limits;
pub mod permissions;
pub mod sql;
pub mod token;

#[cfg(target_arch = "wasm32")]
mod bindings;

pub use error::{Error, ErrorCode, Result};

/// What the core's unit tests share: `#[test]` (`use crate::testing::test`), the
/// built-in one on the host and wasm-bindgen-test's inside wasm (`wasm-pack test
/// --node`), so the same tests run in the module as on the host; and grant fixtures.
#[cfg(test)]
mod testing {
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) use core::prelude::v1::test;
    #[cfg(target_arch = "wasm32")]
    pub(crate) use wasm_bindgen_test::wasm_bindgen_test as test;

    use crate::grant::{AccessLevel, Grant};
    use crate::permissions::Rule;

    /// A grant of `access` with rules in the CLI form (`"t:data_read"`), or none at all
    /// for `None`.
    pub(crate) fn grant(access: AccessLevel, rules: Option<&[&str]>) -> Grant {
        let grant = Grant::new(access);
        match rules {
            Some(rules) => {
                grant.with_rules(rules.iter().map(|r| Rule::parse_cli(r).expect("rule")))
            }
            None => grant,
        }
    }
}
