//! A statement's parameters, numbered as SQLite numbers them
//! (`sqlite3ExprAssignVarNumber`): what `sqlite3_bind_parameter_count` and
//! `sqlite3_bind_parameter_name` report, and what Hrana's `describe` answers.
//!
//! In the order of the text: `?` takes the next number; `?NNN` takes number NNN (1 to
//! [`MAX_VARIABLE_NUMBER`]) and raises the count to it; `:name`, `@name`, `$name` take the
//! number that name already has, else the next one. A number's name is the first one
//! given to it (`?NNN` is named `"?NNN"`); a plain `?` leaves it unnamed. The tokens
//! come from the pre-scan (`scan.rs`), which already reads every token of the text.

use std::collections::HashSet;

/// SQLite's default `SQLITE_MAX_VARIABLE_NUMBER`: the highest parameter number.
pub const MAX_VARIABLE_NUMBER: usize = 32766;

/// The parameters of one statement from its parameter tokens in text order: index `i`
/// is parameter number `i + 1`, its name or `None`. `Err` with SQLite's message when
/// SQLite would refuse the numbering (`?0`, a number over [`MAX_VARIABLE_NUMBER`], too
/// many parameters).
pub(crate) fn number<'a>(
    tokens: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Option<String>>, String> {
    let mut names: Vec<Option<String>> = Vec::new();
    let mut named: HashSet<&str> = HashSet::new();
    for token in tokens {
        match token.strip_prefix('?') {
            Some("") => names.push(None),
            Some(digits) => {
                let number = digits
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_VARIABLE_NUMBER).contains(n))
                    .ok_or_else(|| {
                        format!("variable number must be between ?1 and ?{MAX_VARIABLE_NUMBER}")
                    })?;
                if number > names.len() {
                    names.resize(number, None);
                }
                if let Some(slot @ None) = names.get_mut(number - 1) {
                    *slot = Some(token.to_owned());
                }
            }
            None => {
                if named.insert(token) {
                    names.push(Some(token.to_owned()));
                }
            }
        }
        if names.len() > MAX_VARIABLE_NUMBER {
            return Err("too many SQL variables".to_owned());
        }
    }
    Ok(names)
}
