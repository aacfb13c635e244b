//! A bounded memo of analyses: the same SQL text always has the same analysis, and
//! applications send the same few texts over and over (prepared statements with `?`
//! parameters), so a text seen before skips the parser.
//!
//! Only the analysis is remembered, never a decision: the grant is checked against it
//! on every call. Errors are remembered like successes (they too depend on the text
//! alone). Texts longer than [`MAX_CACHED_SQL_BYTES`] are analysed every time; when
//! [`MAX_CACHED_ANALYSES`] texts are remembered the memo starts over.

use std::collections::HashMap;
use std::sync::Arc;

use crate::limits::{MAX_CACHED_ANALYSES, MAX_CACHED_SQL_BYTES};
use crate::sql::{analyze, Analysis};

/// Analyses of SQL texts seen before.
///
/// ```
/// use libsql_authz::sql::{analyze, AnalysisCache};
/// let mut cache = AnalysisCache::default();
/// let first = cache.analyze("SELECT * FROM posts WHERE id = ?");
/// let again = cache.analyze("SELECT * FROM posts WHERE id = ?");
/// assert!(std::sync::Arc::ptr_eq(&first, &again));
/// assert_eq!(*again, analyze("SELECT * FROM posts WHERE id = ?"));
/// ```
#[derive(Debug, Default, Clone)]
pub struct AnalysisCache {
    analyses: HashMap<Box<str>, Arc<Analysis>>,
}

impl AnalysisCache {
    /// The analysis of `sql`: remembered, or made by [`analyze`] (and remembered when
    /// `sql` is short enough).
    pub fn analyze(&mut self, sql: &str) -> Arc<Analysis> {
        if let Some(analysis) = self.analyses.get(sql) {
            return Arc::clone(analysis);
        }
        let analysis = Arc::new(analyze(sql));
        if sql.len() <= MAX_CACHED_SQL_BYTES {
            if self.analyses.len() >= MAX_CACHED_ANALYSES {
                self.analyses.clear();
            }
            self.analyses.insert(sql.into(), Arc::clone(&analysis));
        }
        analysis
    }

    /// How many texts are remembered.
    pub fn len(&self) -> usize {
        self.analyses.len()
    }

    /// Whether no text is remembered.
    pub fn is_empty(&self) -> bool {
        self.analyses.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test;

    #[test]
    fn a_text_is_analysed_once_and_served_the_same() {
        let mut cache = AnalysisCache::default();
        let sql = "INSERT INTO t SELECT * FROM u; DROP TABLE v";
        let first = cache.analyze(sql);
        assert_eq!(*first, analyze(sql));
        assert!(Arc::ptr_eq(&first, &cache.analyze(sql)));
        // Another text, however close, is its own entry.
        let spaced = cache.analyze("INSERT INTO t SELECT * FROM u;  DROP TABLE v");
        assert!(!Arc::ptr_eq(&first, &spaced));
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn errors_are_remembered_like_analyses() {
        let mut cache = AnalysisCache::default();
        for sql in ["SELEC 1", "SELECT * FROM", "SELECT 'unterminated"] {
            let first = cache.analyze(sql);
            assert!(first.error.is_some(), "{sql}");
            assert_eq!(*cache.analyze(sql), analyze(sql));
        }
    }

    #[test]
    fn long_texts_are_not_remembered() {
        let mut cache = AnalysisCache::default();
        let just_fits = format!("SELECT 1{}", " ".repeat(MAX_CACHED_SQL_BYTES - 8));
        let too_long = format!("{just_fits} ");
        assert_eq!(just_fits.len(), MAX_CACHED_SQL_BYTES);
        cache.analyze(&just_fits);
        assert_eq!(cache.len(), 1);
        assert_eq!(*cache.analyze(&too_long), analyze(&too_long));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn the_cache_is_bounded() {
        let mut cache = AnalysisCache::default();
        for i in 0..MAX_CACHED_ANALYSES {
            cache.analyze(&format!("SELECT {i}"));
        }
        assert_eq!(cache.len(), MAX_CACHED_ANALYSES);
        cache.analyze("SELECT 'one more'");
        assert_eq!(cache.len(), 1, "full: started over");
    }
}
