import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { CredentialCache } from './credential-cache.js';
import { touches } from './credential-change.js';

/** setTimeout's longest delay; credentials expiring later are caught by the per-operation check */
const MAX_TIMER_MS = 2 ** 31 - 1;

const final = (code: ErrorCode, message: string): ExecutionResult => ({
  errors: [new GraphQLError(message, { originalError: new AppError(code, message) })],
});

const isAsyncIterable = (value: unknown): value is AsyncIterableIterator<ExecutionResult> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * A subscription (graphql-ws or SSE) ends when its credential is revoked, expires, or loses a
 * scope it held when the stream started: the client gets one last result with the error, then
 * completion. Every process hears of revocations through the credential cache.
 */
export function useEndOnRevocation(cache: CredentialCache): Plugin<GraphQLContext> {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args, result, setResult }) {
          const ctx = args.contextValue;
          if (!ctx.principal || !ctx.credential || !isAsyncIterable(result)) return;
          setResult(endWhenRevoked(result, ctx as GraphQLContext & { principal: NonNullable<GraphQLContext['principal']> }, cache));
        },
      };
    },
  };
}

function endWhenRevoked(
  source: AsyncIterableIterator<ExecutionResult>,
  ctx: GraphQLContext & { principal: NonNullable<GraphQLContext['principal']> },
  cache: CredentialCache,
): AsyncIterableIterator<ExecutionResult> {
  const held = ctx.principal.scopes;
  let end!: (result: ExecutionResult) => void;
  const ended = new Promise<ExecutionResult>((resolve) => (end = resolve));
  const recheck = async () => {
    const auth = await cache.authenticate(ctx.credential ?? null);
    if (auth.kind !== 'ok') end(final('UNAUTHENTICATED', 'The credential was revoked or has expired'));
    else if (held.some((s) => !auth.principal.scopes.includes(s))) end(final('FORBIDDEN', 'The credential lost a scope this subscription needs'));
  };
  const off = cache.onChange((change) => {
    if (change === 'all' || touches(change, ctx.principal)) recheck().catch((err) => ctx.log.error({ err }, 'credential re-check failed'));
  });
  const untilExpiry = ctx.credentialExpiresAt ? ctx.credentialExpiresAt.getTime() - Date.now() : Infinity;
  const timer = untilExpiry < MAX_TIMER_MS ? setTimeout(() => end(final('UNAUTHENTICATED', 'The credential has expired')), Math.max(0, untilExpiry)) : null;
  let done = false;
  const finish = () => {
    done = true;
    off();
    if (timer) clearTimeout(timer);
  };
  return {
    async next() {
      if (done) return { done: true, value: undefined };
      const winner = await Promise.race([source.next(), ended.then((value) => ({ revoked: value }))]);
      if ('revoked' in winner) {
        finish();
        // the source may be waiting for its next event: ending it must not hold this result up
        void source.return?.();
        return { done: false, value: winner.revoked };
      }
      if (winner.done) finish();
      return winner;
    },
    async return() {
      finish();
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      finish();
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
