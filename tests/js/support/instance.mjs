// The package's modules loaded one by one, as `pkg/node.mjs` wires them (it ships them
// bundled into one file), for the tests that reach inside one instance: the signature
// host registered with `__setSignatureHost`, or the instance's wasm memory. The bundle
// itself is what every other test imports.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = new URL('../../../pkg/', import.meta.url);
export const glue = await import(new URL('libsql_authz.js', pkg));
export const wasm = glue.initSync({ module: readFileSync(new URL('libsql_authz_bg.wasm', pkg)) });
export const authz = await import(new URL('api.js', pkg));
export const { nodeCryptoHost } = await import(new URL('host-crypto.js', pkg));
export const nodeCrypto = createRequire(import.meta.url)('node:crypto');

glue.__setErrorClass(authz.AuthzError);
glue.__setSignatureHost(nodeCryptoHost(() => nodeCrypto));
