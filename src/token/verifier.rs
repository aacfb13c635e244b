//! A reusable verifier: one key set, one set of options, a cache of good tokens.
//!
//! Decides what may be served from the cache: only tokens that verified before, with
//! the same key still in the set and still selected for them, and whose time claims
//! still hold at the new `now` (re-checked on every hit). It never caches a failure and
//! never extends a token's life: a hit skips only the signature work.

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::Result;
use crate::grant::Grant;
use crate::limits::{MAX_CACHED_TOKEN_BYTES, MAX_VERIFIER_CACHE_ENTRIES};
use crate::token::claims::TokenClaims;
use crate::token::jws::verify_signature;
use crate::token::key_set::KeySet;
use crate::token::keys::SignatureAlgorithm;
use crate::token::options::VerifyOptions;
use crate::token::scope::{check_time_window, grant_for};
use crate::token::signature::{BuiltinCrypto, SignatureBackend};

/// One remembered verification.
#[derive(Debug, Clone)]
struct CacheEntry {
    /// The identity of the key that verified the token ([`Key::identity`]).
    key: Arc<str>,
    alg: SignatureAlgorithm,
    kid: Option<String>,
    /// Shared with every caller the entry is served to: a hit costs no deep copy. Its
    /// `expires_at` and `not_before` are the time claims rechecked on every hit.
    grant: Arc<Grant>,
}

/// The time check of a remembered grant at `now`.
fn check_grant_time(grant: &Grant, now: i64, leeway: u64) -> Result<()> {
    check_time_window(grant.expires_at, grant.not_before(), now, leeway)
}

/// Verifies tokens against one key set and one set of options, remembering good ones.
#[derive(Debug, Clone)]
pub struct Verifier {
    keys: KeySet,
    options: VerifyOptions,
    cache: HashMap<String, CacheEntry>,
    /// Signature checks done (tests prove hits skip them).
    #[cfg(test)]
    signature_checks: usize,
}

impl Verifier {
    /// A verifier for `keys` and `options` (`options.now` is ignored: each call gives
    /// its own). Invalid options are `ERR_OPTIONS_INVALID`.
    pub fn new(keys: KeySet, options: VerifyOptions) -> Result<Verifier> {
        options.validate()?;
        Ok(Verifier {
            keys,
            options,
            cache: HashMap::new(),
            #[cfg(test)]
            signature_checks: 0,
        })
    }

    /// Verifies `token` at time `now` (seconds since the epoch), from the cache when
    /// it verified before.
    pub fn verify(&mut self, token: &str, now: i64) -> Result<Grant> {
        self.verify_shared(token, now).map(|grant| Grant::clone(&grant))
    }

    /// [`Verifier::verify`], returning the grant shared with the cache (the bindings
    /// hand it to JS without copying its claims on every hit).
    pub fn verify_shared(&mut self, token: &str, now: i64) -> Result<Arc<Grant>> {
        self.verify_shared_with(token, now, &BuiltinCrypto)
    }

    /// [`Verifier::verify_shared`] with the signature arithmetic of a cache miss done
    /// by `backend`.
    pub fn verify_shared_with(
        &mut self,
        token: &str,
        now: i64,
        backend: &dyn SignatureBackend,
    ) -> Result<Arc<Grant>> {
        if let Some(entry) = self.cache.get(token) {
            return match check_grant_time(&entry.grant, now, self.options.leeway) {
                Ok(()) => Ok(Arc::clone(&entry.grant)),
                Err(error) => {
                    self.cache.remove(token);
                    Err(error)
                }
            };
        }
        #[cfg(test)]
        {
            self.signature_checks = self.signature_checks.saturating_add(1);
        }
        let options = VerifyOptions { now, ..self.options.clone() };
        let verified = verify_signature(token, &self.keys, &options, backend)?;
        let claims = TokenClaims::parse(&verified.payload)?;
        let key = Arc::clone(verified.key.identity());
        let (alg, kid) = (verified.alg, verified.kid);
        let grant = Arc::new(grant_for(claims, verified.payload, &options)?);
        if token.len() <= MAX_CACHED_TOKEN_BYTES {
            self.remember(token, CacheEntry { key, alg, kid, grant: Arc::clone(&grant) }, now);
        }
        Ok(grant)
    }

    fn remember(&mut self, token: &str, entry: CacheEntry, now: i64) {
        if self.cache.len() >= MAX_VERIFIER_CACHE_ENTRIES {
            let leeway = self.options.leeway;
            self.cache.retain(|_, entry| check_grant_time(&entry.grant, now, leeway).is_ok());
        }
        if self.cache.len() >= MAX_VERIFIER_CACHE_ENTRIES {
            self.cache.clear();
        }
        self.cache.insert(token.to_owned(), entry);
    }

    /// Replaces the key set. A cached token stays only if the new set selects the very
    /// same key for it; every other entry is dropped (its key left, or changed).
    pub fn update_keys(&mut self, keys: KeySet) {
        self.cache.retain(|_, entry| {
            keys.select(entry.alg, entry.kid.as_deref())
                .is_ok_and(|key| *key.identity() == entry.key)
        });
        self.keys = keys;
    }

    /// The current key set.
    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// The options tokens are verified with.
    pub fn options(&self) -> &VerifyOptions {
        &self.options
    }

    /// Signature checks done so far.
    #[cfg(test)]
    pub(crate) fn signature_checks(&self) -> usize {
        self.signature_checks
    }

    /// How many verifications are cached.
    pub fn cached(&self) -> usize {
        self.cache.len()
    }
}
