// Turns one ES module of the package (the wasm-bindgen `--target web` glue, js/api.js)
// into CommonJS, so that `require` gets the same code and the same single .wasm.
//
// It handles only the forms those files use and fails on anything else, so a new
// wasm-bindgen version that emits something new breaks the build instead of the package:
//   export function|class|const|let NAME      export { a, b as c };
//   export { a, b as c } from './x.js';       import { a, b as c } from './x.js';
//   import.meta.url (only reached when no module is passed to init)
//
// Usage: node scripts/esm-to-cjs.mjs in.js out.cjs
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: esm-to-cjs.mjs in.js out.cjs');
let text = readFileSync(input, 'utf8');

const exported = []; // [exportedName, expression]
const names = (list) =>
  list.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const [local, as] = item.split(/\s+as\s+/);
    return { local, name: as ?? local };
  });
const cjsPath = (path) => {
  if (!path.startsWith('./') || !path.endsWith('.js')) throw new Error(`${input}: cannot convert import of ${path}`);
  return path.replace(/\.js$/, '.cjs');
};

let reexports = 0;
text = text
  .replace(/^export \{([^}]*)\} from '([^']+)';$/gm, (_, list, path) => {
    const module = `__reexport${reexports++}`;
    for (const { local, name } of names(list)) exported.push([name, `${module}.${local}`]);
    return `const ${module} = require('${cjsPath(path)}');`;
  })
  .replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, list, path) =>
    `const { ${names(list).map(({ local, name }) => (local === name ? local : `${local}: ${name}`)).join(', ')} } = require('${cjsPath(path)}');`)
  .replace(/^export \{([^}]*)\};$/gm, (_, list) => {
    for (const { local, name } of names(list)) exported.push([name, local]);
    return '';
  })
  .replace(/^export (?:async )?(function|class|const|let) (\w+)/gm, (match, kind, name) => {
    exported.push([name, name]);
    return match.slice('export '.length);
  })
  .replaceAll('import.meta.url', "require('node:url').pathToFileURL(__filename).href");

const left = text.match(/^\s*(?:import|export)\b.*$/m);
if (left) throw new Error(`${input}: cannot convert to CommonJS: ${left[0].trim()}`);

const body = exported.map(([name, expression]) => `  ${JSON.stringify(name)}: ${expression},`).join('\n');
writeFileSync(output, `'use strict';\n${text}\nmodule.exports = {\n${body}\n};\n`);
