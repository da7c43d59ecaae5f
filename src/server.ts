import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { assertPortFree } from './net/assert-port-free.js';
import { startDatabase, type Database } from './db/start-database.js';
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

export interface RunningServer {
  app: App;
  log: Logger;
  db: Db;
  events: EventBus;
  /** the effective configuration (databaseUrl filled in when embedded) */
  config: Config;
  stop(): Promise<void>;
}

/**
 * Database (embedded when no DATABASE_URL), migrations, app: in that order; stop reverses it.
 * `started`: a database the caller started (src/main.ts, while this module loaded); it is ours now.
 */
export async function startServer(config: Config, log = createLogger(config.logLevel), started?: Database): Promise<RunningServer> {
  if (!started) await assertPortFree(config.port, config.host);
  registerModuleJobKinds();
  const database = started ?? (await startDatabase(config, log));
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
