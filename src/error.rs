//! Errors with stable codes.
//!
//! Every failure the crate reports carries an [`ErrorCode`] whose string form
//! (`ERR_TOKEN_EXPIRED`, ...) is part of the public API: JavaScript callers branch on
//! `error.code`, exactly as they do with `jose`. Messages are for people and may change.

use std::fmt;

/// The stable code of an [`Error`]. The string forms never change once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The token is not a compact JWS: wrong number of parts, bad base64url, header or
    /// payload that is not a JSON object, a `crit` header, JSON serialization.
    TokenMalformed,
    /// The token's `alg` is not accepted (`none`, HMAC, not in `algorithms`, or not the
    /// algorithm of the key it names).
    TokenAlgorithm,
    /// No key in the set fits the token's `kid` and algorithm.
    TokenKeyNotFound,
    /// The signature does not verify.
    TokenSignature,
    /// `exp` is in the past (beyond the leeway).
    TokenExpired,
    /// `nbf` is in the future (beyond the leeway).
    TokenNotYetValid,
    /// A claim has the wrong type, an unknown value, or claims contradict each other.
    TokenClaims,
    /// The token is genuine but not valid for the requested database or group.
    TokenScope,
    /// `iss` is not one of the expected issuers.
    TokenIssuer,
    /// `aud` does not contain an expected audience.
    TokenAudience,
    /// A key (JWK, JWKS, PEM, raw) cannot be used: malformed, wrong type, too weak.
    KeyInvalid,
    /// An option passed by the caller is invalid.
    OptionsInvalid,
    /// A token, key set or other input is over a documented limit.
    InputTooLarge,
    /// The SQL does not parse as SQLite parses it.
    SqlParse,
    /// The SQL parses but the gate cannot analyse it with certainty.
    SqlUnsupported,
    /// The SQL is over a documented limit (bytes, statements, nesting depth).
    SqlTooLarge,
}

impl ErrorCode {
    /// The stable string form, e.g. `"ERR_TOKEN_EXPIRED"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TokenMalformed => "ERR_TOKEN_MALFORMED",
            Self::TokenAlgorithm => "ERR_TOKEN_ALGORITHM",
            Self::TokenKeyNotFound => "ERR_TOKEN_KEY_NOT_FOUND",
            Self::TokenSignature => "ERR_TOKEN_SIGNATURE",
            Self::TokenExpired => "ERR_TOKEN_EXPIRED",
            Self::TokenNotYetValid => "ERR_TOKEN_NOT_YET_VALID",
            Self::TokenClaims => "ERR_TOKEN_CLAIMS",
            Self::TokenScope => "ERR_TOKEN_SCOPE",
            Self::TokenIssuer => "ERR_TOKEN_ISSUER",
            Self::TokenAudience => "ERR_TOKEN_AUDIENCE",
            Self::KeyInvalid => "ERR_KEY_INVALID",
            Self::OptionsInvalid => "ERR_OPTIONS_INVALID",
            Self::InputTooLarge => "ERR_INPUT_TOO_LARGE",
            Self::SqlParse => "ERR_SQL_PARSE",
            Self::SqlUnsupported => "ERR_SQL_UNSUPPORTED",
            Self::SqlTooLarge => "ERR_SQL_TOO_LARGE",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure with a stable [`ErrorCode`] and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
}

impl Error {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// Serializes as `{"code": "ERR_…", "message": "…"}`, the shape JS callers see.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("code", self.code.as_str())?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
