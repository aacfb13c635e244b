// Node, `require`: the same glue and API as node.mjs. The build bundles this file with
// the ES modules it requires into one CommonJS file (esbuild converts them); node:crypto
// is required on the first signature check.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { initSync, __setErrorClass, __setSignatureHost } = require('./libsql_authz.js');
const api = require('./api.js');
const { nodeCryptoHost } = require('./host-crypto.js');

initSync({ module: readFileSync(join(__dirname, 'libsql_authz_bg.wasm')) });
__setErrorClass(api.AuthzError);
__setSignatureHost(nodeCryptoHost(() => require('node:crypto')));

module.exports = api;
