import pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';
import type { Db, Tx } from './prisma.js';
import { countStatement } from './statement-counter.js';

/**
 * Raw SQL on a plain `pg` pool for hot paths (Prisma adds ~1.5 ms per statement here, see
 * BENCHMARKS.md): the records engine and credential checks. Statements inside Prisma
 * transactions run through `$queryRaw`. Both paths call countStatement(), so SQL-per-operation
 * tests see every statement. Build statements with `Prisma.sql` (every value a bound parameter).
 */
type Sql = Prisma.Sql;

/** A pg pool of the engine, one per database URL. */
export class PgRunner {
  constructor(readonly pool: pg.Pool) {}
}

export type Runner = Db | Tx | PgRunner;

// timestamp without time zone holds UTC (Prisma's convention): parse it as UTC, not local time
const TIMESTAMP = 1114;
const utc = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP ? utc : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const pools = new Map<string, PgRunner>();

/** The engine's pg pool for a context's database, or Prisma when the URL is unknown. */
export function runnerFor(ctx: { db: Db; config: { databaseUrl: string | null } }): Runner {
  const url = ctx.config.databaseUrl;
  if (!url) return ctx.db;
  let runner = pools.get(url);
  if (!runner) {
    const pool = new pg.Pool({ connectionString: url, max: 20, allowExitOnIdle: true, idleTimeoutMillis: 10_000, types });
    // a dropped connection (server restart, dropped test database) must not crash the process
    pool.on('error', () => {});
    runner = new PgRunner(pool);
    pools.set(url, runner);
  }
  return runner;
}

/** Closes the engine's pools (servers call this on stop). */
export async function closeRunners() {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((r) => r.pool.end().catch(() => {})));
}

export async function query<T>(db: Runner, statement: Sql): Promise<T[]> {
  if (db instanceof PgRunner) {
    countStatement();
    return (await db.pool.query(statement.text, statement.values)).rows as T[];
  }
  return db.$queryRaw<T[]>(statement);
}

export async function execute(db: Runner, statement: Sql): Promise<number> {
  if (db instanceof PgRunner) {
    countStatement();
    return (await db.pool.query(statement.text, statement.values)).rowCount ?? 0;
  }
  return db.$executeRaw(statement);
}
