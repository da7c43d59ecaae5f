import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';
import { poolOf, type Db, type Tx } from './prisma.js';
import { countStatement } from './statement-counter.js';

/**
 * Raw SQL on a plain `pg` pool for hot paths (Prisma adds ~1.5 ms per statement here, see
 * BENCHMARKS.md): the records engine and credential checks. Statements inside Prisma
 * transactions run through `$queryRaw`. Both paths call countStatement(), so SQL-per-operation
 * tests see every statement. Build statements with `Prisma.sql` (every value a bound parameter).
 */
type Sql = Prisma.Sql;

/** Raw SQL straight on the process's pg pool (the one under Prisma). */
export class PgRunner {
  constructor(readonly pool: pg.Pool) {}
}

export type Runner = Db | Tx | PgRunner;

const runners = new WeakMap<pg.Pool, PgRunner>();

/** The pg pool under the context's client; inside a transaction (or without a pool), Prisma. */
export function runnerFor(ctx: { db: Db | Tx }): Runner {
  const pool = poolOf(ctx.db);
  if (!pool) return ctx.db;
  let runner = runners.get(pool);
  if (!runner) {
    runner = new PgRunner(pool);
    runners.set(pool, runner);
  }
  return runner;
}

export async function query<T>(db: Runner, statement: Sql): Promise<T[]> {
  if (db instanceof PgRunner) {
    const started = performance.now();
    const { rows } = await db.pool.query(statement.text, statement.values);
    countStatement({ duration: performance.now() - started });
    return rows as T[];
  }
  return db.$queryRaw<T[]>(statement);
}

export async function execute(db: Runner, statement: Sql): Promise<number> {
  if (db instanceof PgRunner) {
    const started = performance.now();
    const { rowCount } = await db.pool.query(statement.text, statement.values);
    countStatement({ duration: performance.now() - started });
    return rowCount ?? 0;
  }
  return db.$executeRaw(statement);
}
