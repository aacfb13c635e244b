// Node, `import`: the wasm bytes are read next to this file and instantiated at once.
import { readFileSync } from 'node:fs';
import { initSync, __setErrorClass } from './libsql_authz.js';
import { AuthzError } from './api.js';

initSync({ module: readFileSync(new URL('./libsql_authz_bg.wasm', import.meta.url)) });
__setErrorClass(AuthzError);

export * from './api.js';
