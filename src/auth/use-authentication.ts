import type http from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { requestScope } from '../db/statement-counter.js';
import { callerKey, rateLimitedResponse, type createRateLimit } from '../http/rate-limit.js';
import { internalErrorResponse, jsonResponse } from '../http/responses.js';
import type { Principal } from './principal.js';
import { credentialFrom, type Authentication } from './authenticate.js';
import type { CredentialCache } from './credential-cache.js';

/** The caller as the transport found it: what every operation of the request runs as. */
export interface Caller {
  authentication: Exclude<Authentication, { kind: 'invalid' }>;
  /** the secret the principal was read from */
  credential: string | null;
}

/** The server context's part this plugin fills in (HTTP) or graphql-ws hands over (per operation). */
export interface CallerContext {
  caller?: Caller;
  req?: http.IncomingMessage;
}

export const principalOf = (caller: Caller | undefined): Principal | null => (caller?.authentication.kind === 'ok' ? caller.authentication.principal : null);

/** What the GraphQL context learns from the caller. */
export function callerContext(caller: Caller | undefined) {
  const ok = caller?.authentication.kind === 'ok' ? caller.authentication : null;
  return { principal: ok?.principal ?? null, credential: ok ? caller!.credential : null, credentialExpiresAt: ok?.expiresAt ?? null };
}

const unauthenticated = (reason: string) =>
  jsonResponse(401, { errors: [{ message: reason, extensions: { code: 'UNAUTHENTICATED' } }] }, { 'www-authenticate': 'Bearer realm="formgraph"' });

/**
 * Authenticates every HTTP request (through the credential cache) before anything else runs on
 * it, and puts the caller in the server context, from which the GraphQL context takes the
 * principal. An invalid credential is refused (401) and counts against the caller's address; a
 * missing one is anonymous.
 */
export function useAuthentication(options: { cache: CredentialCache; rateLimit: ReturnType<typeof createRateLimit>; log: Logger }): Plugin<CallerContext> {
  const { cache, rateLimit, log } = options;
  return {
    async onRequest({ request, serverContext, endResponse }) {
      const credential = credentialFrom(request.headers);
      let authentication: Authentication;
      try {
        authentication = await cache.authenticate(credential);
      } catch (error) {
        // e.g. the database is unreachable: logged in full, masked for the client like any other
        const requestId = requestScope.getStore()?.requestId;
        log.error({ err: error, requestId }, 'unexpected error');
        return endResponse(internalErrorResponse(requestId));
      }
      if (rateLimit) {
        const address = (serverContext as CallerContext).req?.socket.remoteAddress;
        const limited = await rateLimit(callerKey(authentication.kind === 'ok' ? authentication.principal : null, address));
        if (limited) return endResponse(rateLimitedResponse(limited));
      }
      if (authentication.kind === 'invalid') return endResponse(unauthenticated(authentication.reason));
      (serverContext as CallerContext).caller = { authentication, credential };
    },
  };
}
