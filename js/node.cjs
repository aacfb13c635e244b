// Node, `require`: the same glue and API as node.mjs, converted to CommonJS by the build.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { initSync, __setErrorClass } = require('./libsql_authz.cjs');
const api = require('./api.cjs');

initSync({ module: readFileSync(join(__dirname, 'libsql_authz_bg.wasm')) });
__setErrorClass(api.AuthzError);

module.exports = api;
