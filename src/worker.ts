/**
 * `npm run worker`: a job worker process without the HTTP server. Any number of them (and of
 * servers with WORKER_CONCURRENCY > 0) can share one database: graphile-worker hands each queued
 * job to exactly one of them, and leases recover jobs of workers that die (core/jobs/lease.ts).
 * Uses DATABASE_URL, or without it the embedded PostgreSQL under FORMGRAPH_DATA_DIR (attaching to
 * the one a server already runs). WORKER_CONCURRENCY (default 2 here, 0 means the default) sets
 * how many jobs it runs at once.
 */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { closeDb, createDb } from './db/prisma.js';
import { startDatabase } from './db/start-database.js';
import { createEventBus } from './events/create-bus.js';
import { migrateQueue } from './core/jobs/queue.js';
import { startJobWorker } from './core/jobs/worker.js';
import { registerModuleJobKinds } from './job-kinds.js';
import { removeAbandonedExportFiles } from './modules/exports/export.cleanup.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`formgraph worker: configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
registerModuleJobKinds();
const log = createLogger(config.logLevel).child({ process: 'worker' });
const database = await startDatabase(config, log);
const databaseUrl = database.url;
await migrateQueue(databaseUrl);
const db = createDb(databaseUrl, config.workers.concurrency + 4);
const events = await createEventBus(config, databaseUrl, log);
const removed = await removeAbandonedExportFiles(config);
if (removed.length) log.info({ files: removed }, 'removed temporary files of interrupted exports');
const concurrency = config.workers.concurrency || 2;
const worker = await startJobWorker({ db, events, log, config: { ...config, databaseUrl }, databaseUrl, concurrency });
log.info({ pid: process.pid, concurrency }, 'formgraph worker is ready');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down');
    try {
      await worker.stop();
      await events.close();
      await closeDb(db);
      await database.stop();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'worker shutdown failed');
      process.exit(1);
    }
  });
}
