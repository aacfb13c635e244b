//! Identifiers as SQLite reads them: quotes removed, compared ASCII
//! case-insensitively, schema prefixes resolved to a [`Schema`].
//!
//! It decides what name a token stands for, never whether it may be touched.

use sqlite3_parser::ast::{Name, QualifiedName};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_IDENTIFIER_BYTES;
use crate::permissions::{Schema, TableName};

/// Removes SQLite's identifier quoting: `"x"`, `` `x` `` and `'x'` (a doubled quote
/// inside stands for one), `[x]` (no escapes). Anything else is returned as is.
///
/// This reads one name token the parser has already delimited, so it accepts `'x'`,
/// which SQLite takes as a name where a name is expected. A table name a caller writes
/// (a `perm` rule, `grant.allows`) is read by `permissions::TableName::parse` instead,
/// which finds the name's end itself, reads a `schema.` prefix and refuses `'x'` (a
/// string, not a name, in what users write).
pub(crate) fn dequote(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let (first, last) = match (bytes.first(), bytes.last()) {
        (Some(&f), Some(&l)) if bytes.len() >= 2 => (f, l),
        _ => return raw.to_owned(),
    };
    let close = match first {
        b'"' | b'`' | b'\'' => first,
        b'[' => b']',
        _ => return raw.to_owned(),
    };
    if last != close {
        return raw.to_owned();
    }
    let inner = raw.get(1..raw.len() - 1).unwrap_or_default();
    if first == b'[' {
        return inner.to_owned();
    }
    let quote = char::from(first);
    let doubled: String = [quote, quote].iter().collect();
    inner.replace(&doubled, &quote.to_string())
}

/// Whether the raw, possibly quoted, name `raw` reads as `name` (a plain identifier
/// with no quote characters), as [`dequote`] then [`same`] would say, without allocating.
pub(crate) fn names(raw: &str, name: &str) -> bool {
    let bytes = raw.as_bytes();
    let quoted = bytes.len() >= 2
        && matches!(
            (bytes.first(), bytes.last()),
            (Some(b'"'), Some(b'"'))
                | (Some(b'`'), Some(b'`'))
                | (Some(b'\''), Some(b'\''))
                | (Some(b'['), Some(b']'))
        );
    let inner = if quoted { raw.get(1..raw.len() - 1).unwrap_or_default() } else { raw };
    same(inner, name)
}

/// The dequoted text of `name`, or `ERR_SQL_TOO_LARGE` past the identifier limit.
pub(crate) fn ident(name: &Name<'_>) -> Result<String> {
    checked(dequote(name.0))
}

/// `text` if within [`MAX_IDENTIFIER_BYTES`].
pub(crate) fn checked(text: String) -> Result<String> {
    if text.len() > MAX_IDENTIFIER_BYTES {
        Err(Error::new(
            ErrorCode::SqlTooLarge,
            format!("identifier longer than {MAX_IDENTIFIER_BYTES} bytes"),
        ))
    } else {
        Ok(text)
    }
}

/// The schema a prefix names; `None` (no prefix) is `default`.
pub(crate) fn schema_of(db: Option<&Name<'_>>, default: &Schema) -> Result<Schema> {
    match db {
        Some(db) => Ok(Schema::from_prefix(&ident(db)?)),
        None => Ok(default.clone()),
    }
}

/// The table a qualified name stands for, unqualified names resolving in `default`.
pub(crate) fn table_name(qn: &QualifiedName<'_>, default: &Schema) -> Result<TableName> {
    Ok(TableName::new(schema_of(qn.db_name.as_ref(), default)?, ident(&qn.name)?))
}

/// ASCII case-insensitive equality, as SQLite compares identifiers.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}
