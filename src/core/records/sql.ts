import { Prisma } from '../../generated/prisma/client.js';
import { KEY_PATTERN } from './field-types.js';
import { escapeLike } from '../../db/like.js';

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
export { PgRunner, runnerFor, query, execute, type Runner } from '../../db/sql-runner.js';

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
export const likePattern = (s: string) => `%${escapeLike(s)}%`;
