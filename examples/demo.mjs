// `make demo`: one key pair, three tokens (database, group, fine-grained read-only),
// each verified for a request and its grant printed, then a few statements checked.
import { AuthzError, checkStatement, createToken, generateKeyPair, verifyToken } from '../pkg/node.mjs';

const { kid, privateJwk, publicJwk } = generateKeyPair();
const jwks = { keys: [publicJwk] };
console.log(`key pair ${kid}; public JWKS:\n${JSON.stringify(jwks)}\n`);

const request = { database: 'db1', group: 'g1' };
const tokens = {
  'database token (id: db1)': createToken(privateJwk, { database: 'db1', expiration: '7d' }),
  'group token (gid: g1)': createToken(privateJwk, { group: 'g1', expiration: '1d' }),
  'fine-grained read-only token': createToken(privateJwk, {
    database: 'db1', readOnly: true, permissions: ['comments,posts:data_read'], expiration: '12h',
  }),
};

for (const [label, token] of Object.entries(tokens)) {
  const grant = verifyToken(token, jwks, request);
  console.log(`${label}\n  ${token.slice(0, 48)}...`);
  console.log(`  grant: ${JSON.stringify({
    database: grant.database, group: grant.group, readOnly: grant.readOnly,
    permissions: grant.permissions, expiresAt: grant.expiresAt && new Date(grant.expiresAt * 1000).toISOString(),
  })}`);
  for (const sql of ['SELECT * FROM comments', 'DELETE FROM posts WHERE id = 1']) {
    const decision = checkStatement(grant, sql);
    console.log(`  ${decision.allowed ? 'allowed' : 'denied '}  ${sql}${decision.error ? `  (${decision.error.code})` : ''}`);
  }
  console.log();
}

try {
  verifyToken(tokens['database token (id: db1)'], jwks, { database: 'db2' });
} catch (error) {
  if (!(error instanceof AuthzError)) throw error;
  console.log(`database token used for db2: ${error.code}: ${error.message}`);
}
