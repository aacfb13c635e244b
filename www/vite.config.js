import { defineConfig } from 'vite';

// `libsql-authz` is the real package, installed from its packed tarball
// (scripts/install-packed.sh www, run by `make test` and `make www`).
export default defineConfig({
  // The package's browser entry initialises its wasm with top-level await and finds
  // the .wasm with `new URL(..., import.meta.url)`: keep it out of dependency
  // pre-bundling (which would break that URL) and build for a target with TLA.
  optimizeDeps: { exclude: ['libsql-authz'] },
  build: {
    target: 'es2022',
    // Ship the .wasm as its own file (cacheable, compiled while streaming), never inlined.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
  },
});
