//! Statement analysis: which tables does this SQL touch, and how? (STUB)
