// Runs inside workerd (tests/js/workerd.test.mjs): the package's `workerd` entry, with the
// .wasm imported as a module, as a Cloudflare Worker bundle has it.
import * as api from './libsql-authz/workerd.js';

const API = [
  'AuthzError', 'Grant', 'Verifier', 'analyzeStatement', 'checkStatement',
  'createRemoteJwks', 'createToken', 'generateKeyPair', 'verifyToken',
];

function expectCode(fn, code) {
  try {
    fn();
  } catch (error) {
    if (error instanceof api.AuthzError && error.code === code) return;
    throw new Error(`expected ${code}, got ${error && error.code}: ${error}`);
  }
  throw new Error(`expected ${code}, nothing thrown`);
}

// The entry loads and errors come back as AuthzError with their codes.
export const entry = {
  async test() {
    const names = Object.keys(api).sort().join();
    if (names !== API.join()) throw new Error(`exports: ${names}`);
    expectCode(() => api.checkStatement({}, 'SELECT 1'), 'ERR_OPTIONS_INVALID');
    expectCode(() => api.verifyToken('a.b.c', { keys: [] }, { databse: 'db1' }), 'ERR_OPTIONS_INVALID');
  },
};

// Mint and verify inside the Worker (randomness from crypto.getRandomValues).
export const tokens = {
  async test() {
    const { privateJwk, publicJwk } = api.generateKeyPair();
    const token = api.createToken(privateJwk, { database: 'db1', permissions: ['comments:data_read'] });
    const grant = api.verifyToken(token, { keys: [publicJwk] }, { database: 'db1' });
    if (grant.database !== 'db1' || !grant.allows('comments', 'data_read')) throw new Error('wrong grant');
    if (!api.checkStatement(grant, 'SELECT * FROM comments').allowed) throw new Error('SELECT denied');
    expectCode(() => api.verifyToken(token, { keys: [publicJwk] }, { database: 'db2' }), 'ERR_TOKEN_SCOPE');
  },
};
