//! The decision: a Grant against the analysis of a statement. (STUB)
