// Inside workerd, timers do not advance during synchronous work, so the Worker only
// runs operations: GET /?case=NAME&n=N runs case NAME N times; benches/workerd/run.mjs
// times the requests from outside and subtracts an n=0 request.
import * as authz from './libsql-authz/workerd.js';
import { Parser, importJWK, jwtVerify } from './peers.js';
import data from './data.json';
import { decodeBase64Url, derSignature } from './libsql-authz/host-crypto.js';

let cases = null;
async function setup() {
  const out = {};
  const now = data.now;
  for (const [alg, tokens] of Object.entries(data.fresh)) {
    const jwk = data.jwks.keys.find((k) => k.alg === alg);
    const key = await importJWK(jwk, alg);
    let verifier = null;
    out[`first-seen ${alg}|libsql-authz Verifier`] = (i) => {
      const k = i % tokens.length;
      if (k === 0) {
        verifier?.free();
        verifier = new authz.Verifier(data.jwks, { database: 'db1' });
      }
      verifier.verify(tokens[k], { now });
    };
    out[`first-seen ${alg}|jose jwtVerify (WebCrypto key)`] = (i) =>
      jwtVerify(tokens[i % tokens.length], key, { currentDate: new Date(now * 1000) });
    // The floor: workerd's node:crypto (BoringSSL) verifying the same signing input,
    // tokens pre-split, as the package's host does it (ES256 as DER).
    const nodeCrypto = process.getBuiltinModule('node:crypto');
    const keyObject = nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' });
    const split = tokens.map((t) => {
      const dot = t.lastIndexOf('.');
      const signature = decodeBase64Url(t.slice(dot + 1));
      return [
        new TextEncoder().encode(t.slice(0, dot)),
        alg === 'ES256' ? derSignature(signature) : signature,
      ];
    });
    const digest = alg === 'EdDSA' ? null : 'sha256';
    out[`first-seen ${alg}|node:crypto verify (floor: signature only)`] = (i) => {
      const [message, signature] = split[i % split.length];
      if (!nodeCrypto.verify(digest, message, keyObject, signature))
        throw new Error('bad signature');
    };
    const repeated = new authz.Verifier(data.jwks, { database: 'db1' });
    out[`repeated ${alg}|libsql-authz Verifier`] = () => repeated.verify(tokens[0], { now });
    out[`repeated ${alg}|jose jwtVerify (WebCrypto key)`] = () =>
      jwtVerify(tokens[0], key, { currentDate: new Date(now * 1000) });
  }
  const grant = authz.verifyToken(data.fresh.EdDSA[0], data.jwks, { now });
  const parser = new Parser();
  for (const [label, sql] of Object.entries(data.statements)) {
    out[`statement: ${label}|libsql-authz checkStatement`] = () => authz.checkStatement(grant, sql);
    out[`statement: ${label}|node-sql-parser tableList`] = () =>
      parser.tableList(sql, { database: 'sqlite' });
    const texts = data.firstSeen[label];
    out[`statement (first seen): ${label}|libsql-authz checkStatement`] = (i) =>
      authz.checkStatement(grant, texts[i % texts.length]);
    out[`statement (first seen): ${label}|node-sql-parser tableList`] = (i) =>
      parser.tableList(texts[i % texts.length], { database: 'sqlite' });
  }
  return out;
}

export default {
  async fetch(request) {
    cases ??= await setup();
    const url = new URL(request.url);
    if (url.pathname === '/cases') return Response.json(Object.keys(cases));
    const fn = cases[url.searchParams.get('case')];
    const n = Number(url.searchParams.get('n'));
    if (!fn) return new Response('no such case', { status: 404 });
    for (let i = 0; i < n; i++) {
      const r = fn(i);
      if (r && typeof r.then === 'function') await r;
    }
    return new Response('ok');
  },
};
