//! A verified token's claims against the request: time, issuer, audience and scope
//! (`id`, `gid`, `p`), then the [`Grant`].

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::grant::{AccessLevel, AttachGrant, Grant};
use crate::token::claims::TokenClaims;
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
    let scope_error = |m: String| Error::new(ErrorCode::TokenScope, m);
    if let (Some(id), Some(database)) = (&claims.id, &options.database) {
        if id != database {
            return Err(scope_error(format!(
                "the token is for database `{}`, not `{database}`",
                shown(id)
            )));
        }
    }
    if let Some(gid) = &claims.gid {
        match (&options.group, &options.database) {
            (Some(group), _) if group != gid => {
                return Err(scope_error(format!(
                    "the token is for group `{}`, not `{group}`",
                    shown(gid)
                )))
            }
            (Some(_), _) | (None, None) => {}
            (None, Some(database)) => {
                return Err(scope_error(format!(
                    "group token for `{}`, but the group of database `{database}` was not given",
                    shown(gid)
                )))
            }
        }
    }
    let mut access = claims.access.unwrap_or(AccessLevel::Full);
    let mut attach = Vec::new();
    if let Some(scopes) = &claims.scopes {
        let database = options
            .database
            .as_ref()
            .ok_or_else(|| scope_error("a `p` token needs the request's database".to_owned()))?;
        if scopes.ro.contains(database) {
            access = AccessLevel::ReadOnly;
        } else if !scopes.rw.contains(database) {
            return Err(scope_error(format!("`p` does not list database `{database}`")));
        }
        for namespace in scopes.roa.iter().chain(scopes.rwa.iter()) {
            let lower = namespace.to_ascii_lowercase();
            if attach.iter().any(|g: &AttachGrant| g.namespace == lower) {
                continue;
            }
            let read_only = scopes.roa.iter().any(|n| n.eq_ignore_ascii_case(namespace));
            attach.push(AttachGrant {
                namespace: lower,
                access: if read_only { AccessLevel::ReadOnly } else { AccessLevel::Full },
            });
        }
    }
    Ok(Grant {
        database: claims.id,
        group: claims.gid,
        access,
        permissions: claims.permissions,
        attach,
        expires_at: claims.exp,
        claims: payload,
    })
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
