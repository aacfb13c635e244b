# Every target runs scripts/setup.sh first (idempotent: it installs only what is missing
# or at the wrong version), so `make demo` and `make test` work on a fresh machine.
.PHONY: setup build test demo lint fuzz fuzz-smoke

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

# Host unit tests of the core, then the bindings inside wasm (Node), then the package.
# The wasm step is what `wasm-pack test --node --lib` would run, minus its
# `cargo build --tests`, which also builds the integration tests: those use SQLite's C
# (rusqlite), which does not build for wasm32.
test: setup lint
	cargo test
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target wasm32-unknown-unknown --lib
	bash scripts/build.sh
	node --test tests/js/
	bash scripts/fuzz.sh 5

demo: build
	node examples/demo.mjs

# Clippy with the deny set of src/lib.rs (no unwrap, expect, indexing, panic, ... outside
# tests), on the host and for wasm32 (the bindings).
lint: setup
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

# Fuzzing (nightly + cargo-fuzz; skipped with a message when they are missing). The
# stable `cargo test` replays the seeds and every kept crash input (tests/regressions.rs).
fuzz-smoke:
	bash scripts/fuzz.sh 5

fuzz:
	bash scripts/fuzz.sh $${FUZZ_SECONDS:-300}
