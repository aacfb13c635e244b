import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Which `libsql-authz` the page imports.
// - The real package as soon as www/package.json depends on it
//   (`"libsql-authz": "file:../pkg"`): nothing else to change.
// - TEMPORARY: until then, the stand-in in ./dev-stub (fake results).
// LIBSQL_AUTHZ_STUB=1 forces the stand-in, LIBSQL_AUTHZ_STUB=0 forces the package.
const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const declared = Boolean(pkg.dependencies?.["libsql-authz"] ?? pkg.devDependencies?.["libsql-authz"]);
const flag = process.env.LIBSQL_AUTHZ_STUB;
const useStub = flag === "1" || (flag !== "0" && !declared);

export default defineConfig({
  resolve: {
    alias: useStub
      ? { "libsql-authz": fileURLToPath(new URL("./dev-stub/index.js", import.meta.url)) }
      : {},
  },
  define: {
    __AUTHZ_STAND_IN__: JSON.stringify(useStub),
  },
  // The package's browser entry initialises its wasm with top-level await and finds
  // the .wasm with `new URL(..., import.meta.url)`: keep it out of dependency
  // pre-bundling (which would break that URL) and build for a target with TLA.
  optimizeDeps: { exclude: ["libsql-authz"] },
  build: {
    target: "es2022",
    // Ship the .wasm as its own file (cacheable, compiled while streaming), never inlined.
    assetsInlineLimit: (file) => (file.endsWith(".wasm") ? false : undefined),
  },
  // `file:../pkg` is a symlink outside this folder; let the dev server read it.
  server: { fs: { allow: [".."] } },
});
