//! `CREATE VIRTUAL TABLE`: which modules a token may use, and what each argument of
//! each module needs, read as the module's own source in SQLite reads it (issue 21).
//!
//! A module's arguments are code and table names, not just column names: FTS4 calls
//! the functions named by `compress=` / `uncompress=` on the data every time it is
//! written or read, a tokenizer is native code looked up by name, `content=` names a
//! table the full-text table reads at run time. SQLite's authorizer sees none of this
//! when the statement is prepared, only when those calls run. So every argument is
//! judged here by an allow-list per module: an argument the gate does not know is
//! admin (fail closed), never ignored. The rule table is in `docs/DESIGN.md`.

use super::names::{checked, dequote, same};
use super::special::{listed, ADMIN_TABLES, SAFE_MODULES};
use super::walk::Walker;
use super::Need;
use crate::error::Result;
use crate::permissions::{Action, Schema, TableName};

/// Tokenizers SQLite's FTS3 and FTS4 have built in (`icu` only when compiled in: not
/// on the list). Any other name is a tokenizer registered with `fts3_tokenizer()`:
/// native code at an address.
const FTS3_TOKENIZERS: &[&str] = &["simple", "porter", "unicode61"];

/// Tokenizers SQLite's FTS5 has built in; `porter` wraps another one, named after it.
const FTS5_TOKENIZERS: &[&str] = &["unicode61", "ascii", "porter", "trigram"];

/// FTS4's options (`fts3.c`, `aFts4Opt`): the key must match one exactly.
const FTS4_OPTIONS: &[&str] = &[
    "matchinfo",
    "prefix",
    "compress",
    "uncompress",
    "order",
    "content",
    "languageid",
    "notindexed",
];

/// FTS5's options (`fts5_config.c`, `fts5ConfigParseSpecial`), in every SQLite version
/// the gate may front. SQLite also takes any prefix of a name (`cont` is `content`);
/// the gate takes only whole names.
const FTS5_OPTIONS: &[&str] = &[
    "prefix",
    "tokenize",
    "content",
    "contentless_delete",
    "contentless_unindexed",
    "content_rowid",
    "columnsize",
    "detail",
    "tokendata",
    "locale",
];

/// Records what creating `table` with `module(args)` needs, besides `schema_add` on it.
pub(crate) fn create_virtual_table(
    w: &mut Walker,
    table: &TableName,
    module: &str,
    args: &[&str],
) -> Result<()> {
    let lower = module.to_ascii_lowercase();
    if listed(ADMIN_TABLES, module) {
        w.need(Need::Admin(format!("a `{lower}` virtual table")));
        return Ok(());
    }
    if !listed(SAFE_MODULES, module) {
        // Decision: modules off the list are admin (fail closed).
        w.need(Need::Admin(format!("the `{lower}` virtual table module")));
        return Ok(());
    }
    match lower.as_str() {
        "fts3" | "fts4" => {
            for arg in args {
                fts4_argument(w, table, &lower, arg)?;
            }
        }
        "fts5" => {
            for arg in args {
                fts5_argument(w, table, arg)?;
            }
        }
        "fts3tokenize" => {
            // The tokenizer's name, then its arguments; none is `simple`.
            if let Some(name) = args.first() {
                tokenizer(w, &lower, &[dequote(name.trim())], FTS3_TOKENIZERS);
            }
        }
        // (table, type) or (schema, table, type).
        "fts5vocab" => index_reader(w, table, &lower, args, 1)?,
        // (table) or (schema, table).
        "fts4aux" => index_reader(w, table, &lower, args, 0)?,
        // Column names only (`rtree(id, x0, x1, +aux)`, `geopoly(a, b)`).
        "rtree" | "rtree_i32" | "geopoly" => {}
        _ => w.need(Need::Admin(format!("the `{lower}` virtual table module"))),
    }
    Ok(())
}

/// One argument of an FTS3 / FTS4 table: a tokenizer, an option or a column.
fn fts4_argument(w: &mut Walker, table: &TableName, module: &str, arg: &str) -> Result<()> {
    let arg = arg.trim();
    // As `fts3InitVtab`: `tokenize` followed by a character that is no identifier
    // character starts a tokenizer specification; its first word is the name.
    if let Some(spec) = fts3_tokenizer_spec(arg) {
        let name: Vec<String> = fts3_first_token(spec).into_iter().collect();
        tokenizer(w, module, &name, FTS3_TOKENIZERS);
        return Ok(());
    }
    // FTS3 reads `key=value` as a column name and FTS4 as an option; both are read as
    // options here (stricter for FTS3).
    let Some((key, value)) = arg.split_once('=') else { return Ok(()) };
    let key = dequote(key.trim());
    let option = FTS4_OPTIONS.iter().find(|o| same(o, &key));
    match option.copied() {
        Some("compress" | "uncompress") => w.need(Need::Admin(format!(
            "an FTS4 `{key}=` option, which names a function SQLite calls on the data"
        ))),
        Some("content") => content(w, table, value)?,
        Some(_) => {}
        None => w.need(Need::Admin(format!("an FTS4 option the gate does not know: `{key}`"))),
    }
    Ok(())
}

/// One argument of an FTS5 table: an option (`key = value`) or a column.
fn fts5_argument(w: &mut Walker, table: &TableName, arg: &str) -> Result<()> {
    let Some((key, value)) = arg.split_once('=') else { return Ok(()) };
    let key = dequote(key.trim());
    let option = FTS5_OPTIONS.iter().find(|o| same(o, &key)).copied();
    match option {
        Some("content") => content(w, table, value)?,
        Some("tokenize") => {
            let words = fts5_words(&dequote(value.trim()));
            tokenizer(w, "fts5", &words, FTS5_TOKENIZERS);
        }
        Some(_) => {}
        None => {
            let abbreviated = FTS5_OPTIONS
                .iter()
                .any(|o| o.get(..key.len()).is_some_and(|head| same(head, &key)));
            w.need(Need::Admin(if abbreviated {
                format!("an abbreviated FTS5 option `{key}` (SQLite reads a prefix as the option)")
            } else {
                format!("an FTS5 option the gate does not know: `{key}`")
            }));
        }
    }
    Ok(())
}

/// `content=` (external content): the table it names is read whenever the full-text
/// table is; empty is a contentless table.
fn content(w: &mut Walker, table: &TableName, value: &str) -> Result<()> {
    let value = dequote(value.trim());
    if !value.is_empty() {
        w.need_table(TableName::new(table.schema.clone(), checked(value)?), Action::DataRead);
    }
    Ok(())
}

/// A tokenizer named by `words` (its name first, then its arguments) is allowed only
/// if it is one of `builtin`; FTS5's `porter` wraps the tokenizer named after it.
fn tokenizer(w: &mut Walker, module: &str, words: &[String], builtin: &[&str]) {
    let mut words = words.iter();
    loop {
        match words.next() {
            Some(name) if listed(builtin, name) => {
                if !(module == "fts5" && same(name, "porter")) {
                    return;
                }
            }
            // `porter` alone wraps `unicode61`; no words at all is the default.
            None => return,
            Some(name) => {
                w.need(Need::Admin(format!(
                    "a `{module}` tokenizer that is not built into SQLite: `{name}`"
                )));
                return;
            }
        }
    }
}

/// `fts5vocab` / `fts4aux`: the full-text table whose index they expose, named by the
/// arguments before the last `trailing` ones: `table`, or `schema, table` (else the
/// table's own schema).
fn index_reader(
    w: &mut Walker,
    table: &TableName,
    module: &str,
    args: &[&str],
    trailing: usize,
) -> Result<()> {
    let names: Vec<String> =
        args.iter().take(args.len().saturating_sub(trailing)).map(|a| dequote(a.trim())).collect();
    let source = match names.as_slice() {
        [name] => TableName::new(table.schema.clone(), checked(name.clone())?),
        [schema, name] => TableName::new(Schema::from_prefix(schema), checked(name.clone())?),
        _ => {
            w.need(Need::Admin(format!("a `{module}` table without a named source")));
            return Ok(());
        }
    };
    w.need_table(source, Action::DataRead);
    Ok(())
}

/// The tokenizer specification of an FTS3 / FTS4 argument (`tokenize=porter`,
/// `tokenize porter`, `tokenize(porter)`), if it is one.
fn fts3_tokenizer_spec(arg: &str) -> Option<&str> {
    let (head, rest) = arg.split_at_checked(8)?;
    let mut chars = rest.chars();
    let separator = chars.next()?;
    (same(head, "tokenize") && !is_fts3_id_char(separator)).then_some(chars.as_str())
}

/// The first token of an FTS3 tokenizer specification, as `sqlite3Fts3NextToken`
/// reads it (a quoted string or a run of identifier characters), dequoted.
fn fts3_first_token(spec: &str) -> Option<String> {
    let rest = spec.trim_start_matches(|c: char| !is_fts3_id_char(c) && !"'\"`[".contains(c));
    let end = match rest.chars().next()? {
        '\'' | '"' | '`' | '[' => quoted_len(rest),
        _ => rest.find(|c: char| !is_fts3_id_char(c)).unwrap_or(rest.len()),
    };
    let (token, _) = rest.split_at_checked(end)?;
    Some(dequote(token))
}

/// `sqlite3Fts3IsIdChar`: letters, digits, `_`, `$` and every non-ASCII character.
fn is_fts3_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// The words of an FTS5 tokenizer value (`porter unicode61 remove_diacritics 1`), each
/// a bare word or a quoted string, dequoted.
fn fts5_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = value.trim_start();
    while let Some(first) = rest.chars().next() {
        let end = match first {
            '\'' | '"' | '`' | '[' => quoted_len(rest),
            _ => rest.find(char::is_whitespace).unwrap_or(rest.len()),
        };
        let (word, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
        words.push(dequote(word));
        rest = after.trim_start();
    }
    words
}

/// The length of the quoted token at the start of `text` (`'..'`, `".."`, `` `..` ``
/// with a doubled quote inside standing for one, `[..]`); all of `text` if unclosed.
fn quoted_len(text: &str) -> usize {
    let Some(open) = text.chars().next() else { return 0 };
    let close = if open == '[' { ']' } else { open };
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == close {
            if close != ']' && chars.peek().map(|&(_, next)| next) == Some(close) {
                chars.next();
                continue;
            }
            return i + 1;
        }
    }
    text.len()
}
