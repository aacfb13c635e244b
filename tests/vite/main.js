// Runs in Chromium (tests/js/vite.test.mjs), bundled by Vite in dev and build mode: the
// package's `browser` entry, its .wasm located through new URL(..., import.meta.url).
import * as api from 'libsql-authz';

const result = { names: Object.keys(api).sort() };
try {
  api.checkStatement({}, 'SELECT 1');
} catch (error) {
  result.error = { isAuthzError: error instanceof api.AuthzError, code: error.code };
}
try {
  const { privateJwk, publicJwk } = api.generateKeyPair();
  const token = api.createToken(privateJwk, { database: 'db1' });
  result.database = api.verifyToken(token, { keys: [publicJwk] }, { database: 'db1' }).database;
} catch (error) {
  result.tokens = `${error.code}: ${error.message}`;
}
document.getElementById('result').textContent = JSON.stringify(result);
