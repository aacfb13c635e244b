// Node, `import`: the wasm bytes are read next to this file and instantiated at once;
// signatures are checked by node:crypto (js/host-crypto.js).
import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { initSync, __setErrorClass, __setSignatureHost } from './libsql_authz.js';
import { AuthzError } from './api.js';
import { nodeCryptoHost } from './host-crypto.js';

initSync({ module: readFileSync(new URL('./libsql_authz_bg.wasm', import.meta.url)) });
__setErrorClass(AuthzError);
__setSignatureHost(nodeCryptoHost(crypto));

export * from './api.js';
