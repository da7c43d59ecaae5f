import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createYoga, type Plugin } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import type { Config } from './config.js';
import type { Db } from './db/prisma.js';
import type { Logger } from './logger.js';
import type { EventBus } from './events/bus.js';
import type { GraphQLContext } from './context.js';
import { buildSchema } from './schema.js';
import { createMaskError } from './graphql/mask-error.js';
import { requestScope } from './db/statement-counter.js';
import { runnerFor } from './db/sql-runner.js';
import { credentialFrom, type Authentication } from './auth/authenticate.js';
import { CredentialCache } from './auth/credential-cache.js';
import { useEndOnRevocation } from './auth/end-on-revocation.js';
import { useRequireCredential } from './auth/use-require-credential.js';
import type { Principal } from './auth/principal.js';
import { handleOAuth } from './http/oauth.routes.js';
import { callerKey, createRateLimit, rateLimitedResponse } from './http/rate-limit.js';
import { useCostLimit } from './graphql/limits/use-cost-limit.js';
import { serveGraphQLWs } from './transport/graphql-ws.js';
import { DEFAULT_DOCUMENT } from './http/graphiql-document.js';
import { renderGraphiQL, useLocalGraphiQL } from './http/graphiql.js';
import { useMetrics } from './http/metrics.js';
import { useStreamingUploads } from './graphql/uploads.js';
import { useInputGuard } from './graphql/input-guard.js';
import { RequestLoaders } from './loaders.js';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  events: EventBus;
  /** Extra routes (downloads, ...) tried before GraphQL; return null to pass. */
  routes?: Array<(request: Request, path: string, principal: Principal | null) => Promise<Response | null>>;
}

export interface App {
  server: http.Server;
  url: string;
  /** where this app spools uploads while they stream (its own folder, removed on stop) */
  uploadDirectory: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

const unauthenticated = (reason: string) =>
  json(401, { errors: [{ message: reason, extensions: { code: 'UNAUTHENTICATED' } }] }, { 'www-authenticate': 'Bearer realm="formgraph"' });

/**
 * The 413 goes out while the rest of the body is drained: closing the connection with unread data
 * would reset it, and the client, still sending, could lose the answer.
 */
function tooLarge(res: http.ServerResponse, max: number) {
  res.writeHead(413, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message: `Request body exceeds ${max} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }));
}

/** The body, or null once it passes `max` bytes (the rest is read and discarded, so the client sees the 413). */
function readAtMost(req: http.IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

export function buildApp(deps: AppDeps): App {
  const { config, db, log } = deps;
  // each app spools into a folder of its own: several servers (tests, instances) share a tmpdir
  const uploadDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-uploads-'));
  const schema = buildSchema();
  const maskError = createMaskError(log);
  const authentications = new WeakMap<Request, Authentication>();
  const cache = new CredentialCache({ runner: runnerFor({ db, config }), events: deps.events, log });
  const rateLimit = createRateLimit(config.rateLimitPerMinute);

  const routes: Plugin = {
    async onRequest({ request, url, endResponse, serverContext }) {
      const address = (serverContext as { req?: http.IncomingMessage } | undefined)?.req?.socket.remoteAddress;
      const path = url.pathname;
      if (path === '/healthz') return endResponse(json(200, { status: 'ok' }));
      if (path === '/readyz') {
        const ok = await db.$queryRawUnsafe('select 1').then(
          () => true,
          () => false,
        );
        return endResponse(json(ok ? 200 : 503, { status: ok ? 'ok' : 'database unreachable' }));
      }
      // token requests are limited per address: password guessing must not be free
      if (rateLimit && path.startsWith('/oauth/')) {
        const limited = await rateLimit(callerKey(null, address));
        if (limited) return endResponse(rateLimitedResponse(limited));
      }
      const oauth = await handleOAuth(request, path, deps);
      if (oauth) return endResponse(oauth);
      let auth: Authentication;
      try {
        auth = await cache.authenticate(credentialFrom(request.headers));
      } catch (error) {
        // e.g. the database is unreachable: logged in full, masked for the client like any other
        const requestId = requestScope.getStore()?.requestId;
        log.error({ err: error, requestId }, 'unexpected error');
        return endResponse(json(500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL', requestId } }] }));
      }
      // an invalid credential is refused before anything executes, and counts against the
      // caller's address (guessing credentials is rate limited); a missing one is anonymous
      if (rateLimit) {
        const limited = await rateLimit(callerKey(auth.kind === 'ok' ? auth.principal : null, address));
        if (limited) return endResponse(rateLimitedResponse(limited));
      }
      if (auth.kind === 'invalid') return endResponse(unauthenticated(auth.reason));
      authentications.set(request, auth);
      for (const route of deps.routes ?? []) {
        let response: Response | null;
        try {
          response = await route(request, path, auth.kind === 'ok' ? auth.principal : null);
        } catch (error) {
          // a route's failure is logged in full; the client sees JSON INTERNAL, never a stack trace
          const requestId = requestScope.getStore()?.requestId;
          log.error({ err: error, requestId, path }, 'unexpected error');
          return endResponse(json(500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL', requestId } }] }));
        }
        if (response) return endResponse(response);
      }
    },
    onResponse({ request, response }) {
      const scope = requestScope.getStore();
      if (scope && config.exposeStatementCount) response.headers.set('x-sql-statements', String(scope.statements));
      if (new URL(request.url).pathname === '/graphql') response.headers.set('cache-control', 'private, no-store');
    },
  };

  const tagAsTooComplex = (_ctx: unknown, error: GraphQLError) => {
    (error.extensions as Record<string, unknown>).code = 'QUERY_TOO_COMPLEX';
  };
  const limit = { propagateOnRejection: true, exposeLimits: true, onReject: [tagAsTooComplex] };

  const yoga = createYoga<{ req: http.IncomingMessage }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: {
      debug: (...a) => log.debug(a.map(String).join(' ')),
      info: (...a) => log.info(a.map(String).join(' ')),
      warn: (...a) => log.warn(a.map(String).join(' ')),
      // yoga reports every GraphQL error here; unexpected ones are logged in full by maskError
      error: (...a) => log.debug(a.map(String).join(' ')),
    },
    maskedErrors: { maskError },
    // subscriptions over SSE: they carry the Headers tab's credential as real HTTP headers
    graphiql: { title: 'formgraph', defaultQuery: DEFAULT_DOCUMENT, subscriptionsProtocol: 'SSE' },
    renderGraphiQL,
    multipart: true,
    plugins: [
      useLocalGraphiQL(),
      ...(config.metricsEnabled ? [useMetrics(db)] : []),
      routes,
      useStreamingUploads({ maxFileBytes: config.limits.maxUploadBytes, directory: uploadDirectory }),
      EnvelopArmorPlugin({
        maxDepth: { ...limit, n: config.limits.maxDepth },
        maxAliases: { ...limit, n: config.limits.maxAliases },
        maxTokens: { ...limit, n: config.limits.maxTokens },
        maxDirectives: { ...limit, n: 50 },
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: !config.fieldSuggestions },
      }),
      useRequireCredential({
        anonymousIntrospection: config.anonymousIntrospection,
        isAuthenticated: (request) => authentications.get(request)?.kind === 'ok',
      }),
      useCostLimit(config.limits.maxCost),
      useEndOnRevocation(cache),
      useInputGuard(),
    ],
    context: ({ request }): GraphQLContext => {
      const auth = authentications.get(request);
      const ok = auth?.kind === 'ok' ? auth : null;
      const requestId = requestScope.getStore()?.requestId ?? randomUUID();
      return {
        db,
        config,
        events: deps.events,
        log: log.child({ requestId }),
        principal: ok?.principal ?? null,
        credential: ok ? credentialFrom(request.headers) : null,
        credentialExpiresAt: ok?.expiresAt ?? null,
        requestId,
        loaders: new RequestLoaders(),
      };
    },
  });

  const server = http.createServer((req, res) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const scope = { requestId, statements: 0 };
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ requestId, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms * 10) / 10, statements: scope.statements }, 'request');
    });
    const length = Number(req.headers['content-length'] ?? 0);
    const isUpload = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const max = isUpload ? config.limits.maxUploadBytes + 64 * 1024 : config.limits.maxBodyBytes;
    const serve = () => requestScope.run(scope, () => void yoga(req, res, { req }));
    if (length > max) {
      // refused from the header alone: the body is never parsed
      tooLarge(res, max);
      req.resume();
      return;
    }
    // a chunked body announces no length: read it here, counting, and refuse it once it is too
    // long; multipart uploads are counted while they stream by src/graphql/uploads.ts instead
    if (req.headers['transfer-encoding'] && req.headers['content-length'] === undefined && !isUpload) {
      readAtMost(req, max).then(
        (body) => {
          if (body === null) return tooLarge(res, max);
          // Yoga's Node adapter takes an already-read body from `req.body`
          (req as http.IncomingMessage & { body?: Buffer }).body = body;
          serve();
        },
        () => res.destroy(),
      );
      return;
    }
    serve();
  });

  const graphqlWs = serveGraphQLWs({ server, config, log, yoga, cache, rateLimit, maskError });

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
      // stop accepting; finish in-flight HTTP requests; close WebSocket clients with "going away"
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await graphqlWs.stop();
      server.closeIdleConnections();
      await closed;
      await cache.stop();
      await fs.promises.rm(uploadDirectory, { recursive: true, force: true });
    },
  };
}
