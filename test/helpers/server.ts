import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestDatabase } from '../setup/database.js';
import { GraphQLClient } from './graphql-client.js';

export interface TestServer {
  url: string;
  server: RunningServer;
  databaseUrl: string;
  /** an anonymous client; `.as(credential)` gives an authenticated one */
  client: GraphQLClient;
  stop(): Promise<void>;
}

/** A real server on an ephemeral port over a database of its own. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MIGRATE_ON_START: 'false',
    EXPOSE_SQL_STATEMENT_COUNT: 'true',
    WORKER_CONCURRENCY: '0',
    // tests send many requests with one key; test/api/foundation/rate-limit.test.ts turns it on
    RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  });
  const server = await startServer(config);
  return {
    url: server.app.url,
    server,
    databaseUrl: database.url,
    client: new GraphQLClient(server.app.url),
    async stop() {
      await server.stop();
      await database.drop();
    },
  };
}
