import type pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { createPool } from './pool.js';
import { countStatement } from './statement-counter.js';

export type Db = PrismaClient;

const pools = new WeakMap<object, pg.Pool>();

/** The one Prisma client of a process: the WASM query compiler over the process's pg pool. */
export function createDb(databaseUrl: string, poolSize = 20): Db {
  const pool = createPool(databaseUrl, poolSize);
  const client = new PrismaClient({ adapter: new PrismaPg(pool), log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', countStatement);
  // a query-only extension changes no method signatures: the client keeps its plain type
  const db = client.$extends(allowEmptySelect) as unknown as PrismaClient;
  pools.set(db, pool);
  return db;
}

/** The pool under a client createDb made; null for a transaction's client (or any other). */
export const poolOf = (db: object): pg.Pool | null => pools.get(db) ?? null;

/** Disconnects the client and ends its pool: no connection of it remains. */
export async function closeDb(db: Db) {
  await db.$disconnect();
  await pools.get(db)?.end();
}

/**
 * Workaround: when a client selects only `__typename` of a Prisma-backed object (e.g.
 * `createForm { __typename }` or `job(id) { __typename }`), Pothos hands the resolver
 * `{ select: {} }`, which Prisma refuses ("empty selection"), so the field failed INTERNAL.
 * Dropping the empty select reads the row's scalars instead: correct, and only in that rare case.
 */
const allowEmptySelect = {
  query: {
    $allModels: {
      $allOperations({ args, query }: { args: unknown; query: (args: unknown) => Promise<unknown> }) {
        const a = args as { select?: object } | undefined;
        if (a?.select && Object.keys(a.select).length === 0) {
          const { select: _empty, ...rest } = a;
          return query(rest);
        }
        return query(args);
      },
    },
  },
} as const;

export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
export { PrismaClient };
