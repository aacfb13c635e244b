// CommonJS consumers get the same types (index.d.cts through the `require` condition).
import authz = require('libsql-authz');

const pair: authz.KeyPair = authz.generateKeyPair();
const grant: authz.Grant = authz.verifyToken(authz.createToken(pair.privateJwk), {
  keys: [pair.publicJwk],
});
const decision: authz.Decision = authz.checkStatement(grant, 'SELECT 1');
const isAuthzError = (error: unknown): error is authz.AuthzError =>
  error instanceof authz.AuthzError;
void [decision, isAuthzError];
