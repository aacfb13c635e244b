// Node, `import`: the wasm bytes are read next to this file and instantiated at once;
// signatures are checked by node:crypto (js/host-crypto.js), loaded on first use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, __setErrorClass, __setSignatureHost } from './libsql_authz.js';
import { AuthzError } from './api.js';
import { nodeCryptoHost } from './host-crypto.js';

initSync({ module: readFileSync(new URL('./libsql_authz_bg.wasm', import.meta.url)) });
__setErrorClass(AuthzError);
// process.getBuiltinModule: Node >= 20.16; createRequire before that.
__setSignatureHost(nodeCryptoHost(() => process.getBuiltinModule?.('node:crypto') ?? createRequire(import.meta.url)('node:crypto')));

export * from './api.js';
