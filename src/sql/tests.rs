//! Unit tests, one per row of the spec's table.
