import path from 'node:path';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { assertPortFree } from './net/assert-port-free.js';
import { migrateDeploy } from './db/migrate.js';
import { closeDb, createDb, type Db } from './db/prisma.js';
import type { EventBus } from './events/bus.js';
import { buildApp, type App } from './app.js';
import { createEventBus } from './events/create-bus.js';
import { exportDownloadRoute } from './modules/exports/export.routes.js';
import { removeAbandonedExportFiles } from './modules/exports/export.cleanup.js';
import { migrateQueue } from './core/jobs/queue.js';
import { startJobWorker, type JobWorker } from './core/jobs/worker.js';
import { fileDownloadRoute } from './modules/records/files.routes.js';
import { registerModuleJobKinds } from './job-kinds.js';

export interface Database {
  url: string;
  /** true when this process started the embedded PostgreSQL (and stops it in `stop`) */
  embedded: boolean;
  /** stops the embedded PostgreSQL; nothing for DATABASE_URL */
  stop(): Promise<void>;
}

/**
 * The database the server, the worker and the CLI share: DATABASE_URL when set, else the
 * embedded PostgreSQL under `dataDir` (initialised the first time). Pending migrations are
 * applied unless MIGRATE_ON_START=false.
 */
export async function startDatabase(config: Config, log: Logger): Promise<Database> {
  if (config.databaseUrl) {
    if (config.migrateOnStart) await migrate(config.databaseUrl, log);
    return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const dir = path.join(config.dataDir, 'postgres');
  log.info({ dir, port: config.embeddedPgPort }, 'starting embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres(dir, config.embeddedPgPort, { log: (line) => log.debug({ pg: line.trim() }) });
  try {
    // a cluster another formgraph process runs was migrated when that process started
    if (config.migrateOnStart && !embedded.attached) await migrate(embedded.url, log);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { url: embedded.url, embedded: true, stop: embedded.stop };
}

async function migrate(url: string, log: Logger) {
  const applied = await migrateDeploy(url);
  if (applied.length) log.info({ applied }, 'migrations applied');
  else log.info('no pending migrations');
}

export interface RunningServer {
  app: App;
  log: Logger;
  db: Db;
  events: EventBus;
  /** the effective configuration (databaseUrl filled in when embedded) */
  config: Config;
  stop(): Promise<void>;
}

/** Database (embedded when no DATABASE_URL), migrations, app: in that order; stop reverses it. */
export async function startServer(config: Config, log = createLogger(config.logLevel)): Promise<RunningServer> {
  await assertPortFree(config.port, config.host);
  registerModuleJobKinds();
  const database = await startDatabase(config, log);
  try {
    // graphile-worker's own schema (idempotent; see core/jobs/queue.ts)
    await migrateQueue(database.url);
    const db = createDb(database.url);
    const events = await createEventBus(config, database.url, log);
    const effective = { ...config, databaseUrl: database.url };
    const removed = await removeAbandonedExportFiles(effective);
    if (removed.length) log.info({ files: removed }, 'removed temporary files of interrupted exports');
    const app = buildApp({
      config: effective,
      db,
      log,
      events,
      routes: [fileDownloadRoute({ db, config: effective }), exportDownloadRoute({ db, config: effective })],
    });
    await app.start();
    const worker: JobWorker | null =
      config.workers.concurrency > 0
        ? await startJobWorker({ db, events, log, config: effective, databaseUrl: database.url, concurrency: config.workers.concurrency })
        : null;
    log.info({ url: `${app.url}/graphql` }, 'formgraph is ready');
    return {
      app,
      log,
      db,
      events,
      config: effective,
      async stop() {
        await worker?.stop();
        await app.stop();
        await events.close();
        await closeDb(db);
        await database.stop();
      },
    };
  } catch (error) {
    await database.stop();
    throw error;
  }
}
