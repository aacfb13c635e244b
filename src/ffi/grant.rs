//! What a host shows of a [`Grant`] and of a key pair, as serde values.

use serde::Serialize;

use crate::grant::Grant;
use crate::permissions::{Action, TableName, Tables};
use crate::token::KeyPair as CoreKeyPair;

/// A `perm` rule as a host sees it: `{ tables: "all" | string[], actions: Action[] }`.
#[derive(Debug, Serialize)]
pub struct Rule<'a> {
    pub tables: RuleTables,
    pub actions: &'a [Action],
}

/// A rule's tables: `"all"`, or each name as SQLite would read it back (`comments`,
/// `temp.t`, `"a.b"`).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum RuleTables {
    All(&'static str),
    Named(Vec<String>),
}

/// The grant's `perm` rules, or `None` when the token has none.
pub fn permissions(grant: &Grant) -> Option<Vec<Rule<'_>>> {
    let rules = grant.permissions.as_ref()?;
    Some(
        rules
            .iter()
            .map(|rule| Rule {
                tables: match &rule.tables {
                    Tables::All => RuleTables::All("all"),
                    Tables::Named(names) => {
                        RuleTables::Named(names.iter().map(TableName::to_sql).collect())
                    }
                },
                actions: &rule.actions,
            })
            .collect(),
    )
}

/// The key pair `generateKeyPair` returns: `{ kid, privateJwk, publicJwk }`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPair<'a> {
    pub kid: &'a str,
    pub private_jwk: &'a serde_json::Value,
    pub public_jwk: &'a serde_json::Value,
}

impl<'a> From<&'a CoreKeyPair> for KeyPair<'a> {
    fn from(pair: &'a CoreKeyPair) -> Self {
        KeyPair { kid: &pair.kid, private_jwk: &pair.private_jwk, public_jwk: &pair.public_jwk }
    }
}
