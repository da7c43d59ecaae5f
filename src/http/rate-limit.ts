import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal.js';

export interface RateLimited {
  retryAfter: number;
  message: string;
}

/**
 * Requests (HTTP requests, graphql-ws operations, failed authentications) per minute per caller,
 * counted in this process: a credential is one caller (an API key, a user in a workspace, an
 * OAuth client); anonymous requests and invalid credentials count per client address.
 * Returns what to answer when over the limit, or null to go on.
 */
export function createRateLimit(perMinute: number) {
  if (perMinute <= 0) return null;
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return async (caller: string): Promise<RateLimited | null> => {
    try {
      await limiter.consume(caller);
      return null;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      return { retryAfter, message: `Rate limit of ${perMinute} requests per minute exceeded; retry in ${retryAfter} s` };
    }
  };
}

export const rateLimitedResponse = (limited: RateLimited) =>
  new Response(JSON.stringify({ errors: [{ message: limited.message, extensions: { code: 'RATE_LIMITED', retryAfter: limited.retryAfter } }] }), {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': String(limited.retryAfter) },
  });

export function callerKey(principal: Principal | null, address: string | undefined): string {
  if (!principal) return `address:${address ?? 'unknown'}`;
  if (principal.apiKeyId) return `key:${principal.apiKeyId}`;
  if (principal.userId) return `user:${principal.userId}:${principal.workspaceId}`;
  return `client:${principal.oauthClientId}`;
}
