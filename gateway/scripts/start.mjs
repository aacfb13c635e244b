// Starts the gateway Worker in real workerd (wrangler's unstable_startWorker, local mode)
// on 127.0.0.1. Shared by the tests and scripts/serve.mjs.
import { unstable_startWorker } from 'wrangler';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// No network here and none needed: don't fetch the Request.cf object, send no telemetry.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @param {object} o
 * @param {string} [o.jwks]           the AUTHZ_JWKS secret (JSON text)
 * @param {Record<string,string>} [o.secrets] other secrets (PLATFORM_API_TOKEN, ...)
 * @param {number} [o.port]           0 = any free port
 * @param {string|false} [o.persist]  directory for the database, false = in memory
 * @param {Record<string,string>} [o.vars] extra/overriding vars (DATABASE_NAME, LIBSQL_URL, ...)
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startGateway({
  jwks,
  secrets = {},
  port = 0,
  persist = false,
  vars = {},
  logLevel = 'warn',
}) {
  const bindings = {};
  if (jwks !== undefined) bindings.AUTHZ_JWKS = { type: 'secret_text', value: jwks };
  for (const [k, v] of Object.entries(secrets)) bindings[k] = { type: 'secret_text', value: v };
  for (const [k, v] of Object.entries(vars)) bindings[k] = { type: 'plain_text', value: v };
  const worker = await unstable_startWorker({
    config: path.join(root, 'wrangler.jsonc'),
    bindings,
    dev: {
      server: { hostname: '127.0.0.1', port },
      inspector: false,
      persist,
      logLevel,
      watch: false,
      remote: false,
    },
  });
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, '');
  return { url, stop: () => worker.dispose() };
}
