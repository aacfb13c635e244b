// Node, `require`: the same glue and API as node.mjs, converted to CommonJS by the build
// (the `.cjs` files below exist only in target/cjs/, and the build bundles them with this
// file into pkg/node.cjs); node:crypto is required on the first signature check.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { initSync, __setErrorClass, __setSignatureHost } = require('./libsql_authz.cjs');
const api = require('./api.cjs');
const { nodeCryptoHost } = require('./host-crypto.cjs');

initSync({ module: readFileSync(join(__dirname, 'libsql_authz_bg.wasm')) });
__setErrorClass(api.AuthzError);
__setSignatureHost(nodeCryptoHost(() => require('node:crypto')));

module.exports = api;
