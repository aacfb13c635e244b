// What a Vite app using libsql-authz needs (README, "Runtimes"): no pre-bundling of the
// package (its .wasm URL must stay next to its JS) and a target with top-level await.
export default {
  logLevel: 'warn',
  optimizeDeps: { exclude: ['libsql-authz'] },
  build: { target: 'es2022' },
};
