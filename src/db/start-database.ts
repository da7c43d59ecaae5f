import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrateDeploy } from './migrate.js';

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
