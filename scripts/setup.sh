#!/usr/bin/env bash
# Installs what building and testing need, on a fresh machine or an old one: the
# wasm32 Rust target, wasm-pack, wasm-bindgen-cli at exactly the wasm-bindgen version in
# Cargo.lock, the npm dev dependencies pinned in package-lock.json (binaryen's
# wasm-opt, jose, typescript, workerd, vite, playwright-core), those of www/ and
# gateway/ (their own package-lock.json) and Debian's chromium for the browser
# tests. Idempotent: what is present at the right version is kept.
# Needs rustup/cargo and Node >= 20.19 with npm; it cannot install those.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }
# version_ge A B: A >= B for dotted versions.
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]; }

# Oldest wasm-pack with `--no-pack` and `build --target web` as scripts/build.sh uses them.
WASM_PACK_MIN=0.13.0
# Vite 7 (the browser test) needs 20.19.
NODE_MIN=20.19.0

command -v cargo >/dev/null || fail "cargo not found: install Rust with rustup (https://rustup.rs)"
command -v rustup >/dev/null || fail "rustup not found: the wasm32 target is installed with rustup"
command -v node >/dev/null || fail "node not found: install Node >= $NODE_MIN"
command -v npm >/dev/null || fail "npm not found"
node_version=$(node --version | sed 's/^v//')
version_ge "$node_version" "$NODE_MIN" || fail "Node $node_version is too old: need >= $NODE_MIN"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rust target wasm32-unknown-unknown: present"
else
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# clippy: `make test` lints with the panic-free deny set (src/lib.rs).
if cargo clippy --version >/dev/null 2>&1; then
  step "clippy: present"
else
  step "rustup component add clippy"
  rustup component add clippy
fi

have_wasm_pack=$(wasm-pack --version 2>/dev/null | awk '{print $2}' || true)
if [[ -n $have_wasm_pack ]] && version_ge "$have_wasm_pack" "$WASM_PACK_MIN"; then
  step "wasm-pack $have_wasm_pack: present"
else
  step "cargo install wasm-pack (found '${have_wasm_pack:-none}', need >= $WASM_PACK_MIN; about 4 minutes)"
  cargo install wasm-pack --force
fi

# The one source of truth for the wasm-bindgen version is Cargo.lock.
want_bindgen=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[[ -n $want_bindgen ]] || fail "no wasm-bindgen in Cargo.lock"
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
have_runner=$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)
if [[ $have_bindgen == "$want_bindgen" && $have_runner == "$want_bindgen" ]]; then
  step "wasm-bindgen-cli $have_bindgen: present"
else
  # Without --locked: one of its locked dependencies is missing from the registry this
  # kind of machine installs from.
  step "cargo install wasm-bindgen-cli --version $want_bindgen (found '${have_bindgen:-none}'; about 4 minutes)"
  cargo install wasm-bindgen-cli --version "$want_bindgen" --force
fi

# cargo-fuzz for `make test`'s fuzz smoke (scripts/fuzz.sh). libFuzzer needs the nightly
# toolchain, which this kind of machine ships and no registry here provides: without it
# the smoke is skipped and tests/regressions.rs still replays the corpora on stable.
if ! cargo +nightly --version >/dev/null 2>&1; then
  step "cargo-fuzz: no nightly toolchain, fuzz smoke will be skipped"
elif command -v cargo-fuzz >/dev/null; then
  step "cargo-fuzz $(cargo fuzz --version 2>/dev/null | awk '{print $2}'): present"
else
  step "cargo install cargo-fuzz (about 2 minutes)"
  cargo install cargo-fuzz
fi

# npm install (from the lock) unless node_modules was installed from this very lock.
# Not `npm ci`: the lock holds only this platform's optional packages of rollup and
# esbuild (the registry this kind of machine installs from has no others) and `npm ci`
# refuses such a lock;
# `npm install` installs exactly what it pins and leaves it unchanged.
# The same for the playground (www/: vite, playwright-core) and the gateway
# (gateway/: wrangler, which brings miniflare and workerd; @libsql/client,
# @tursodatabase/serverless, esbuild, playwright-core and the `turso` server for its tests).
# Their `libsql-authz` is the packed tarball, installed by scripts/install-packed.sh.
for dir in . www gateway; do
  lock_sum=$(sha256sum "$dir/package-lock.json" | cut -d ' ' -f 1)
  if [[ -f $dir/node_modules/.setup-lock-sha256 && $(cat "$dir/node_modules/.setup-lock-sha256") == "$lock_sum" ]]; then
    step "npm dependencies of $dir: present"
  else
    step "npm install in $dir ($dir/package-lock.json)"
    (cd "$dir" && npm install --no-audit --no-fund)
    echo "$lock_sum" > "$dir/node_modules/.setup-lock-sha256"
  fi
done
want_binaryen=$(node -p 'require("./package.json").devDependencies.binaryen.split(".")[0]')
have_binaryen=$(node_modules/.bin/wasm-opt --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
[[ $have_binaryen == "$want_binaryen" ]] || fail "wasm-opt is version '$have_binaryen', expected $want_binaryen: rm -rf node_modules and rerun"

# workerd's binary is an optional dependency for this platform; npm 11 does not run
# its postinstall, which the binary does not need.
have_workerd=$(node_modules/.bin/workerd --version 2>/dev/null || true)
[[ -n $have_workerd ]] || fail "node_modules/.bin/workerd does not run: the Workers test needs @cloudflare/workerd-linux-64 (or your platform's)"

# The browser test drives Debian's chromium (playwright cannot download browsers here).
if command -v chromium >/dev/null; then
  step "$(chromium --version 2>/dev/null | head -n 1): present"
elif command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  step "apt-get install chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
else
  fail "chromium not found: install Debian's chromium package (the browser test uses /usr/bin/chromium)"
fi

step "setup done: $(wasm-pack --version), wasm-bindgen $want_bindgen, wasm-opt $have_binaryen, $have_workerd, node $node_version"
