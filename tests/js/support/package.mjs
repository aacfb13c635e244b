// What the tests and benchmarks know of the package's shape, in one place. Imports
// nothing: tests/workerd/worker.js loads it inside workerd too.

/** What every entry point exports, sorted. */
export const API = [
  'AuthzError',
  'Grant',
  'Verifier',
  'analyzeStatement',
  'checkStatement',
  'claimsTemplate',
  'createRemoteJwks',
  'createToken',
  'generateKeyPair',
  'verifyToken',
];

/** The package's modules a Worker bundles with the workerd entry (besides the .wasm). */
export const WORKERD_MODULES = [
  'workerd.js',
  'api.js',
  'errors.js',
  'wire.js',
  'remote-jwks.js',
  'host-crypto.js',
  'libsql_authz.js',
];
