//! Minting platform tokens and the key pairs that sign them: Ed25519, `kid` in the
//! header, the claims the gate reads.
//!
//! Decides how options become claims (`iat`, `exp`, `id` / `gid`, `a`, `perm`) and which
//! expiration strings exist. It never verifies anything and never keeps the private key
//! beyond one call.

use base64ct::{Base64UrlUnpadded, Encoding};
use jwt_compact::alg::Ed25519;
use jwt_compact::{AlgorithmExt, Claims, Header};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{self, MAX_KEY_SET_BYTES};
use crate::permissions::{parse_cli_rules, perm_claim, Rule, Tables};
use crate::token::json::parse_strict_object;
use crate::token::jwk::{parse_kid, usable_for};
use crate::token::keys::SignatureAlgorithm;

/// How long a minted token is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expiration {
    /// No `exp` claim (`--expiration never`, the default as in the Turso CLI).
    #[default]
    Never,
    /// `exp = now + seconds`.
    Seconds(u64),
}

fn options_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::OptionsInvalid, message)
}

impl Expiration {
    /// Parses `never`, or a duration as Turso writes them: one or more groups of a
    /// whole number and a unit `w`, `d`, `h`, `m` or `s` (`7d`, `12h`, `2w1d30m`), each
    /// unit at most once, adding up to a positive lifetime. Anything else (no unit, other
    /// units, spaces, signs, fractions, a unit twice, zero, overflow) is
    /// `ERR_OPTIONS_INVALID`.
    pub fn parse(text: &str) -> Result<Expiration> {
        if text == "never" {
            return Ok(Expiration::Never);
        }
        let bad = || {
            options_error(format!(
                "expiration `{text}` is not `never` or a duration such as `7d`, `12h` or \
                 `2w1d30m` (units w, d, h, m, s)"
            ))
        };
        let mut seconds: u64 = 0;
        let mut units_seen = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let (number, after) = rest.split_at(digits);
            let mut chars = after.chars();
            let unit = chars.next().ok_or_else(bad)?;
            let unit_seconds: u64 = match unit {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                'w' => 604_800,
                _other => return Err(bad()),
            };
            if number.is_empty() || units_seen.contains(unit) {
                return Err(bad());
            }
            units_seen.push(unit);
            let count: u64 = number.parse().map_err(|_| bad())?;
            seconds = count
                .checked_mul(unit_seconds)
                .and_then(|s| seconds.checked_add(s))
                .ok_or_else(bad)?;
            rest = chars.as_str();
        }
        if units_seen.is_empty() {
            return Err(bad());
        }
        Expiration::from_seconds(seconds)
    }

    /// A lifetime of `seconds` (must be positive).
    pub fn from_seconds(seconds: u64) -> Result<Expiration> {
        if seconds == 0 {
            return Err(options_error("expiration must be positive"));
        }
        if i64::try_from(seconds).is_err() {
            return Err(options_error("expiration is too far in the future"));
        }
        Ok(Expiration::Seconds(seconds))
    }
}

/// What `create_token` puts in the token.
#[derive(Debug, Clone, Default)]
pub struct TokenOptions {
    /// `id`: scope the token to this database.
    pub database: Option<String>,
    /// `gid`: scope the token to this group (not with `database`).
    pub group: Option<String>,
    /// `a: "ro"` when true, `a: "rw"` otherwise.
    pub read_only: bool,
    /// Fine-grained rules in the CLI form (`comments:data_add`); `None` writes no
    /// `perm` claim; `Some(vec![])` writes one rule for every table with no action,
    /// `[{"a":[]}]`: only the schema tables readable (an empty `perm` would read as no
    /// restriction).
    pub permissions: Option<Vec<String>>,
    /// Databases the token may `ATTACH`, read-only (Turso's `read_attach`): a non-empty
    /// list writes the `p` claim, `{"rw" | "ro": {"ns": [database]} (or `"tags": [group]`),
    /// "roa": {"ns": [...]}}`, as sqld reads it (`a` and `id` stay, for readers without
    /// `p`). Needs `database` or `group`: `p` cannot say "every database".
    pub read_attach: Vec<String>,
    /// Lifetime; `Never` writes no `exp`.
    pub expiration: Expiration,
    /// Current time, seconds since the epoch (`iat`).
    pub now: i64,
}

/// The claims of a minted token, in the order written.
#[derive(Serialize)]
struct MintedClaims {
    iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gid: Option<String>,
    a: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    perm: Option<Value>,
}

/// What a token may do: `id` or `gid`, `a`, `p`, `perm`.
struct AuthorizationClaims {
    id: Option<String>,
    gid: Option<String>,
    a: &'static str,
    p: Option<Value>,
    perm: Option<Value>,
}

impl AuthorizationClaims {
    /// The claims for `options` (their scope, access and rules; not their time).
    fn of(options: &TokenOptions) -> Result<AuthorizationClaims> {
        let check_name = |what: &str, name: &Option<String>| match name {
            Some(name) => {
                limits::check_identifier(&format!("`{what}`"), name, ErrorCode::OptionsInvalid)
            }
            None => Ok(()),
        };
        check_name("database", &options.database)?;
        check_name("group", &options.group)?;
        if options.database.is_some() && options.group.is_some() {
            return Err(options_error("a token is scoped to a database or to a group, not both"));
        }
        let perm = match &options.permissions {
            None => None,
            Some(items) => {
                let mut rules = parse_cli_rules(items)?;
                if rules.is_empty() {
                    // `perm: []` reads as no restriction (Turso's templates write it so).
                    rules.push(Rule { tables: Tables::All, actions: Vec::new() });
                }
                Some(perm_claim(&rules))
            }
        };
        let a = if options.read_only { "ro" } else { "rw" };
        Ok(AuthorizationClaims {
            id: options.database.clone(),
            gid: options.group.clone(),
            a,
            p: scopes_claim(options, a)?,
            perm,
        })
    }
}

/// The `p` claim of a token that may attach databases (`read_attach`), or `None`.
fn scopes_claim(options: &TokenOptions, access: &str) -> Result<Option<Value>> {
    if options.read_attach.is_empty() {
        return Ok(None);
    }
    if options.read_attach.len() >= limits::MAX_SCOPE_NAMESPACES {
        return Err(options_error(format!(
            "`readAttach` lists more than {} databases",
            limits::MAX_SCOPE_NAMESPACES - 1
        )));
    }
    for name in &options.read_attach {
        limits::check_identifier("`readAttach` database", name, ErrorCode::OptionsInvalid)?;
    }
    let own = match (&options.database, &options.group) {
        (Some(database), _) => json!({ "ns": [database] }),
        (None, Some(group)) => json!({ "tags": [group] }),
        (None, None) => {
            return Err(options_error(
                "`readAttach` needs a `database` or a `group`: the `p` claim it writes cannot name every database",
            ))
        }
    };
    let mut p = serde_json::Map::new();
    p.insert(access.to_owned(), own);
    p.insert("roa".to_owned(), json!({ "ns": options.read_attach }));
    Ok(Some(Value::Object(p)))
}

/// The claims a token made with `options` carries besides its time (`iat`, `exp`): what
/// a provider's JWT template (Clerk, Auth0) must write for [`crate::token::verify_token`]
/// to read the same grant from the provider's tokens, as `turso org jwks template`
/// prints them. `expiration` and `now` are not used.
///
/// ```
/// use libsql_authz::token::{claims_template, TokenOptions};
/// let template = claims_template(&TokenOptions {
///     database: Some("db1".into()),
///     read_only: true,
///     ..TokenOptions::default()
/// })?;
/// assert_eq!(template, serde_json::json!({"id": "db1", "a": "ro"}));
/// # Ok::<(), libsql_authz::Error>(())
/// ```
pub fn claims_template(options: &TokenOptions) -> Result<Value> {
    let AuthorizationClaims { id, gid, a, p, perm } = AuthorizationClaims::of(options)?;
    let mut claims = serde_json::Map::new();
    let named = [("id", id.map(Value::String)), ("gid", gid.map(Value::String))];
    let rest = [("a", Some(Value::from(a))), ("p", p), ("perm", perm)];
    for (name, value) in named.into_iter().chain(rest) {
        if let Some(value) = value {
            claims.insert(name.to_owned(), value);
        }
    }
    Ok(Value::Object(claims))
}

/// Signs a platform token with an Ed25519 private JWK (`{"kty":"OKP","crv":"Ed25519",
/// "x":..,"d":..,"kid":..}`), e.g. `generate_key_pair().private_jwk`.
pub fn create_token(private_jwk_json: &str, options: &TokenOptions) -> Result<String> {
    let (secret, kid) = parse_private_jwk(private_jwk_json)?;
    let authorization = AuthorizationClaims::of(options)?;
    let exp = match options.expiration {
        Expiration::Never => None,
        Expiration::Seconds(seconds) => Some(
            i64::try_from(seconds)
                .ok()
                .and_then(|s| options.now.checked_add(s))
                .ok_or_else(|| options_error("expiration is too far in the future"))?,
        ),
    };
    let AuthorizationClaims { id, gid, a, p, perm } = authorization;
    let claims = Claims::new(MintedClaims { iat: options.now, exp, id, gid, a, p, perm });
    let mut header = Header::empty().with_token_type("JWT");
    if let Some(kid) = kid {
        header = header.with_key_id(kid);
    }
    Ed25519
        .token(&header, &claims, &secret)
        .map_err(|e| Error::new(ErrorCode::KeyInvalid, format!("cannot sign the token: {e}")))
}

/// An Ed25519 private JWK: the secret key (checked against `x`) and its `kid`.
fn parse_private_jwk(text: &str) -> Result<(ed25519_compact::SecretKey, Option<String>)> {
    let invalid = |m: String| Error::new(ErrorCode::KeyInvalid, m);
    if text.len() > MAX_KEY_SET_BYTES {
        return Err(Error::new(ErrorCode::InputTooLarge, "private key text too large"));
    }
    let members = parse_strict_object(text.trim().as_bytes())
        .map_err(|e| invalid(format!("private key is not a JWK: {e}")))?;
    let field = |name: &str| -> Result<&str> {
        match members.get(name) {
            Some(Value::String(s)) => Ok(s),
            Some(_) | None => {
                Err(invalid(format!("private JWK member `{name}` is missing or not a string")))
            }
        }
    };
    if field("kty")? != "OKP" || field("crv")? != "Ed25519" {
        return Err(invalid(
            "tokens are signed with Ed25519 keys (`kty: OKP`, `crv: Ed25519`) only".into(),
        ));
    }
    match members.get("alg") {
        None => {}
        Some(Value::String(alg))
            if SignatureAlgorithm::from_name(alg) == Some(SignatureAlgorithm::EdDsa) => {}
        Some(_) => return Err(invalid("private JWK `alg` must be EdDSA".into())),
    }
    if !usable_for(&members, "sign")? {
        return Err(invalid("private JWK `use` / `key_ops` do not allow signing".into()));
    }
    let kid = parse_kid(&members)?;
    let decode = |name: &str| -> Result<Vec<u8>> {
        Base64UrlUnpadded::decode_vec(field(name)?)
            .map_err(|_| invalid(format!("private JWK `{name}` is not canonical base64url")))
    };
    let x = decode("x")?;
    let d = decode("d")?;
    // RFC 8037 §2: `d` is the 32-byte seed, and `x` the public key it derives.
    let seed = ed25519_compact::Seed::from_slice(&d)
        .map_err(|_| invalid(format!("private JWK `d` must be 32 bytes, not {}", d.len())))?;
    let pair = ed25519_compact::KeyPair::from_seed(seed);
    if pair.pk.as_slice() != x.as_slice() {
        return Err(invalid("private JWK `x` is not the public key of its `d`".into()));
    }
    Ok((pair.sk, kid))
}

/// A freshly generated Ed25519 key pair, as JWKs.
#[derive(Debug, Clone)]
pub struct KeyPair {
    /// Random key id (16 bytes, base64url).
    pub kid: String,
    /// `{"kty":"OKP","crv":"Ed25519","x":..,"d":..,"kid":..,"alg":"EdDSA","use":"sig"}`.
    pub private_jwk: Value,
    /// The same without `d`.
    pub public_jwk: Value,
}

/// Generates an Ed25519 key pair from the platform's secure randomness.
pub fn generate_key_pair() -> Result<KeyPair> {
    let mut seed = [0u8; ed25519_compact::Seed::BYTES];
    let mut kid = [0u8; 16];
    getrandom::fill(&mut seed).and_then(|()| getrandom::fill(&mut kid)).map_err(|e| {
        Error::new(ErrorCode::KeyInvalid, format!("no secure randomness available: {e}"))
    })?;
    let pair = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(seed));
    let kid = Base64UrlUnpadded::encode_string(&kid);
    let x = Base64UrlUnpadded::encode_string(pair.pk.as_ref());
    let d = Base64UrlUnpadded::encode_string(&seed);
    let public_jwk =
        json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"});
    let private_jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": x, "d": d, "kid": kid, "alg": "EdDSA", "use": "sig"});
    Ok(KeyPair { kid, private_jwk, public_jwk })
}
