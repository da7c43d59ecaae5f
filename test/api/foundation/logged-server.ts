import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { createTestDatabase } from '../../setup/database.js';
import { GraphQLClient } from '../../helpers/graphql-client.js';

export type LogLine = Record<string, unknown> & { msg?: string; requestId?: string; level?: number };

export interface LoggedServer {
  url: string;
  server: RunningServer;
  databaseUrl: string;
  client: GraphQLClient;
  /** every JSON line the server logged, parsed */
  lines: LogLine[];
  stop(): Promise<void>;
}

/** Like startTestServer, but the server's pino output is captured for assertions. */
export async function startLoggedServer(env: Record<string, string> = {}): Promise<LoggedServer> {
  const database = await createTestDatabase();
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    MIGRATE_ON_START: 'false',
    WORKER_CONCURRENCY: '0',
    ...env,
  });
  const server = await startServer(config, createLogger(config.logLevel, destination));
  return {
    url: server.app.url,
    server,
    databaseUrl: database.url,
    client: new GraphQLClient(server.app.url),
    lines,
    async stop() {
      await server.stop();
      await database.drop();
    },
  };
}
