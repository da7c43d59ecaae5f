import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { migrateDeploy } from './db/migrate.js';
import { createDb, type Db } from './db/prisma.js';
import type { EventBus } from './events/bus.js';
import { buildApp, type App } from './app.js';
import { createEventBus } from './events/create-bus.js';
import path from 'node:path';
import { exportDownloadRoute } from './modules/exports/export.routes.js';
import { migrateQueue } from './modules/jobs/queue.js';
import { startJobWorker, type JobWorker } from './modules/jobs/worker.js';
import { fileDownloadRoute } from './modules/records/files.routes.js';

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
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dir = path.join(config.dataDir, 'postgres');
    log.info({ dir, port: config.embeddedPgPort }, 'starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(dir, config.embeddedPgPort, { log: (line) => log.debug({ pg: line }) });
    databaseUrl = embedded.url;
  }
  try {
    if (config.migrateOnStart) {
      await migrateDeploy(databaseUrl);
      log.info('migrations applied');
    }
    // graphile-worker's own schema (idempotent; see modules/jobs/queue.ts)
    await migrateQueue(databaseUrl);
    const db = createDb(databaseUrl);
    const events = await createEventBus(config, databaseUrl, log);
    const effective = { ...config, databaseUrl };
    const app = buildApp({ config: effective, db, log, events, routes: [fileDownloadRoute({ db, config }), exportDownloadRoute({ db, config: effective })] });
    await app.start();
    const worker: JobWorker | null =
      config.workers.concurrency > 0 ? await startJobWorker({ db, events, log, config: effective, databaseUrl, concurrency: config.workers.concurrency }) : null;
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
        await db.$disconnect();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
