#![no_main]
//! Fuzz target `differential`: see `fuzz/differential.rs` (shared with
//! `tests/regressions.rs`).

#[path = "../differential.rs"]
mod differential;

libfuzzer_sys::fuzz_target!(|data: &[u8]| differential::differential(data));
