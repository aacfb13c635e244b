//! The pre-scan: limits checked on the raw text before the parser sees it.
//!
//! It decides only whether the input is within [`crate::limits`]: bytes, statement
//! count (every `;` outside literals and comments counts, so a trigger body's
//! statements count too), tokens per statement, nesting depth of parentheses and of
//! `CASE`, items in a list of names, and identifier length. It never decides what a
//! statement means; anything it cannot tokenize is left to the parser, which reports it
//! with a position.
//!
//! It also refuses (`ERR_SQL_UNSUPPORTED`) the few tokens SQLite's tokenizer reads
//! differently from the parser's, so that the gate never judges other tokens, or other
//! statement boundaries, than SQLite runs: a NUL character (SQLite stops reading there),
//! a byte-order mark outside strings and quoted names (SQLite skips it as a space where a
//! token starts), and TCL-style variables (`$a(...)` runs to the next space or `)`, `::`
//! continues a name).

use std::ops::Range;

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{
    MAX_IDENTIFIER_BYTES, MAX_SQL_BYTES, MAX_SQL_DEPTH, MAX_SQL_LIST_ITEMS, MAX_SQL_TOKENS,
    MAX_STATEMENTS,
};

fn too_large(message: String) -> Error {
    Error::new(ErrorCode::SqlTooLarge, message)
}

fn unsupported(message: &str) -> Error {
    Error::new(ErrorCode::SqlUnsupported, message)
}

/// U+FEFF in UTF-8.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// What the pre-scan learnt besides the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The text ends inside a `/* ...` comment, which SQLite accepts (a comment runs
    /// to the end of input) and the parser rejects.
    pub(crate) open_comment: bool,
    /// Where each parameter token is (`?`, `?3`, `:a`, `@a`, `$a`), in the order of the
    /// text, as byte ranges (the parser tells which statement each belongs to).
    pub(crate) variables: Vec<Range<usize>>,
}

/// Checks `sql` against the limits without parsing it.
pub(crate) fn check_limits(sql: &str) -> Result<Scan> {
    if sql.len() > MAX_SQL_BYTES {
        return Err(too_large(format!(
            "SQL is {} bytes; at most {MAX_SQL_BYTES} are accepted",
            sql.len()
        )));
    }
    let bytes = sql.as_bytes();
    if bytes.contains(&0) {
        return Err(unsupported("a NUL character: SQLite stops reading the text there"));
    }
    // Only texts that hold one need their words searched for it (its first byte is
    // found with `memchr`, which most texts fail at once).
    let has_byte_order_mark =
        bytes.contains(&0xEF) && find_seq(bytes, 0, BYTE_ORDER_MARK).is_some();
    let mut i = 0usize;
    let mut parens = 0usize;
    let mut cases = 0usize;
    let mut semicolons = 0usize;
    let mut open_comment = false;
    let mut variables = Vec::new();
    // Tokens of the current statement (the parser's tree grows with them).
    let mut tokens = 0usize;
    // Consecutive prefix operators (`NOT`, `-`, `+`, `~`): the parser shifts them all
    // before reducing, so a long run costs memory even without parentheses.
    let mut prefix_run = 0usize;
    let mut lists = Lists::default();
    while let Some(&b) = bytes.get(i) {
        // Whitespace is no token, and neither starts nor ends a run of prefix operators.
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let comment = (b == b'-' && next == Some(b'-')) || (b == b'/' && next == Some(b'*'));
        // The identifier-like word starting here, if one does (empty otherwise).
        let word = if is_identifier_start(b) { word_at(bytes, i) } else { &[] };
        let prefix = match b {
            b'-' => !comment,
            b'+' | b'~' => true,
            _ => word.eq_ignore_ascii_case(b"not"),
        };
        if prefix {
            prefix_run += 1;
            if prefix_run > MAX_SQL_DEPTH {
                return Err(too_large(format!(
                    "more than {MAX_SQL_DEPTH} prefix operators in a row"
                )));
            }
        } else if !comment {
            // (Comments between prefix operators do not end a run.)
            prefix_run = 0;
        }
        if !comment {
            lists.token(b, word)?;
            tokens += 1;
            if tokens > MAX_SQL_TOKENS {
                return Err(too_large(format!(
                    "more than {MAX_SQL_TOKENS} tokens in one statement"
                )));
            }
        }
        match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = find_byte(bytes, i + 2, b'\n').map_or(bytes.len(), |end| end + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                match find_seq(bytes, i + 2, b"*/") {
                    Some(end) => i = end + 2,
                    // As SQLite's tokenizer: `/*` with nothing after it is a `/`
                    // (a syntax error), not a comment.
                    None if i + 2 >= bytes.len() => i = bytes.len(),
                    None => {
                        open_comment = true;
                        i = bytes.len();
                    }
                }
            }
            b'\'' => i = skip_quoted(bytes, i, b'\'', None)?,
            b'"' | b'`' => i = skip_quoted(bytes, i, b, Some(MAX_IDENTIFIER_BYTES))?,
            b'[' => {
                let end = find_byte(bytes, i + 1, b']').unwrap_or(bytes.len());
                check_identifier(end.saturating_sub(i + 1))?;
                i = end.saturating_add(1);
            }
            b'(' => {
                parens += 1;
                if parens > MAX_SQL_DEPTH {
                    return Err(too_large(format!(
                        "parentheses nested deeper than {MAX_SQL_DEPTH} levels"
                    )));
                }
                i += 1;
            }
            b')' => {
                parens = parens.saturating_sub(1);
                i += 1;
            }
            b';' => {
                semicolons += 1;
                tokens = 0;
                if semicolons > MAX_STATEMENTS {
                    return Err(too_large(format!("more than {MAX_STATEMENTS} statements")));
                }
                i += 1;
            }
            b'x' | b'X' if bytes.get(i + 1) == Some(&b'\'') => {
                i = skip_quoted(bytes, i + 1, b'\'', None)?;
            }
            _ if !word.is_empty() => {
                if has_byte_order_mark && find_seq(word, 0, BYTE_ORDER_MARK).is_some() {
                    return Err(unsupported(
                        "a byte-order mark (U+FEFF) outside a string or quoted name: SQLite \
                         reads it as a space where a token starts",
                    ));
                }
                i += word.len();
                check_identifier(word.len())?;
                if word.eq_ignore_ascii_case(b"case") {
                    cases += 1;
                    if cases > MAX_SQL_DEPTH {
                        return Err(too_large(format!(
                            "CASE nested deeper than {MAX_SQL_DEPTH} levels"
                        )));
                    }
                } else if word.eq_ignore_ascii_case(b"end") {
                    cases = cases.saturating_sub(1);
                }
            }
            b'$' | b'@' | b'#' | b':' => {
                // A variable. SQLite's tokenizer (TCL variables) reads `$a(...)` up to the
                // next space or `)` and `$a::b` as one token; the parser ends the variable
                // at `(` or `:`, so the two would disagree on the tokens that follow.
                let name = word_at(bytes, i + 1);
                let after = i + 1 + name.len();
                let tcl = match bytes.get(after) {
                    Some(b'(') => !name.is_empty(),
                    Some(b':') => bytes.get(after + 1) == Some(&b':'),
                    _ => false,
                };
                if tcl {
                    return Err(unsupported(
                        "a TCL-style variable (`$name(...)` or `::` in a variable name), which \
                         SQLite tokenizes differently",
                    ));
                }
                check_identifier(name.len())?;
                if !name.is_empty() {
                    variables.push(i..after);
                }
                i = after;
            }
            b'?' => {
                let digits = bytes.get(i + 1..).unwrap_or_default();
                let end = i + 1 + digits.iter().take_while(|c| c.is_ascii_digit()).count();
                variables.push(i..end);
                i = end;
            }
            b'0'..=b'9' | b'.' => {
                // Numbers: skip digits and letters together (`1e5`, `0x1F`) so that
                // their letters are not read as identifiers.
                i += 1;
                while bytes
                    .get(i)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    Ok(Scan { open_comment, variables })
}

/// Comma-separated lists whose items start with a name or a string, counted at each
/// open parenthesis (and outside them) up to [`MAX_SQL_LIST_ITEMS`]. The parser checks
/// each new name of a name list (`INSERT INTO t(a, b, ...)`, `USING (...)`,
/// `UPDATE OF ...`) and each new column of a `CREATE TABLE` against every earlier one,
/// in time that grows with the square of the list. Lists of other items (numbers,
/// parenthesised rows, variables) and `IN (...)` lists are left alone: the parser reads
/// them in linear time, and SQLite accepts long ones.
#[derive(Debug, Default)]
struct Lists {
    /// One entry per open parenthesis, innermost last; the list outside every
    /// parenthesis is `outer`.
    open: Vec<List>,
    outer: List,
    /// Whether the previous token was the word `IN`.
    after_in: bool,
}

#[derive(Debug, Default, Clone, Copy)]
struct List {
    /// Items so far that start with a name or a string, each after a comma.
    items: usize,
    /// The previous token was a comma of this list.
    after_comma: bool,
    /// An `IN (...)` list.
    exempt: bool,
}

impl Lists {
    /// Takes the token that starts with byte `b` (`word` when it is an identifier).
    fn token(&mut self, b: u8, word: &[u8]) -> Result<()> {
        let after_in = std::mem::replace(&mut self.after_in, word.eq_ignore_ascii_case(b"in"));
        match b {
            b'(' => self.open.push(List { exempt: after_in, ..List::default() }),
            b')' => {
                self.open.pop();
            }
            b';' => {
                self.open.clear();
                self.outer = List::default();
            }
            b',' => self.current().after_comma = true,
            _ => {
                // A name: a word, a quoted name, or a string, which the grammar also
                // takes as a name (a blob `x'00'` counts too, as its `x` is read as a
                // word: SQLite refuses long lists of blobs outside `IN` as well).
                let name = !word.is_empty() || matches!(b, b'"' | b'`' | b'[' | b'\'');
                let list = self.current();
                if list.after_comma && name {
                    list.items += 1;
                    if list.items >= MAX_SQL_LIST_ITEMS && !list.exempt {
                        return Err(too_large(format!(
                            "more than {MAX_SQL_LIST_ITEMS} names in one list"
                        )));
                    }
                } else if list.after_comma {
                    list.items = 0;
                }
                list.after_comma = false;
            }
        }
        Ok(())
    }

    fn current(&mut self) -> &mut List {
        self.open.last_mut().unwrap_or(&mut self.outer)
    }
}

/// The identifier-like word starting at `start`.
fn word_at(bytes: &[u8], start: usize) -> &[u8] {
    let len = bytes
        .get(start..)
        .map_or(0, |rest| rest.iter().take_while(|&&c| is_identifier_continue(c)).count());
    bytes.get(start..start + len).unwrap_or_default()
}

fn check_identifier(len: usize) -> Result<()> {
    if len > MAX_IDENTIFIER_BYTES {
        Err(too_large(format!("identifier longer than {MAX_IDENTIFIER_BYTES} bytes")))
    } else {
        Ok(())
    }
}

/// Skips a literal opened by `quote` at `start` (doubled quotes escape it); returns the
/// index after it. `limit` bounds its length (for quoted identifiers).
fn skip_quoted(bytes: &[u8], start: usize, quote: u8, limit: Option<usize>) -> Result<usize> {
    let mut i = start + 1;
    loop {
        match find_byte(bytes, i, quote) {
            None => {
                i = bytes.len();
                break;
            }
            Some(end) if bytes.get(end + 1) == Some(&quote) => i = end + 2,
            Some(end) => {
                i = end + 1;
                break;
            }
        }
    }
    if let Some(limit) = limit {
        if i.saturating_sub(start + 2) > limit {
            return Err(too_large(format!("identifier longer than {limit} bytes")));
        }
    }
    Ok(i)
}

fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    bytes.get(from..)?.iter().position(|&b| b == byte).map(|p| p + from)
}

fn find_seq(bytes: &[u8], from: usize, seq: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(seq.len()).position(|w| w == seq).map(|p| p + from)
}

/// As SQLite's tokenizer: letters, `_` and every non-ASCII byte start an identifier.
#[inline]
pub(crate) fn is_identifier_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// As SQLite's tokenizer: also digits and `$` continue one.
#[inline]
pub(crate) fn is_identifier_continue(b: u8) -> bool {
    is_identifier_start(b) || b.is_ascii_digit() || b == b'$'
}

/// Whether `sql` holds no token at all (only whitespace, comments and `;`).
pub(crate) fn is_blank(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b == b'-' && bytes.get(i + 1) == Some(&b'-') {
            i = find_byte(bytes, i + 2, b'\n').map_or(bytes.len(), |end| end + 1);
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') && i + 2 < bytes.len() {
            i = find_seq(bytes, i + 2, b"*/").map_or(bytes.len(), |end| end + 2);
        } else if b.is_ascii_whitespace() || b == b';' || b == 0x0c {
            i += 1;
        } else {
            return false;
        }
    }
    true
}
