import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Db } from '../db/prisma.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { requestScope } from '../db/statement-counter.js';
import { type CallerContext, principalOf } from '../auth/use-authentication.js';
import type { Principal } from '../auth/principal.js';
import { handleOAuth } from './oauth.routes.js';
import { callerKey, rateLimitedResponse, type createRateLimit } from './rate-limit.js';
import { internalErrorResponse, jsonResponse } from './responses.js';

/** A route tried before GraphQL (downloads, ...); null passes the request on. */
export type Route = (request: Request, path: string, principal: Principal | null) => Promise<Response | null>;

/** Health checks and the OAuth token endpoints: they answer before any credential is read. */
export function usePublicRoutes(deps: { db: Db; config: Config; events: EventBus; rateLimit: ReturnType<typeof createRateLimit> }): Plugin<CallerContext> {
  const { db, rateLimit } = deps;
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      const path = url.pathname;
      if (path === '/healthz') return endResponse(jsonResponse(200, { status: 'ok' }));
      if (path === '/readyz') {
        const ok = await db.$queryRawUnsafe('select 1').then(
          () => true,
          () => false,
        );
        return endResponse(jsonResponse(ok ? 200 : 503, { status: ok ? 'ok' : 'database unreachable' }));
      }
      // token requests are limited per address: password guessing must not be free
      if (rateLimit && path.startsWith('/oauth/')) {
        const limited = await rateLimit(callerKey(null, (serverContext as CallerContext).req?.socket.remoteAddress));
        if (limited) return endResponse(rateLimitedResponse(limited));
      }
      const oauth = await handleOAuth(request, path, deps);
      if (oauth) return endResponse(oauth);
    },
  };
}

/** The app's own routes, tried after authentication with the caller's principal. */
export function useAppRoutes(routes: Route[], log: Logger): Plugin<CallerContext> {
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      const principal = principalOf((serverContext as CallerContext).caller);
      for (const route of routes) {
        let response: Response | null;
        try {
          response = await route(request, url.pathname, principal);
        } catch (error) {
          const requestId = requestScope.getStore()?.requestId;
          log.error({ err: error, requestId, path: url.pathname }, 'unexpected error');
          return endResponse(internalErrorResponse(requestId));
        }
        if (response) return endResponse(response);
      }
    },
  };
}

/** The statement count (when exposed) and no caching of GraphQL answers. */
export function useResponseHeaders(exposeStatementCount: boolean): Plugin {
  return {
    onResponse({ request, response }) {
      const scope = requestScope.getStore();
      if (scope && exposeStatementCount) {
        response.headers.set('x-sql-statements', String(scope.statements));
        response.headers.set('x-sql-ms', scope.sqlMs.toFixed(3));
      }
      if (new URL(request.url).pathname === '/graphql') response.headers.set('cache-control', 'private, no-store');
    },
  };
}
