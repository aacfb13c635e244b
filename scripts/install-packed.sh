#!/usr/bin/env bash
# Packs pkg/ as it would be published (`npm pack`) into target/pack/ and installs that
# tarball into each project given (www, gateway), so they run the package as
# users get it. `--no-save`: their package.json and package-lock.json stay as committed
# (a tarball's integrity changes with every build; they declare `libsql-authz` as an
# optional peer dependency instead, hence `--save-peer`: without it npm sees the
# peer as satisfied-by-absence and installs nothing). Prints the tarball's path.
#   scripts/install-packed.sh [DIR...]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f pkg/package.json ]] || { echo "install-packed: pkg/ is not built (make build)" >&2; exit 1; }
mkdir -p target/pack
rm -f target/pack/libsql-authz-*.tgz
file=$(npm pack ./pkg --pack-destination target/pack --silent 2>/dev/null | tail -n 1)
tgz=$PWD/target/pack/$file
[[ -f $tgz ]] || { echo "install-packed: npm pack made no $tgz" >&2; exit 1; }
for dir in "$@"; do
  printf '==> %s: npm install --no-save %s\n' "$dir" "target/pack/$file" >&2
  (cd "$dir" && npm install --no-save --save-peer --no-audit --no-fund --loglevel=error "$tgz" >&2)
done
echo "$tgz"
