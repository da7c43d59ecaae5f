import pg from 'pg';
import { Prisma } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../db/prisma.js';
import { countStatement } from '../../db/statement-counter.js';
import { KEY_PATTERN } from './field-types.js';

/**
 * Raw SQL of the records engine is built from `Prisma.sql` fragments (every value a bound
 * parameter). Hot paths run it on a plain `pg` pool (Prisma adds ~1.5 ms per statement here, see
 * BENCHMARKS.md); statements inside Prisma transactions run through `$queryRaw`. Both paths call
 * countStatement() (src/db/statement-counter.ts), so SQL-per-operation tests see every statement.
 */
export type Sql = Prisma.Sql;
export const sql = Prisma.sql;
export const join = Prisma.join;
export const raw = Prisma.raw;
export const empty = Prisma.empty;

/** A pg pool of the engine, one per database URL. */
export class PgRunner {
  constructor(readonly pool: pg.Pool) {}
}

export type Runner = Db | Tx | PgRunner;

// timestamp without time zone holds UTC (Prisma's convention): parse it as UTC, not local time
const TIMESTAMP = 1114;
const utc = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === TIMESTAMP ? utc : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser };

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID.test(s);

/** A uuid inlined as a literal (partial indexes match literals, not parameters). Checked first. */
export function uuidLiteral(id: string): Sql {
  if (!isUuid(id)) throw new Error(`not a uuid: ${id}`);
  return raw(`'${id.toLowerCase()}'::uuid`);
}

/** A field key inlined as a JSON key literal; keys match KEY_PATTERN so they need no quoting. */
export function keyLiteral(key: string): Sql {
  if (!KEY_PATTERN.test(key)) throw new Error(`not a field key: ${key}`);
  return raw(`'${key}'`);
}

/** Escapes LIKE wildcards so CONTAINS matches the text literally. */
export const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
