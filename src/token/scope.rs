//! A verified token's claims against the request: time, issuer, audience and scope
//! (`id`, `gid`, `p`), then the [`Grant`].

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::grant::{AccessLevel, AttachGrant, Grant};
use crate::token::claims::{AccessClaim, Scopes, Section, TokenClaims};
use crate::token::options::VerifyOptions;
use crate::token::shown;

/// Time, issuer, audience and scope checks, then the grant.
pub(crate) fn grant_for(
    claims: TokenClaims,
    payload: Map<String, Value>,
    options: &VerifyOptions,
) -> Result<Grant> {
    check_time(&claims, options.now, options.leeway)?;
    if let Some(issuers) = &options.issuer {
        match &claims.iss {
            Some(iss) if issuers.contains(iss) => {}
            Some(iss) => {
                return Err(Error::new(
                    ErrorCode::TokenIssuer,
                    format!("issuer `{}` is not accepted", shown(iss)),
                ))
            }
            None => return Err(Error::new(ErrorCode::TokenIssuer, "the token has no `iss`")),
        }
    }
    if let Some(audiences) = &options.audience {
        let matched =
            claims.aud.as_ref().is_some_and(|aud| aud.iter().any(|a| audiences.contains(a)));
        if !matched {
            return Err(Error::new(ErrorCode::TokenAudience, "no expected audience in `aud`"));
        }
    }
    if let Some(gid) = &claims.gid {
        match (&options.group, &options.database) {
            (Some(group), _) if !group.is(gid) => {
                return Err(scope_error(format!(
                    "the token is for group `{}`, not {group}",
                    shown(gid)
                )))
            }
            (Some(_), _) | (None, None) => {}
            (None, Some(database)) => {
                return Err(scope_error(format!(
                    "group token for `{}`, but the group of database {database} was not given",
                    shown(gid)
                )))
            }
        }
    }
    // As sqld: when `p` is present, `a` and `id` are not read.
    let (database, access, attach) = match &claims.scopes {
        Some(scopes) => {
            let (access, attach) = scoped_access(scopes, options)?;
            (None, access, attach)
        }
        None => {
            let (access, attach) = claimed_access(&claims, options)?;
            (claims.id, access, attach)
        }
    };
    Ok(Grant {
        database,
        group: claims.gid,
        access,
        permissions: claims.permissions,
        attach,
        expires_at: claims.exp,
        claims: payload,
    })
}

fn scope_error(message: String) -> Error {
    Error::new(ErrorCode::TokenScope, message)
}

/// The access of a token without `p`: `id` against the request's database, then `a`.
fn claimed_access(
    claims: &TokenClaims,
    options: &VerifyOptions,
) -> Result<(AccessLevel, Vec<AttachGrant>)> {
    if let (Some(id), Some(database)) = (&claims.id, &options.database) {
        if !database.is(id) {
            return Err(scope_error(format!(
                "the token is for database `{}`, not {database}",
                shown(id)
            )));
        }
    }
    Ok(match claims.access {
        None | Some(AccessClaim::ReadWrite) => (AccessLevel::Full, Vec::new()),
        Some(AccessClaim::ReadOnly) => (AccessLevel::ReadOnly, Vec::new()),
        // sqld files the token's database under `p.roa`: readable, attachable read-only.
        Some(AccessClaim::ReadOnlyAttach) => {
            let attachable: Vec<&str> = match (&claims.id, &options.database) {
                (Some(id), _) => vec![id.as_str()],
                (None, Some(database)) => database.names().collect(),
                (None, None) => Vec::new(),
            };
            let mut attach = Vec::new();
            for namespace in attachable {
                add_attach(&mut attach, namespace, AccessLevel::ReadOnly);
            }
            (AccessLevel::ReadOnly, attach)
        }
    })
}

/// The access of a `p` token, as sqld's `Authorized` decides it: a section covers the
/// request when its `ns` names the database or its `tags` the group; `rw`, `rwa` and
/// `ddl` give write access, `ro` and `roa` read access. `roa` / `rwa` namespaces may be
/// attached.
fn scoped_access(
    scopes: &Scopes,
    options: &VerifyOptions,
) -> Result<(AccessLevel, Vec<AttachGrant>)> {
    if options.database.is_none() && options.group.is_none() {
        return Err(scope_error("a `p` token needs the request's database or group".to_owned()));
    }
    let covers = |section: &Section| {
        options.database.as_ref().is_some_and(|database| database.is_any(&section.ns))
            || options.group.as_ref().is_some_and(|group| group.is_any(&section.tags))
    };
    let access = if [&scopes.rw, &scopes.rwa, &scopes.ddl].into_iter().any(covers) {
        AccessLevel::Full
    } else if [&scopes.ro, &scopes.roa].into_iter().any(covers) {
        AccessLevel::ReadOnly
    } else {
        let request = match (&options.database, &options.group) {
            (Some(database), Some(group)) => format!("database {database} or group {group}"),
            (Some(database), None) => format!("database {database}"),
            (None, Some(group)) => format!("group {group}"),
            (None, None) => String::new(),
        };
        return Err(scope_error(format!("`p` does not list {request}")));
    };
    let mut attach = Vec::new();
    for namespace in &scopes.roa.ns {
        add_attach(&mut attach, namespace, AccessLevel::ReadOnly);
    }
    for namespace in &scopes.rwa.ns {
        add_attach(&mut attach, namespace, AccessLevel::Full);
    }
    Ok((access, attach))
}

/// Adds an attach grant for `namespace`, unless one is there already (the first kept:
/// read-only wins over read-write).
fn add_attach(attach: &mut Vec<AttachGrant>, namespace: &str, access: AccessLevel) {
    let namespace = namespace.to_ascii_lowercase();
    if !attach.iter().any(|grant| grant.namespace == namespace) {
        attach.push(AttachGrant { namespace, access });
    }
}

/// `exp <= now - leeway` is expired; `nbf > now + leeway` is not yet valid.
pub(crate) fn check_time(claims: &TokenClaims, now: i64, leeway: u64) -> Result<()> {
    check_time_window(claims.exp, claims.nbf, now, leeway)
}

/// [`check_time`] on the two claims alone.
pub(crate) fn check_time_window(
    exp: Option<i64>,
    nbf: Option<i64>,
    now: i64,
    leeway: u64,
) -> Result<()> {
    let leeway = i64::try_from(leeway).unwrap_or(i64::MAX);
    if let Some(exp) = exp {
        if exp <= now.saturating_sub(leeway) {
            return Err(Error::new(ErrorCode::TokenExpired, format!("the token expired at {exp}")));
        }
    }
    if let Some(nbf) = nbf {
        if nbf > now.saturating_add(leeway) {
            return Err(Error::new(
                ErrorCode::TokenNotYetValid,
                format!("the token is not valid before {nbf}"),
            ));
        }
    }
    Ok(())
}
