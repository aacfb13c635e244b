#!/usr/bin/env bash
# Builds the npm package in pkg/: one .wasm (wasm-pack, then wasm-opt from npm's
# binaryen), the wasm-bindgen `--target web` glue as ESM and CommonJS, the entry
# points from js/ and the hand-written index.d.ts. pkg/ is build output: never edit it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*"; }
started=$SECONDS
out=target/wasm-pack
pkg=pkg
name=libsql_authz

step "wasm-pack build --release --target web"
wasm-pack --log-level warn build --release --target web --no-pack --no-typescript --out-dir "$out"

# Debian's binaryen 108 breaks today's wasm-bindgen output; npm's binaryen is pinned in
# package.json. The features are those the Rust wasm32 target emits.
wasm_opt=node_modules/.bin/wasm-opt
[[ -x $wasm_opt ]] || { echo "missing $wasm_opt: run scripts/setup.sh" >&2; exit 1; }
rm -rf "$pkg" && mkdir -p "$pkg"
# --converge repeats the passes until the size stops shrinking (about 1 KB gzipped for
# 20 s more); the producers / target-features sections are metadata no runtime reads.
step "wasm-opt -Oz --converge ($("$wasm_opt" --version))"
"$wasm_opt" -Oz --converge --strip-producers --strip-target-features --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-multivalue --enable-mutable-globals \
  "$out/${name}_bg.wasm" -o "$pkg/${name}_bg.wasm"

step "assemble $pkg/"
# The glue points TypeScript at wasm-bindgen's own typings; index.d.ts replaces them.
grep -v '^/\* @ts-self-types=' "$out/$name.js" > "$pkg/$name.js"
cp js/api.js js/errors.js js/wire.js js/node.mjs js/node.cjs js/workerd.js js/browser.js "$pkg/"
# The token CLI (`bin`), its keystore, and the remote JWKS and host crypto that the
# entries use.
cp js/cli.js js/keystore.js js/keystore-file.js js/keystore.d.ts js/remote-jwks.js js/host-crypto.js "$pkg/"
chmod +x "$pkg/cli.js"
# The Node entries ship as one file each with everything they load (the glue, the API,
# remote-jwks, host-crypto): Node's loaders cost about half a millisecond per module at
# a cold start (CHANGELOG, performance levers). For node.cjs, esbuild also turns those ES
# modules into CommonJS; the glue's `import.meta.url` (reached only when no module is
# passed to its init) becomes this file's URL. The ESM files stay for the other entries
# (workerd.js, browser.js) and for the tests that reach inside an instance.
bundle() { # entry, format, extra esbuild arguments
  node_modules/.bin/esbuild "$pkg/$1" --bundle --format="$2" --platform=node --log-level=warning \
    --allow-overwrite --outfile="$pkg/$1" "${@:3}" \
    --banner:js="// Built by scripts/build.sh from js/$1 and the modules it loads (esbuild).${banner_extra:-}"
}
bundle node.mjs esm
# ('use strict' first: the converted ES modules are strict code.)
banner_extra=$'\n'"'use strict';"$'\n'"const import_meta_url = require('node:url').pathToFileURL(__filename).href;" \
  bundle node.cjs cjs --define:import.meta.url=import_meta_url
cp js/index.d.ts "$pkg/index.d.ts"
cp js/index.d.ts "$pkg/index.d.cts"
cp README.md "$pkg/"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" js/package.json > "$pkg/package.json"

raw=$(wc -c < "$pkg/${name}_bg.wasm")
gz=$(gzip -9 -c "$pkg/${name}_bg.wasm" | wc -c)
before=$(wc -c < "$out/${name}_bg.wasm")
step "built $pkg/ in $((SECONDS - started)) s: ${name}_bg.wasm $raw bytes ($gz gzipped; $before before wasm-opt)"
