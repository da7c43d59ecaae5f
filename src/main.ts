import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startDatabase } from './db/start-database.js';
import { assertPortFree, StartError } from './net/assert-port-free.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`formgraph: configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
const log = createLogger(config.logLevel);

// the server owns these signals; the embedded PostgreSQL runs in a process group of its own
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const starting = start(config);

/**
 * The app's modules take seconds to load (thousands of files): they load while PostgreSQL
 * starts and migrations are checked, not after. A taken PORT is reported before either.
 */
async function start(config: Config) {
  await assertPortFree(config.port, config.host);
  const [database, server] = await Promise.allSettled([startDatabase(config, log), import('./server.js')]);
  if (database.status === 'rejected') throw database.reason;
  if (server.status === 'rejected') {
    await database.value.stop();
    throw server.reason;
  }
  return server.value.startServer(config, log, database.value);
}
let stopping = false;
for (const signal of SIGNALS) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      // a signal during start-up waits for it, so the embedded database is never left behind
      const server = await starting;
      await server.stop();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  });
}

try {
  await starting;
} catch (error) {
  // a StartError says everything in its message; anything else is logged in full first
  if (!(error instanceof StartError)) log.fatal({ err: error }, 'could not start');
  console.error(`formgraph: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
