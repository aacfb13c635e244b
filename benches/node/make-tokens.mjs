// Writes benches/data/tokens.json: one token per algorithm, signed with the test
// fixtures' keys (tests/fixtures), valid from 2026-01-01 to 2100-01-01, and the public
// JWKS. Read by the criterion bench (benches/core.rs). Run once; the output is committed.
import { readFileSync, writeFileSync } from 'node:fs';
import { SignJWT, importJWK } from 'jose';

const root = new URL('../../', import.meta.url);
const fixture = (name) => JSON.parse(readFileSync(new URL(`tests/fixtures/${name}`, root), 'utf8'));
const files = {
  EdDSA: 'ed25519.private.jwk.json',
  RS256: 'rsa2048.private.jwk.json',
  ES256: 'p256.private.jwk.json',
};
const out = { now: 1_800_000_000, tokens: {}, jwks: { keys: [] } };
for (const [alg, file] of Object.entries(files)) {
  const { d, p, q, dp, dq, qi, ...pub } = fixture(file);
  const kid = `k-${alg}`;
  out.jwks.keys.push({ ...pub, alg, kid });
  out.tokens[alg] = await new SignJWT({
    id: 'db1',
    a: 'rw',
    perm: [{ t: ['comments'], a: ['data_read', 'data_add'] }],
  })
    .setProtectedHeader({ alg, typ: 'JWT', kid })
    .setIssuedAt(1_767_225_600)
    .setExpirationTime(4_102_444_800)
    .sign(await importJWK({ ...fixture(file), alg }, alg));
}
writeFileSync(new URL('benches/data/tokens.json', root), `${JSON.stringify(out, null, 2)}\n`);
