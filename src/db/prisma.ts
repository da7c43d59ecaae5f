import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { countStatement } from './statement-counter.js';

export type Db = ReturnType<typeof createDb>;

/** The one Prisma client of a process: the WASM query compiler over node-postgres. */
export function createDb(databaseUrl: string, poolSize = 20) {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', countStatement);
  return client;
}

export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
export { PrismaClient };
