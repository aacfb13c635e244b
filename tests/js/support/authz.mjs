// Which implementation of the package API the JS tests of the CLI, the keystore and
// js/remote-jwks.js run against:
//
//   node --test tests/js/                                         # pkg/node.mjs if built, else the stand-in
//   LIBSQL_AUTHZ_MODULE=pkg/node.mjs node --test tests/js/        # the package, required
//   LIBSQL_AUTHZ_MODULE=standin node --test tests/js/             # the temporary stand-in
//
// A relative LIBSQL_AUTHZ_MODULE is resolved against the current directory. The same
// module is passed to the CLI (js/cli.js reads LIBSQL_AUTHZ_MODULE), so the CLI and the
// tests use one implementation. LIBSQL_AUTHZ_CLI runs another cli.js (e.g. pkg/cli.js).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, "../../..");

const STANDIN = pathToFileURL(path.join(here, "standin-authz.mjs")).href;
const BUILT = path.join(ROOT, "pkg", "node.mjs");

function choose() {
  const fromEnv = process.env.LIBSQL_AUTHZ_MODULE;
  if (fromEnv === "standin") return STANDIN;
  if (fromEnv) {
    return /^[a-z]+:/i.test(fromEnv) && !/^[a-z]:[\\/]/i.test(fromEnv)
      ? fromEnv : pathToFileURL(path.resolve(fromEnv)).href;
  }
  if (fs.existsSync(BUILT)) return pathToFileURL(BUILT).href;
  process.emitWarning("pkg/ is not built: the CLI, keystore and remote JWKS tests run against the temporary stand-in (tests/js/support/standin-authz.mjs)");
  return STANDIN;
}

export const AUTHZ_MODULE_URL = choose();
export const USING_STANDIN = AUTHZ_MODULE_URL === STANDIN;

export const CLI_PATH = process.env.LIBSQL_AUTHZ_CLI
  ? path.resolve(process.env.LIBSQL_AUTHZ_CLI) : path.join(ROOT, "js", "cli.js");

export const authz = await import(AUTHZ_MODULE_URL);
