// Cloudflare Workers (workerd) and other runtimes that import `.wasm` as a compiled
// WebAssembly.Module: no fetch, no top-level await. With the `nodejs_compat` flag,
// signatures are checked by workerd's node:crypto (js/host-crypto.js), reached through
// `process.getBuiltinModule` so that Workers without the flag still load this module
// (they keep the wasm's own signature checks).
import wasmModule from './libsql_authz_bg.wasm';
import { initSync, __setErrorClass, __setSignatureHost } from './libsql_authz.js';
import { AuthzError } from './errors.js';
import { nodeCryptoHost } from './host-crypto.js';

initSync({ module: wasmModule });
__setErrorClass(AuthzError);
__setSignatureHost(nodeCryptoHost(() => globalThis.process?.getBuiltinModule?.('node:crypto')));

export * from './api.js';
