import pg from 'pg';

/** How the process's connections name themselves in pg_stat_activity. */
export const APPLICATION_NAME = 'formgraph';

// timestamp without time zone holds UTC (Prisma's convention): parse it as UTC, not local time
const TIMESTAMP = 1114;
const utc = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP ? utc : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** The one pg pool of a process: Prisma's driver adapter and the raw SQL runner both use it. */
export function createPool(databaseUrl: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, application_name: APPLICATION_NAME, idleTimeoutMillis: 10_000, allowExitOnIdle: true, types });
  // a dropped connection (server restart, dropped test database) must not crash the process
  pool.on('error', () => {});
  return pool;
}
