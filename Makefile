# Every target runs scripts/setup.sh first (idempotent: it installs only what is missing
# or at the wrong version), so `make demo` and `make test` work on a fresh machine.
.PHONY: setup build test demo

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

# Host unit tests of the core, then the bindings inside wasm (Node), then the package.
test: setup
	cargo test
	wasm-pack test --node -- --lib
	bash scripts/build.sh
	node --test tests/js/

demo: build
	node examples/demo.mjs
