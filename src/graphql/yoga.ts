import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { createYoga } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import type { Config } from '../config.js';
import type { Db } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import type { EventBus } from '../events/bus.js';
import type { GraphQLContext } from '../context.js';
import { buildSchema } from '../schema.js';
import { requestScope } from '../db/statement-counter.js';
import { RequestLoaders } from '../loaders.js';
import type { CredentialCache } from '../auth/credential-cache.js';
import { type CallerContext, callerContext, useAuthentication } from '../auth/use-authentication.js';
import { useEndOnRevocation } from '../auth/end-on-revocation.js';
import { useRequireCredential } from '../auth/use-require-credential.js';
import type { createRateLimit } from '../http/rate-limit.js';
import { DEFAULT_DOCUMENT } from '../http/graphiql-document.js';
import { renderGraphiQL, useLocalGraphiQL } from '../http/graphiql.js';
import type { Metrics } from '../http/metrics.js';
import type { Plugin } from 'graphql-yoga';
import { type Route, useAppRoutes, usePublicRoutes, useResponseHeaders } from '../http/use-routes.js';
import { useCostLimit } from './limits/use-cost-limit.js';
import { useStreamingUploads } from './uploads.js';
import { useInputGuard } from './input-guard.js';

export interface YogaDeps {
  config: Config;
  db: Db;
  log: Logger;
  events: EventBus;
  cache: CredentialCache;
  rateLimit: ReturnType<typeof createRateLimit>;
  maskError: (error: unknown) => Error;
  routes: Route[];
  uploadDirectory: string;
  metrics: Metrics | null;
  /** ends open subscriptions when the app stops */
  streams: Plugin;
}

/** The GraphQL server: routes, authentication, limits and the per-request context, in that order. */
export function createGraphQLServer(deps: YogaDeps) {
  const { config, db, log, cache, rateLimit } = deps;
  const tagAsTooComplex = (_ctx: unknown, error: GraphQLError) => {
    (error.extensions as Record<string, unknown>).code = 'QUERY_TOO_COMPLEX';
  };
  const limit = { propagateOnRejection: true, exposeLimits: true, onReject: [tagAsTooComplex] };

  return createYoga<{ req: http.IncomingMessage } & CallerContext, GraphQLContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: {
      debug: (...a) => log.debug(a.map(String).join(' ')),
      info: (...a) => log.info(a.map(String).join(' ')),
      warn: (...a) => log.warn(a.map(String).join(' ')),
      // yoga reports every GraphQL error here; unexpected ones are logged in full by maskError
      error: (...a) => log.debug(a.map(String).join(' ')),
    },
    maskedErrors: { maskError: deps.maskError },
    // subscriptions over SSE: they carry the Headers tab's credential as real HTTP headers
    graphiql: { title: 'formgraph', defaultQuery: DEFAULT_DOCUMENT, subscriptionsProtocol: 'SSE' },
    renderGraphiQL,
    multipart: true,
    plugins: [
      useLocalGraphiQL(),
      ...(deps.metrics ? [deps.metrics.plugin] : []),
      usePublicRoutes({ db, config, events: deps.events, rateLimit }),
      useAuthentication({ cache, rateLimit, log }),
      useAppRoutes(deps.routes, log),
      useResponseHeaders(config.exposeStatementCount),
      useStreamingUploads({ maxFileBytes: config.limits.maxUploadBytes, directory: deps.uploadDirectory }),
      EnvelopArmorPlugin({
        maxDepth: { ...limit, n: config.limits.maxDepth },
        maxAliases: { ...limit, n: config.limits.maxAliases },
        maxTokens: { ...limit, n: config.limits.maxTokens },
        maxDirectives: { ...limit, n: 50 },
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: !config.fieldSuggestions },
      }),
      useRequireCredential({ anonymousIntrospection: config.anonymousIntrospection }),
      useCostLimit(config.limits.maxCost),
      useEndOnRevocation(cache),
      deps.streams,
      useInputGuard(),
    ],
    context: ({ caller }) => {
      const requestId = requestScope.getStore()?.requestId ?? randomUUID();
      return {
        db,
        config,
        events: deps.events,
        log: log.child({ requestId }),
        ...callerContext(caller),
        requestId,
        loaders: new RequestLoaders(),
      };
    },
  });
}
