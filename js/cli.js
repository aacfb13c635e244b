#!/usr/bin/env node
// `libsql-authz`: mint and invalidate libSQL / Turso tokens from a local keystore,
// mirroring `turso group create`, `turso db create`, `turso db tokens create` and
// `turso db tokens invalidate`. Documented in docs/cli.md.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  KeystoreError,
  createDatabase,
  createGroup,
  databaseJwks,
  databasesInGroup,
  getDatabase,
  getGroup,
  rotateDatabase,
  rotateGroup,
  signingKey,
} from './keystore.js';
import { DEFAULT_KEYSTORE_PATH, readKeystore, updateKeystore } from './keystore-file.js';

// The package API: its Node ESM entry point, next to this file in `pkg/`.
const AUTHZ_MODULE = './node.mjs';

const EXIT_OK = 0;
const EXIT_ERROR = 1; // the command failed (unknown database, duplicate, I/O, ...)
const EXIT_USAGE = 2; // the command line is wrong

const USAGE = `Usage: libsql-authz [--keystore PATH] <command>

Commands:
  group create <group>                   create a group and its signing key
  group list                             list groups and their databases
  group tokens create <group> [flags]    mint a token valid for every database of the group
  group tokens invalidate <group>        rotate the keys of the group and of all its databases
  db create <db> [--group <group>]       create a database and its signing key
  db list                                list databases and their groups
  db tokens create <db> [flags]          mint a token for one database
  db tokens invalidate <db>              rotate the database's keys (its old tokens fail)
  jwks <db>                              print the JWKS a verifier of <db> needs
  org jwks template [-d <db> | -g <group>] [-s full-access|read-only] [-p ...]
                                         print the claims a provider's JWT template
                                         (Clerk, Auth0) must write for that grant

Token flags:
  -e, --expiration <7d|2w1d30m|never>    lifetime (units w, d, h, m, s), default never
  -r, --read-only                        read-only token
  -p, --permissions <table:action,...>   fine-grained permission, repeatable
                                         (e.g. -p all:data_read -p comments:data_add);
                                         -p none: no table at all (schema tables only)

Options:
  --keystore <path>                      keystore file (default ./${DEFAULT_KEYSTORE_PATH})
  -h, --help                             show this help

Tokens and JWKS are printed alone on stdout; messages go to stderr.`;

const OPTIONS = {
  keystore: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  group: { type: 'string', short: 'g' },
  'read-only': { type: 'boolean', short: 'r' },
  expiration: { type: 'string', short: 'e' },
  permissions: { type: 'string', short: 'p', multiple: true },
  database: { type: 'string', short: 'd' },
  scope: { type: 'string', short: 's' },
};

const TOKEN_FLAGS = ['read-only', 'expiration', 'permissions'];

class UsageError extends Error {}

async function loadAuthz() {
  return import(AUTHZ_MODULE);
}

function expectArgs(args, n, synopsis) {
  if (args.length !== n) {
    throw new UsageError(
      args.length < n
        ? `missing argument: ${synopsis}`
        : `unexpected argument ${JSON.stringify(args[n])}: ${synopsis}`,
    );
  }
  return args;
}

function onlyFlags(values, allowed, command) {
  for (const name of Object.keys(values)) {
    if (name === 'keystore' || name === 'help') continue;
    if (!allowed.includes(name))
      throw new UsageError(`option --${name} does not apply to "${command}"`);
  }
}

function tokenOptions(values) {
  const opts = { expiration: values.expiration ?? 'never' };
  if (values['read-only']) opts.readOnly = true;
  if (values.permissions) {
    // `-p a:data_read -p b:data_add` and `-p "a:data_read b:data_add"` both work.
    opts.permissions = values.permissions.flatMap((p) => p.split(/\s+/)).filter((p) => p !== '');
    if (opts.permissions.length === 0) throw new UsageError('empty --permissions');
    if (opts.permissions.includes('none')) {
      if (opts.permissions.length > 1)
        throw new UsageError('--permissions none cannot be combined with other permissions');
      // Written as `perm: [{"a": []}]`: an empty `perm` would mean no restriction.
      opts.permissions = [];
    }
  }
  return opts;
}

/** `org jwks template`'s flags as `claimsTemplate` options (the scope as Turso names it). */
function templateOptions(values) {
  if (values.database !== undefined && values.group !== undefined)
    throw new UsageError('a template is for a database (-d) or a group (-g), not both');
  const scope = values.scope ?? 'full-access';
  if (scope !== 'full-access' && scope !== 'read-only')
    throw new UsageError(`--scope must be full-access or read-only, not "${scope}"`);
  const { permissions } = tokenOptions(values);
  const options = { readOnly: scope === 'read-only' };
  if (values.database !== undefined) options.database = values.database;
  if (values.group !== undefined) options.group = values.group;
  if (permissions) options.permissions = permissions;
  return options;
}

/**
 * Runs the CLI. `io`: { stdout, stderr } (streams with `write`). Returns the exit
 * code; never calls process.exit, so it can be tested in-process.
 */
export async function main(argv, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const out = (s) => stdout.write(`${s}\n`);
  const info = (s) => stderr.write(`${s}\n`);

  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    info(`libsql-authz: ${err.message}\nRun "libsql-authz --help" for usage.`);
    return EXIT_USAGE;
  }
  if (values.help) {
    out(USAGE);
    return EXIT_OK;
  }
  if (positionals.length === 0) {
    info(USAGE);
    return EXIT_USAGE;
  }
  if (values.keystore === '') {
    info('libsql-authz: --keystore needs a path');
    return EXIT_USAGE;
  }
  const file = values.keystore ?? DEFAULT_KEYSTORE_PATH;
  warnIfExposed(file, info);

  try {
    const [noun, verb, ...rest] = positionals;
    const command = positionals
      .slice(0, verb === 'tokens' || (noun === 'org' && verb === 'jwks') ? 3 : 2)
      .join(' ');
    let authz;
    const deps = async () => {
      authz ??= await loadAuthz();
      return { generateKeyPair: authz.generateKeyPair };
    };

    if (noun === 'group' && verb === 'create') {
      onlyFlags(values, [], command);
      const [name] = expectArgs(rest, 1, 'group create <group>');
      const d = await deps();
      const entry = updateKeystore(file, (ks) => createGroup(ks, name, d));
      info(`Created group ${name} (key ${entry.keys[0].kid}) in ${file}.`);
    } else if (noun === 'group' && verb === 'list') {
      onlyFlags(values, [], command);
      expectArgs(rest, 0, 'group list');
      const ks = readKeystore(file);
      for (const g of Object.keys(ks.groups).sort())
        out(`${g}\t${databasesInGroup(ks, g).join(',')}`);
    } else if (noun === 'db' && verb === 'create') {
      onlyFlags(values, ['group'], command);
      const [name] = expectArgs(rest, 1, 'db create <db> [--group <group>]');
      const d = await deps();
      const entry = updateKeystore(file, (ks) => createDatabase(ks, name, values.group, d));
      info(
        `Created database ${name}${entry.group ? ` in group ${entry.group}` : ''} (key ${entry.keys[0].kid}) in ${file}.`,
      );
    } else if (noun === 'db' && verb === 'list') {
      onlyFlags(values, [], command);
      expectArgs(rest, 0, 'db list');
      const ks = readKeystore(file);
      for (const db of Object.keys(ks.databases).sort())
        out(`${db}\t${ks.databases[db].group ?? ''}`);
    } else if ((noun === 'db' || noun === 'group') && verb === 'tokens' && rest[0] === 'create') {
      onlyFlags(values, TOKEN_FLAGS, command);
      const [name] = expectArgs(rest.slice(1), 1, `${noun} tokens create <${noun}> [flags]`);
      const opts = tokenOptions(values);
      const ks = readKeystore(file);
      const scope = noun === 'db' ? { database: name } : { group: name };
      if (noun === 'db') getDatabase(ks, name);
      else getGroup(ks, name);
      authz ??= await loadAuthz();
      out(authz.createToken(signingKey(ks, scope), { ...scope, ...opts }));
    } else if (
      (noun === 'db' || noun === 'group') &&
      verb === 'tokens' &&
      rest[0] === 'invalidate'
    ) {
      onlyFlags(values, [], command);
      const [name] = expectArgs(rest.slice(1), 1, `${noun} tokens invalidate <${noun}>`);
      const d = await deps();
      if (noun === 'db') {
        const kid = updateKeystore(file, (ks) => rotateDatabase(ks, name, d));
        info(
          `Invalidated all tokens of database ${name}; new key ${kid}. Publish the new JWKS (libsql-authz jwks ${name}).`,
        );
      } else {
        const r = updateKeystore(file, (ks) => rotateGroup(ks, name, d));
        const dbs = Object.keys(r.databases);
        info(
          `Invalidated all tokens of group ${name}${dbs.length ? ` and of its databases ${dbs.join(', ')}` : ''}; ` +
            'publish the new JWKS of each of its databases.',
        );
      }
    } else if (noun === 'org' && verb === 'jwks' && rest[0] === 'template') {
      onlyFlags(values, ['database', 'group', 'scope', 'permissions'], command);
      expectArgs(rest.slice(1), 0, 'org jwks template [-d <db> | -g <group>] [flags]');
      authz ??= await loadAuthz();
      out(JSON.stringify(authz.claimsTemplate(templateOptions(values)), null, 2));
    } else if (noun === 'jwks') {
      onlyFlags(values, [], 'jwks');
      const [name] = expectArgs(positionals.slice(1), 1, 'jwks <db>');
      out(JSON.stringify(databaseJwks(readKeystore(file), name), null, 2));
    } else {
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
    }
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) {
      info(`libsql-authz: ${err.message}\nRun "libsql-authz --help" for usage.`);
      return EXIT_USAGE;
    }
    if (err instanceof KeystoreError) {
      info(`libsql-authz: ${err.message}`);
      return EXIT_ERROR;
    }
    if (err && typeof err.code === 'string' && err.code.startsWith('ERR_')) {
      // An AuthzError from the package: an invalid option is the user's command line.
      info(`libsql-authz: ${err.message}`);
      return err.code === 'ERR_OPTIONS_INVALID' ? EXIT_USAGE : EXIT_ERROR;
    }
    info(`libsql-authz: unexpected error: ${err?.stack ? err.stack : err}`);
    return EXIT_ERROR;
  }
}

// The keystore holds private keys: say so when others can read it (every write
// through this CLI sets 0600 again).
function warnIfExposed(file, info) {
  if (process.platform === 'win32') return;
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) {
      info(
        `libsql-authz: warning: keystore ${file} has mode 0${mode.toString(8)}; it holds private keys (chmod 600 ${file})`,
      );
    }
  } catch {
    /* missing: created 0600 */
  }
}

function invokedDirectly() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await main(process.argv.slice(2));
}
