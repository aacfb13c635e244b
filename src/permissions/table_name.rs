//! Reading a table name written by a caller (`comments`, `main.comments`,
//! `temp."my table"`) the way SQLite reads a qualified name.
//!
//! This decides only how the text splits into schema and name; how names compare is
//! [`TableName`]'s `PartialEq`.

use super::{Schema, TableName};
use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_IDENTIFIER_BYTES;

impl TableName {
    /// Parses `name` or `schema.name`, each part a bare identifier or quoted as SQLite
    /// quotes identifiers (`"…"`, `` `…` ``, `[…]`, a doubled quote inside standing for
    /// itself). `main.` is dropped, `temp.` is [`Schema::Temp`], any other prefix
    /// (`temporary.` too, as SQLite reads it) an attached database. Anything else is `ERR_OPTIONS_INVALID`.
    ///
    /// ```
    /// use libsql_authz::permissions::{Schema, TableName};
    /// assert_eq!(TableName::parse("main.Comments").unwrap(), TableName::main("comments"));
    /// assert_eq!(TableName::parse("temp.t").unwrap(), TableName::new(Schema::Temp, "t"));
    /// assert_eq!(TableName::parse(r#""a.b""#).unwrap(), TableName::main("a.b"));
    /// assert!(TableName::parse("a.b.c").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<TableName> {
        let invalid = |why: &str| {
            Error::new(ErrorCode::OptionsInvalid, format!("invalid table name `{text}`: {why}"))
        };
        if text.len() > 2 * MAX_IDENTIFIER_BYTES + 8 {
            return Err(Error::new(ErrorCode::InputTooLarge, "table name too long"));
        }
        let (first, rest) = identifier(text).map_err(&invalid)?;
        let table = match rest.strip_prefix('.') {
            None if rest.is_empty() => TableName::main(first),
            None => return Err(invalid("unexpected text after the name")),
            Some(rest) => {
                let (name, rest) = identifier(rest).map_err(&invalid)?;
                if !rest.is_empty() {
                    return Err(invalid("more than `schema.table`"));
                }
                TableName::new(Schema::from_prefix(&first), name)
            }
        };
        if table.name.len() > MAX_IDENTIFIER_BYTES {
            return Err(Error::new(ErrorCode::InputTooLarge, "table name too long"));
        }
        Ok(table)
    }
}

impl TableName {
    /// The name written so that [`TableName::parse`] reads it back: `comments`,
    /// `temp.t`, `aux.t`, `"odd.name"` (a name that is not a bare identifier is
    /// double-quoted, inner quotes doubled).
    ///
    /// ```
    /// use libsql_authz::permissions::{Schema, TableName};
    /// assert_eq!(TableName::new(Schema::Temp, "t").to_sql(), "temp.t");
    /// assert_eq!(TableName::main("a.b").to_sql(), r#""a.b""#);
    /// ```
    pub fn to_sql(&self) -> String {
        let name = match bare(&self.name) {
            Ok((_, "")) => self.name.clone(),
            Ok(_) | Err(_) => format!("\"{}\"", self.name.replace('"', "\"\"")),
        };
        match &self.schema {
            Schema::Main => name,
            Schema::Temp => format!("temp.{name}"),
            Schema::Attached(db) => TableName::main(db.as_str()).to_sql() + "." + &name,
        }
    }
}

/// One identifier at the start of `text` and what follows it: bare, or quoted with
/// `"`, `` ` `` or `[]` (not `'`: see `sql::names::dequote` for the parser's side).
fn identifier(text: &str) -> Result<(String, &str), &'static str> {
    let close = match text.chars().next() {
        Some('"') => '"',
        Some('`') => '`',
        Some('[') => ']',
        Some(_) => return bare(text),
        None => return Err("empty name"),
    };
    let mut name = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c != close {
            name.push(c);
        } else if close != ']' && chars.peek().map(|&(_, next)| next) == Some(close) {
            name.push(close);
            chars.next();
        } else {
            return Ok((name, text.get(i + c.len_utf8()..).unwrap_or_default()));
        }
    }
    Err("unterminated quoted name")
}

/// A bare identifier: letters, digits, `_`, `$` and non-ASCII, not starting with a digit.
fn bare(text: &str) -> Result<(String, &str), &'static str> {
    let end = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()))
        .map_or(text.len(), |(i, _)| i);
    let (name, rest) = text.split_at_checked(end).ok_or("not an identifier")?;
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '$') {
        return Err("not an identifier");
    }
    Ok((name.to_owned(), rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test;

    fn parsed(text: &str) -> TableName {
        TableName::parse(text).unwrap()
    }

    #[test]
    fn bare_name_is_main() {
        assert_eq!(parsed("comments"), TableName::main("comments"));
    }

    #[test]
    fn main_prefix_is_dropped() {
        assert_eq!(parsed("MAIN.comments"), TableName::main("comments"));
    }

    #[test]
    fn temp_is_temp_and_temporary_an_attached_database() {
        assert_eq!(parsed("temp.t"), TableName::new(Schema::Temp, "t"));
        assert_eq!(parsed("TEMP.t"), TableName::new(Schema::Temp, "t"));
        assert_eq!(
            parsed("Temporary.t"),
            TableName::new(Schema::Attached("temporary".into()), "t")
        );
    }

    #[test]
    fn other_prefix_is_attached() {
        assert_eq!(parsed("Other.t"), TableName::new(Schema::Attached("other".into()), "t"));
    }

    #[test]
    fn quotes_of_every_kind() {
        assert_eq!(parsed(r#""my ""t""""#), TableName::main(r#"my "t""#));
        assert_eq!(parsed("`a``b`"), TableName::main("a`b"));
        assert_eq!(parsed("[a.b]"), TableName::main("a.b"));
        assert_eq!(parsed(r#""temp"."x.y""#), TableName::new(Schema::Temp, "x.y"));
    }

    #[test]
    fn malformed_names_are_options_invalid() {
        for text in ["", "a.b.c", "a.", ".a", "1a", "a b", "\"open", "a;", "a.\"b\"c"] {
            let error = TableName::parse(text).unwrap_err();
            assert_eq!(error.code, ErrorCode::OptionsInvalid, "{text}");
        }
    }

    #[test]
    fn written_names_parse_back() {
        for table in [
            TableName::main("comments"),
            TableName::main("a.b"),
            TableName::main(r#"my "t""#),
            TableName::main("1a"),
            TableName::main("a b"),
            TableName::main("$a"),
            TableName::main("é_1$"),
            TableName::new(Schema::Temp, "t"),
            TableName::new(Schema::Attached("aux db".into()), "x.y"),
        ] {
            assert_eq!(parsed(&table.to_sql()), table, "{}", table.to_sql());
        }
        assert_eq!(TableName::main("comments").to_sql(), "comments");
        assert_eq!(TableName::main(r#"my "t""#).to_sql(), r#""my ""t""""#);
    }

    #[test]
    fn over_long_name_is_too_large() {
        let error = TableName::parse(&"a".repeat(MAX_IDENTIFIER_BYTES + 1)).unwrap_err();
        assert_eq!(error.code, ErrorCode::InputTooLarge);
        assert!(TableName::parse(&"a".repeat(MAX_IDENTIFIER_BYTES)).is_ok());
    }
}
