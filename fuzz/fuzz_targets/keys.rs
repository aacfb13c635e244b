#![no_main]
//! Fuzz target `keys`: see `fuzz/targets.rs` (shared with `tests/regressions.rs`).

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::keys(data));
