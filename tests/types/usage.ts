// Compiled (never run) by tests/js/types.test.mjs with `tsc --strict`: every function,
// option and result of index.d.ts used as DESIGN.md describes it. The lines under an
// expect-error directive must stay type errors.
import {
  AuthzError, Grant, Verifier, analyzeStatement, checkStatement, createRemoteJwks, createToken,
  generateKeyPair, verifyToken,
} from 'libsql-authz';
import type { Action, Analysis, Decision, ErrorCode, Jwks, KeyPair, Rule, VerifyOptions } from 'libsql-authz';

const pair: KeyPair = generateKeyPair();
const kid: string = pair.kid;
const token: string = createToken(pair.privateJwk, {
  database: 'db1', group: 'g1', readOnly: true, permissions: ['comments:data_read'], expiration: '7d', now: 0,
});
createToken(JSON.stringify(pair.privateJwk), { expiration: 3600 });
const jwks: Jwks = { keys: [pair.publicJwk] };
const options: VerifyOptions = {
  database: 'db1', group: 'g1', now: 0, leeway: 0, algorithms: ['EdDSA'], issuer: ['a', 'b'], audience: 'c',
};
const grant: Grant = verifyToken(token, jwks, options);
verifyToken(token, pair.publicJwk);
verifyToken(token, [pair.publicJwk]);
verifyToken(token, 'base64url-or-pem-or-json');
const database: string | null = grant.database;
const group: string | null = grant.group;
const readOnly: boolean = grant.readOnly;
const rules: Rule[] | null = grant.permissions;
const tables: 'all' | string[] | undefined = rules?.[0]?.tables;
const actions: Action[] | undefined = rules?.[0]?.actions;
const expiresAt: number | null = grant.expiresAt;
const sub: unknown = grant.claims.sub;
const allowed: boolean = grant.allows('main.comments', 'data_add');
// @ts-expect-error: not an action
grant.allows('comments', 'drop');
// @ts-expect-error: unknown option
verifyToken(token, jwks, { databse: 'db1' });
// @ts-expect-error: a Grant is not constructed from JS
new Grant();

const verifier = new Verifier(jwks, { database: 'db1', leeway: 30 });
// @ts-expect-error: `now` is per call
new Verifier(jwks, { now: 0 });
const again: Grant = verifier.verify(token, { now: 0 });
verifier.verify(token);
verifier.updateKeys(jwks);

const decision: Decision = checkStatement(grant, 'SELECT 1');
const first = decision.statements[0];
const accessAction: Action | 'admin' | 'attach' | undefined = first?.accesses[0]?.action;
const deniedTable: string | undefined = decision.denied[0]?.table;
const sqlCode: ErrorCode | undefined = decision.error?.code;
const analysis: Analysis = analyzeStatement('SELECT 1');
const kind: string | undefined = analysis.statements[0]?.kind;
const need: Action | 'admin' | 'attach' | undefined = analysis.statements[0]?.needs[0]?.action;

try {
  verifyToken(token, jwks);
} catch (error) {
  if (error instanceof AuthzError) {
    const code: ErrorCode = error.code;
    const name: 'AuthzError' = error.name;
    void code, name;
  }
}

const remote = createRemoteJwks('https://issuer.example/.well-known/jwks.json', {
  cacheMaxAge: 600_000, cooldown: 30_000, fetch: (url, init) => fetch(url, init),
});
async function fromProvider(): Promise<Grant> {
  return verifyToken(token, await remote.getKeys('kid-1'), { issuer: 'https://issuer.example' });
}

void [kid, database, group, readOnly, tables, actions, expiresAt, sub, allowed, again, accessAction, deniedTable,
  sqlCode, kind, need, fromProvider];
