// Which implementation of the package API the JS tests run against.
//
//   LIBSQL_AUTHZ_MODULE=pkg/index.js node --test tests/js/   # the real package
//   node --test tests/js/                                    # the temporary stand-in
//
// A relative LIBSQL_AUTHZ_MODULE is resolved against the current directory. The same
// variable is passed to the CLI (js/cli.js reads it), so the CLI and the tests use the
// same module. LIBSQL_AUTHZ_CLI can point the tests at another cli.js (e.g. pkg/cli.js).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, "../../..");

const fromEnv = process.env.LIBSQL_AUTHZ_MODULE;
export const AUTHZ_MODULE_URL = fromEnv
  ? (/^[a-z]+:/i.test(fromEnv) && !/^[a-z]:[\\/]/i.test(fromEnv)
    ? fromEnv : pathToFileURL(path.resolve(fromEnv)).href)
  : pathToFileURL(path.join(here, "standin-authz.mjs")).href;

export const CLI_PATH = process.env.LIBSQL_AUTHZ_CLI
  ? path.resolve(process.env.LIBSQL_AUTHZ_CLI) : path.join(ROOT, "js", "cli.js");

export const authz = await import(AUTHZ_MODULE_URL);
