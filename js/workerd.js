// Cloudflare Workers (workerd) and other runtimes that import `.wasm` as a compiled
// WebAssembly.Module: no fetch, no top-level await.
import wasmModule from './libsql_authz_bg.wasm';
import { initSync, __setErrorClass } from './libsql_authz.js';
import { AuthzError } from './api.js';

initSync({ module: wasmModule });
__setErrorClass(AuthzError);

export * from './api.js';
