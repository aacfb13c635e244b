//! Who does the signature arithmetic of a verification.
//!
//! Everything else about a token (structure, header, key choice, claims, time, scope)
//! is decided by this crate; only the last step, "is `signature` a valid signature of
//! `message` under this public key?", can be handed to another implementation, such as
//! the host's native crypto when the crate runs as WebAssembly (`node:crypto` in Node
//! is 2 to 30 times faster than the same arithmetic compiled to wasm, see
//! BENCHMARKS.md). [`BuiltinCrypto`] is the crate's own, used when nothing else is given.
//!
//! Before any backend is asked, `Key::verify` (here) checks the signature's length for
//! the key's algorithm, so a backend never sees a truncated or padded signature. This
//! module depends on `keys.rs`, never the other way round.

use crate::token::keys::{Key, SignatureAlgorithm};

/// One signature to check: the key that the token's `alg` and `kid` selected, the
/// signing input (`header.payload`, as sent) and the decoded signature.
#[derive(Debug, Clone, Copy)]
pub struct SignatureInput<'a> {
    /// The selected key (its algorithm is the token's `alg`).
    pub key: &'a Key,
    /// The JWS signing input.
    pub message: &'a [u8],
    /// The signature bytes: 64 for EdDSA and ES256 (`r || s`), the modulus length for RS256.
    pub signature: &'a [u8],
}

impl SignatureInput<'_> {
    /// The algorithm to verify with.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.key.algorithm()
    }
}

impl Key {
    /// Whether `signature` is a valid signature of `message` by this key, as `backend`
    /// computes it. A signature of the wrong length for the key is refused before any
    /// backend sees it.
    pub(crate) fn verify(
        &self,
        message: &[u8],
        signature: &[u8],
        backend: &dyn SignatureBackend,
    ) -> bool {
        signature.len() == self.signature_len()
            && backend.verify(&SignatureInput { key: self, message, signature })
    }
}

/// An implementation of the signature checks of `EdDSA`, `RS256` and `ES256`.
///
/// It answers only for the arithmetic: `true` exactly when the signature is valid.
/// An implementation that cannot check a given input must defer to [`BuiltinCrypto`]
/// rather than answer, so that every input gets the same verdict from every backend.
pub trait SignatureBackend {
    /// Whether `input.signature` is a valid signature of `input.message` by `input.key`.
    fn verify(&self, input: &SignatureInput<'_>) -> bool;
}

/// The crate's own signature checks: `ed25519-compact` for EdDSA, the `rsa` crate for
/// RS256 and `p256` for ES256.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinCrypto;

impl SignatureBackend for BuiltinCrypto {
    fn verify(&self, input: &SignatureInput<'_>) -> bool {
        input.key.verify_builtin(input.message, input.signature)
    }
}
