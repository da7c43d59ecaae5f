import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import type { Db } from './db/prisma.js';
import type { Logger } from './logger.js';
import type { EventBus } from './events/bus.js';
import { createMaskError } from './graphql/mask-error.js';
import { createGraphQLServer } from './graphql/yoga.js';
import { runnerFor } from './db/sql-runner.js';
import { CredentialCache } from './auth/credential-cache.js';
import { createRateLimit } from './http/rate-limit.js';
import { createHttpServer } from './http/node-server.js';
import type { Route } from './http/use-routes.js';
import { serveGraphQLWs } from './transport/graphql-ws.js';
import { endStreamsOnStop } from './transport/end-streams-on-stop.js';
import { createMetrics } from './http/metrics.js';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  events: EventBus;
  /** Extra routes (downloads, ...) tried before GraphQL; return null to pass. */
  routes?: Route[];
}

export interface App {
  server: http.Server;
  url: string;
  /** where this app spools uploads while they stream (its own folder, removed on stop) */
  uploadDirectory: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The HTTP server with GraphQL over HTTP/SSE (Yoga) and over WebSocket (graphql-ws) on `/graphql`. */
export function buildApp(deps: AppDeps): App {
  const { config, db, log } = deps;
  // each app spools into a folder of its own: several servers (tests, instances) share a tmpdir
  const uploadDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-uploads-'));
  const maskError = createMaskError(log);
  const cache = new CredentialCache({ runner: runnerFor({ db }), events: deps.events, log });
  const rateLimit = createRateLimit(config.rateLimitPerMinute);
  const streams = endStreamsOnStop();
  const metrics = config.metricsEnabled ? createMetrics(db) : null;
  const yoga = createGraphQLServer({ ...deps, cache, rateLimit, maskError, routes: deps.routes ?? [], uploadDirectory, metrics, streams: streams.plugin });
  const server = createHttpServer(config, log, (req, res) => void yoga(req, res, { req }));
  const graphqlWs = serveGraphQLWs({ server, config, log, yoga, cache, rateLimit, maskError, countErrors: metrics?.countErrors });

  let url = '';
  return {
    server,
    uploadDirectory,
    get url() {
      return url;
    },
    start: () =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
          url = `http://${host}:${address.port}`;
          resolve();
        });
      }),
    async stop() {
      // stop accepting; finish in-flight HTTP requests; complete open subscriptions (SSE would
      // otherwise hold the server open); close WebSocket clients with "going away"
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await streams.endAll();
      await graphqlWs.stop();
      server.closeIdleConnections();
      await closed;
      await cache.stop();
      await fs.promises.rm(uploadDirectory, { recursive: true, force: true });
    },
  };
}
