// Node, `import`: the wasm bytes are read next to this file and instantiated at once;
// signatures are checked by node:crypto (js/host-crypto.js), loaded on first use.
import { readFileSync } from 'node:fs';
import { initSync, __setErrorClass, __setSignatureHost } from './libsql_authz.js';
import { AuthzError } from './errors.js';
import { nodeCryptoHost } from './host-crypto.js';

initSync({ module: readFileSync(new URL('./libsql_authz_bg.wasm', import.meta.url)) });
__setErrorClass(AuthzError);
// process.getBuiltinModule: Node >= 20.16. Before that, `require` from node:module, which
// only older Node loads (about 1-2 ms of a cold start).
const require = process.getBuiltinModule
  ? null
  : (await import('node:module')).createRequire(import.meta.url);
__setSignatureHost(
  nodeCryptoHost(() => process.getBuiltinModule?.('node:crypto') ?? require('node:crypto')),
);

export * from './api.js';
