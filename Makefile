# Every target runs scripts/setup.sh first (idempotent: it installs only what is missing
# or at the wrong version), so `make demo` and `make test` work on a fresh machine.
.PHONY: setup build test demo bench lint format fuzz fuzz-smoke

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

# Host tests (unit, SQLite differential, fuzz replays), then `wasm-pack test --node` as
# users run it (the core's unit tests and the bindings' inside wasm, in Node; the host-only
# targets compile to nothing there), then the package.
test: setup lint
	cargo test
	wasm-pack test --node
	bash scripts/build.sh
	node --test tests/js/
	# The packed tarball (npm pack pkg/) in the playground and the gateway, as users get it.
	bash scripts/install-packed.sh www gateway >/dev/null
	cd www && npm test
	cd gateway && npm test
	cd gateway && node scripts/serve.mjs --check
	bash scripts/fuzz.sh 5

# The gateway (gateway/) in workerd with its Platform API and two databases: prints a token
# of each kind, the URLs and credentials of the three official packages and a snippet for
# each, serves until Ctrl-C. DEMO_EXIT_AFTER=1 (or `make demo DEMO_ARGS=--check`): run the
# snippets with each token, print, exit.
demo: build
	bash scripts/install-packed.sh gateway >/dev/null
	cd gateway && node scripts/serve.mjs $(DEMO_ARGS)

# Benchmarks (not part of `test`): criterion on the core, then the package side by side
# with its peers in Node and inside workerd; rewrites BENCHMARKS.md's table and
# benches/results/ (JSON + SVG chart). See BENCHMARKS.md.
bench: build
	cargo bench --bench core > target/criterion.log 2>&1 || { cat target/criterion.log; exit 1; }
	cat target/criterion.log
	{ echo "# cargo bench --bench core, $$(date -u +%FT%RZ), native x86-64, release profile (opt-level z; this crate 2, sqlite3-parser and base64 3), shared 2-core machine"; \
	  echo "# name  time: [lower median upper] (criterion's estimate)"; \
	  awk '/%/ { next } /^[[:space:]]+time:/ { print name, $$0; next } /time:/ { print; next } /^[^[:space:]]/ && !/^(Benchmarking|Found|Gnuplot|Running|Finished|Compiling)/ { name = $$0 }' target/criterion.log | sed 's/  */ /g'; \
	} > benches/results/criterion.txt
	node benches/workerd/run.mjs
	node benches/node/bench.mjs --update-doc

# Formatting (rustfmt.toml, biome.json) and lints: rustfmt and Clippy with the deny set
# of src/lib.rs (no unwrap, expect, indexing, panic, ... outside tests), on the host and
# for wasm32 (the bindings); Biome (pinned in package-lock.json) formats and lints the
# JavaScript and TypeScript, warnings included. `make format` rewrites what they would.
lint: setup
	cargo fmt --check
	cargo fmt --check --manifest-path fuzz/Cargo.toml
	npx --no-install biome ci --colors=off --error-on-warnings .
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

format:
	cargo fmt
	cargo fmt --manifest-path fuzz/Cargo.toml
	npx --no-install biome check --write .

# Fuzzing (nightly + cargo-fuzz; skipped with a message when they are missing). The
# stable `cargo test` replays the seeds and every kept crash input (tests/regressions.rs).
fuzz-smoke:
	bash scripts/fuzz.sh 5

fuzz:
	bash scripts/fuzz.sh $${FUZZ_SECONDS:-300}
