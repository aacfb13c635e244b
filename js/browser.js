// Browsers and bundlers (Vite, webpack 5, Rollup): the `.wasm` is located with
// `new URL(..., import.meta.url)`, which bundlers rewrite to the emitted asset, and
// instantiated with top-level await before the module's exports are usable.
import init, { __setErrorClass } from './libsql_authz.js';
import { AuthzError } from './errors.js';

await init({ module_or_path: new URL('./libsql_authz_bg.wasm', import.meta.url) });
__setErrorClass(AuthzError);

export * from './api.js';
