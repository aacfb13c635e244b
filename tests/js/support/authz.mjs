// The package API the JS tests of the CLI, the keystore and the remote JWKS run against:
// the built package (`pkg/`, made by `make build`), as users import it. The CLI under
// test is `pkg/cli.js`, which imports its own `./node.mjs`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../../..');

const BUILT = path.join(ROOT, 'pkg', 'node.mjs');
if (!fs.existsSync(BUILT))
  throw new Error('pkg/ is not built: run `make build` (make test does) first');

export const AUTHZ_MODULE_URL = pathToFileURL(BUILT).href;
export const CLI_PATH = path.join(ROOT, 'pkg', 'cli.js');
export const authz = await import(AUTHZ_MODULE_URL);
