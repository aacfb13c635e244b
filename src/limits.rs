//! Every limit on untrusted input, in one place.
//!
//! Each is checked before the work that grows with the input, and each has a test just
//! under and just over it. Exceeding one is an error (`ERR_INPUT_TOO_LARGE` for tokens
//! and keys, `ERR_SQL_TOO_LARGE` for SQL), never a truncation.

/// Longest token accepted, in bytes (64 KiB).
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// Deepest JSON nesting accepted in a token header or payload, or a key set.
pub const MAX_JSON_DEPTH: usize = 16;
/// Most rules in a `perm` claim or `permissions` option.
pub const MAX_PERMISSION_RULES: usize = 256;
/// Most table names in all rules of one token together.
pub const MAX_PERMISSION_TABLES: usize = 4096;
/// Most names (`ns` and `tags`) in all sections of a `p` claim together.
pub const MAX_SCOPE_NAMESPACES: usize = 4096;
/// Largest key set accepted (JWKS JSON, PEM text), in bytes (256 KiB).
pub const MAX_KEY_SET_BYTES: usize = 256 * 1024;
/// Most keys in one key set.
pub const MAX_KEYS: usize = 64;
/// Longest identifier (table, database, group, `kid`), in bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 1024;
/// Longest SQL text accepted by `checkStatement`, in bytes (1 MiB).
pub const MAX_SQL_BYTES: usize = 1024 * 1024;
/// Most statements in one SQL text.
pub const MAX_STATEMENTS: usize = 1000;
/// Most tokens (words, numbers, literals, punctuation; not whitespace or comments) in
/// one statement. The parser's tree costs up to ~460 bytes of wasm memory per token
/// (measured in wasm under Node: 1 MiB of `a JOIN a JOIN ...` took 132 MB, 1 MiB of
/// `SELECT 1 FROM a,a,...` 260 MB), more than a Worker's 128 MB; at this limit the worst
/// shape measured takes 34 MiB (`tests/js/security.test.mjs`). Counted by the pre-scan, before parsing.
pub const MAX_SQL_TOKENS: usize = 100_000;
/// Most items in one comma-separated list whose items start with a name or a string
/// (`INSERT INTO t(a, b, ...)`, `USING (...)`, `UPDATE OF ...`, a `CREATE TABLE`'s
/// columns), other than an `IN (...)` list: SQLite's own `SQLITE_MAX_COLUMN`, past which
/// SQLite refuses every such list. The parser checks each new name of these lists
/// against every earlier one, in time that grows with the square of the list (49,000
/// names took 11 s in wasm); at this limit it takes milliseconds. Counted by the
/// pre-scan, before parsing.
pub const MAX_SQL_LIST_ITEMS: usize = 2000;
/// Most needs (an action on a table, `admin`, `attach`) in one SQL text, all statements
/// together. Each costs a few hundred bytes in the analysis and in the answer, and
/// needs are told apart within a statement only: 1000 statements of 340 short distinct
/// names each (1 MiB) made 340,000 of them, grew the wasm memory to 81 MiB and took
/// 0.6 s.
pub const MAX_SQL_NEEDS: usize = 10_000;
/// Deepest nesting of expressions, subqueries and parentheses in one statement.
pub const MAX_SQL_DEPTH: usize = 200;
/// Smallest RSA modulus accepted in a verification key, in bits (RFC 7518 §3.3). The
/// largest is 4096, the `rsa` crate's bound, which also bounds verification cost.
pub const MIN_RSA_MODULUS_BITS: usize = 2048;
/// Most successful verifications a `Verifier` remembers. When full, expired entries are
/// dropped first, then the whole cache.
pub const MAX_VERIFIER_CACHE_ENTRIES: usize = 1024;
/// Longest token a `Verifier` caches, in bytes; longer tokens are verified every time.
/// With [`MAX_VERIFIER_CACHE_ENTRIES`] this bounds the cache to a few MiB.
pub const MAX_CACHED_TOKEN_BYTES: usize = 4096;
/// Longest chain of binary operators walked without recursion (`a OR b OR ...`):
/// SQLite's own expression depth limit, so every chain SQLite runs is analysed.
pub const MAX_SQL_CHAIN: usize = 1000;
/// Most SQL texts whose analysis `checkStatement` remembers; when full it starts over.
pub const MAX_CACHED_ANALYSES: usize = 256;
/// Longest SQL text whose analysis is remembered, in bytes; longer texts are analysed
/// on every call. With [`MAX_CACHED_ANALYSES`] this bounds the memo to about 1 MiB of
/// text plus its analyses.
pub const MAX_CACHED_SQL_BYTES: usize = 4096;

/// The one check of a name a token, a key or the caller gives (a database, group or
/// namespace, a key id): not empty (else `empty`, the code of where it came from) and
/// at most [`MAX_IDENTIFIER_BYTES`] (else `ERR_INPUT_TOO_LARGE`). `label` names it in
/// the message (`` `id` ``, ``JWK `kid` ``).
pub(crate) fn check_identifier(
    label: &str,
    value: &str,
    empty: crate::error::ErrorCode,
) -> crate::error::Result<()> {
    use crate::error::{Error, ErrorCode};
    if value.is_empty() {
        return Err(Error::new(empty, format!("{label} is empty")));
    }
    if value.len() > MAX_IDENTIFIER_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{label} longer than {MAX_IDENTIFIER_BYTES} bytes"),
        ));
    }
    Ok(())
}
