// Compiled (never run) by tests/js/types.test.mjs with `tsc --strict`: every function,
// option and result of index.d.ts used as DESIGN.md describes it. The lines under an
// expect-error directive must stay type errors.
import {
  AuthzError,
  Grant,
  Verifier,
  analyzeStatement,
  checkStatement,
  createRemoteJwks,
  createToken,
  generateKeyPair,
  verifyToken,
} from 'libsql-authz';
import type {
  Action,
  Analysis,
  Decision,
  ErrorCode,
  FetchLike,
  Jwks,
  KeyPair,
  RemoteJwks,
  RemoteJwksOptions,
  RemoteJwksStatus,
  RemoteVerifier,
  Rule,
  VerifyOptions,
} from 'libsql-authz';

const pair: KeyPair = generateKeyPair();
const kid: string = pair.kid;
const token: string = createToken(pair.privateJwk, {
  database: 'db1',
  group: 'g1',
  readOnly: true,
  permissions: ['comments:data_read'],
  expiration: '7d',
  now: 0,
});
createToken(JSON.stringify(pair.privateJwk), { expiration: 3600 });
const jwks: Jwks = { keys: [pair.publicJwk] };
const options: VerifyOptions = {
  database: 'db1',
  databaseId: '0b7b9d3e-3c1f-4e8e-9a55-6a1f2f7c9d21',
  group: 'g1',
  groupId: 'f3c1a2b4-0000-4000-8000-000000000002',
  now: 0,
  leeway: 0,
  algorithms: ['EdDSA'],
  issuer: ['a', 'b'],
  audience: 'c',
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
    void [code, name];
  }
}

const remote: RemoteJwks = createRemoteJwks('https://issuer.example/.well-known/jwks.json', {
  cacheMaxAge: 600_000,
  cooldown: 30_000,
  fetch: (url, init) => fetch(url, init),
});
// Every option; a minimal fetch with only json() is a FetchLike too.
const minimalFetch: FetchLike = async (url, init) => {
  const accept: string | undefined = init.headers.accept;
  void [url.length, accept, init.method, init.redirect, init.signal?.aborted];
  return { ok: true, status: 200, json: async () => jwks };
};
const remoteOptions: RemoteJwksOptions = {
  cacheMaxAge: 1,
  cooldown: 0,
  timeout: 5_000,
  maxBytes: 1 << 20,
  headers: { authorization: 'Bearer x' },
  fetch: minimalFetch,
  now: () => Date.now(),
};
const other: RemoteJwks = createRemoteJwks(
  new URL('https://keys.example/app.jwks.json'),
  remoteOptions,
);
// @ts-expect-error: unknown option
createRemoteJwks('https://x.example', { coolDown: 5 });
// @ts-expect-error: the clock is a function
createRemoteJwks('https://x.example', { now: 5 });
const remoteVerifier: RemoteVerifier = other.verifier({
  database: 'db1',
  issuer: 'https://issuer.example',
  audience: ['a'],
});
// @ts-expect-error: `now` is per call
other.verifier({ now: 0 });
const current: Verifier | null = remoteVerifier.current;
const status: RemoteJwksStatus = other.status;
const lastError: AuthzError | null = status.lastError;
const fetchedAt: number | null = status.fetchedAt;
const counts: number[] = [status.fetches, status.generation];
const flags: boolean[] = [status.fresh, status.fetching];
const url: string = other.url;
other.reset();
async function fromProvider(): Promise<Grant> {
  const keys: Readonly<Jwks> = await remote.getKeysFor('kid-1');
  await remote.reload();
  verifyToken(token, await remote.getKeys(), { issuer: 'https://issuer.example' });
  new Verifier(keys).updateKeys(keys);
  await remoteVerifier.verify(token);
  return remoteVerifier.verify(token, { now: 0 });
}

void [
  kid,
  database,
  group,
  readOnly,
  tables,
  actions,
  expiresAt,
  sub,
  allowed,
  again,
  accessAction,
  deniedTable,
  sqlCode,
  kind,
  need,
  fromProvider,
  current,
  lastError,
  fetchedAt,
  counts,
  flags,
  url,
];
