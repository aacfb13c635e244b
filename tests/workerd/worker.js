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

// The remote key set, created at module scope as a Worker would (nothing fetched here),
// with a fake fetch: the package's bound createRemoteJwks and its synced Verifier.
let served = null;
let fetches = 0;
const remote = api.createRemoteJwks('https://keys.example/app.jwks.json', {
  fetch: async () => {
    fetches += 1;
    return new Response(JSON.stringify(served));
  },
});
export const remoteJwks = {
  async test() {
    if (fetches !== 0) throw new Error('fetched at module scope');
    const { privateJwk, publicJwk } = api.generateKeyPair();
    served = { keys: [publicJwk] };
    const verifier = remote.verifier({ database: 'db1' });
    const grants = await Promise.all([1, 2, 3].map(() => verifier.verify(api.createToken(privateJwk, { database: 'db1' }))));
    if (!grants.every((grant) => grant instanceof api.Grant && grant.database === 'db1')) throw new Error('wrong grant');
    if (fetches !== 1) throw new Error(`${fetches} fetches`);
    try {
      await verifier.verify(api.createToken(privateJwk, { database: 'db2' }));
    } catch (error) {
      if (error instanceof api.AuthzError && error.code === 'ERR_TOKEN_SCOPE') return;
      throw error;
    }
    throw new Error('a token for db2 was accepted');
  },
};
