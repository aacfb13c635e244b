//! Typed, strict claims of a verified token payload.
//!
//! Decides the type and value rules of every claim the gate reads (`exp`, `nbf`,
//! `iat`, `id`, `gid`, `a`, `p`, `perm`, `iss`, `aud`, `sub`): anything unexpected in
//! them is `ERR_TOKEN_CLAIMS`, never read loosely. Other claims are left alone. It never
//! checks time, issuer, audience or scope against a request: `token::verify_token`
//! does, with these typed values.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{self, MAX_SCOPE_NAMESPACES};
use crate::permissions::{parse_perm_claim, Rule};

/// The `a` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessClaim {
    /// `"ro"`: read-only.
    ReadOnly,
    /// `"rw"`: read-write (also what an absent `a` means).
    ReadWrite,
    /// `"roa"` (sqld's `Permission::AttachRead`): read-only, and the database may be
    /// attached read-only.
    ReadOnlyAttach,
}

/// One section of the `p` claim: the databases it covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// `ns`: databases by name (sqld's namespaces).
    pub ns: Vec<String>,
    /// `tags`: every database of these groups (sqld matches its group id, `LIBSQL_GID`).
    pub tags: Vec<String>,
}

/// The `p` claim (sqld): databases this token may use, and how. When present, `a` and
/// `id` are not read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes {
    /// `p.ro`: read-only access.
    pub ro: Section,
    /// `p.rw`: read-write access.
    pub rw: Section,
    /// `p.roa`: read-only access; may be attached read-only.
    pub roa: Section,
    /// `p.rwa`: read-write access; may be attached.
    pub rwa: Section,
    /// `p.ddl`: read-write access and schema changes (sqld: DDL on a shared-schema
    /// database, which implies write).
    pub ddl: Section,
}

/// The claims the gate reads, typed.
#[derive(Debug, Clone, Default)]
pub struct TokenClaims {
    /// `exp`, seconds since the epoch.
    pub exp: Option<i64>,
    /// `nbf`, seconds since the epoch.
    pub nbf: Option<i64>,
    /// `iat`, seconds since the epoch.
    pub iat: Option<i64>,
    /// `id`: the database.
    pub id: Option<String>,
    /// `gid`: the group.
    pub gid: Option<String>,
    /// `a`: `None` when absent (which means `rw`).
    pub access: Option<AccessClaim>,
    /// `p`: sqld namespace scopes.
    pub scopes: Option<Scopes>,
    /// `perm`: fine-grained rules; `None` when absent, `null` or `[]` (no restriction).
    pub permissions: Option<Vec<Rule>>,
    /// `iss`.
    pub iss: Option<String>,
    /// `aud`, a string or a list of strings.
    pub aud: Option<Vec<String>>,
    /// `sub`.
    pub sub: Option<String>,
}

fn claims_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::TokenClaims, message)
}

impl TokenClaims {
    /// Reads the claims from a payload object. Wrong types, unknown values, `id` with
    /// `gid`: `ERR_TOKEN_CLAIMS`; identifiers or namespace lists over the limits:
    /// `ERR_INPUT_TOO_LARGE`.
    pub fn parse(payload: &Map<String, Value>) -> Result<TokenClaims> {
        let claims = TokenClaims {
            exp: time(payload, "exp")?,
            nbf: time(payload, "nbf")?,
            iat: time(payload, "iat")?,
            id: identifier(payload, "id")?,
            gid: identifier(payload, "gid")?,
            access: match payload.get("a").map(Value::as_str) {
                None => None,
                Some(Some("ro")) => Some(AccessClaim::ReadOnly),
                Some(Some("rw")) => Some(AccessClaim::ReadWrite),
                Some(Some("roa")) => Some(AccessClaim::ReadOnlyAttach),
                Some(_) => return Err(claims_error("`a` must be \"ro\", \"rw\" or \"roa\"")),
            },
            scopes: payload.get("p").map(parse_scopes).transpose()?,
            // Turso's `jwks template --scope full-access` writes `"perm": []`: no rule is
            // no restriction, as for an absent `perm`.
            permissions: match payload.get("perm") {
                None | Some(Value::Null) => None,
                Some(perm) => Some(parse_perm_claim(perm)?).filter(|rules| !rules.is_empty()),
            },
            iss: string(payload, "iss")?,
            aud: match payload.get("aud") {
                None => None,
                Some(Value::String(aud)) => Some(vec![aud.clone()]),
                Some(Value::Array(items)) => Some(
                    items
                        .iter()
                        .map(|item| match item {
                            Value::String(aud) => Ok(aud.clone()),
                            Value::Null
                            | Value::Bool(_)
                            | Value::Number(_)
                            | Value::Array(_)
                            | Value::Object(_) => {
                                Err(claims_error("`aud` must be a string or a list of strings"))
                            }
                        })
                        .collect::<Result<Vec<_>>>()?,
                ),
                Some(_) => return Err(claims_error("`aud` must be a string or a list of strings")),
            },
            sub: string(payload, "sub")?,
        };
        if claims.id.is_some() && claims.gid.is_some() {
            return Err(claims_error("a token cannot have both `id` and `gid`"));
        }
        Ok(claims)
    }
}

/// A NumericDate claim: a JSON integer (no fraction, no exponent) that fits in i64.
fn time(payload: &Map<String, Value>, name: &str) -> Result<Option<i64>> {
    match payload.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(seconds) if n.is_i64() || n.is_u64() => Ok(Some(seconds)),
            _not_an_i64 => {
                Err(claims_error(format!("`{name}` must be an integer number of seconds")))
            }
        },
        Some(_) => Err(claims_error(format!("`{name}` must be an integer number of seconds"))),
    }
}

fn string(payload: &Map<String, Value>, name: &str) -> Result<Option<String>> {
    match payload.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(claims_error(format!("`{name}` must be a string"))),
    }
}

/// A database, group or namespace name: a non-empty string of at most
/// [`limits::MAX_IDENTIFIER_BYTES`].
fn check_identifier(name: &str, value: &str) -> Result<()> {
    limits::check_identifier(&format!("`{name}`"), value, ErrorCode::TokenClaims)
}

fn identifier(payload: &Map<String, Value>, name: &str) -> Result<Option<String>> {
    let value = string(payload, name)?;
    if let Some(value) = &value {
        check_identifier(name, value)?;
    }
    Ok(value)
}

/// `p`: `{"ro":{"ns":[..],"tags":[..]},"rw":..,"roa":..,"rwa":..,"ddl":..}`, every
/// section (and `ns`, `tags`) optional or `null` (as in sqld, `#[serde(default)]`),
/// nothing else.
fn parse_scopes(value: &Value) -> Result<Scopes> {
    let members = value.as_object().ok_or_else(|| claims_error("`p` must be an object"))?;
    let mut scopes = Scopes::default();
    let mut total: usize = 0;
    for (name, part) in members {
        let section = match name.as_str() {
            "ro" => &mut scopes.ro,
            "rw" => &mut scopes.rw,
            "roa" => &mut scopes.roa,
            "rwa" => &mut scopes.rwa,
            "ddl" => &mut scopes.ddl,
            other => return Err(claims_error(format!("unknown member `{other}` in `p`"))),
        };
        let part = match part {
            Value::Null => continue,
            Value::Object(part) => part,
            Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) => {
                return Err(claims_error(format!("`p.{name}` must be an object")))
            }
        };
        for (member, names) in part {
            let list = match member.as_str() {
                "ns" => &mut section.ns,
                "tags" => &mut section.tags,
                other => {
                    return Err(claims_error(format!("unknown member `{other}` in `p.{name}`")))
                }
            };
            let names = match names {
                Value::Null => &[][..],
                Value::Array(items) => items.as_slice(),
                Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Object(_) => {
                    return Err(claims_error(format!(
                        "`p.{name}.{member}` must be a list of names"
                    )))
                }
            };
            total = total.saturating_add(names.len());
            if total > MAX_SCOPE_NAMESPACES {
                return Err(Error::new(
                    ErrorCode::InputTooLarge,
                    format!("`p` lists more than {MAX_SCOPE_NAMESPACES} names"),
                ));
            }
            for item in names {
                let item = item.as_str().ok_or_else(|| {
                    claims_error(format!("`p.{name}.{member}` must be a list of names"))
                })?;
                check_identifier(&format!("p.{name}.{member} item"), item)?;
                list.push(item.to_owned());
            }
        }
    }
    Ok(scopes)
}
