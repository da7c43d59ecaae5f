import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../context.js';
import type { Logger } from '../logger.js';
import { newRequestScope, requestScope } from '../db/statement-counter.js';
import { credentialFrom, type Authentication } from '../auth/authenticate.js';
import type { CredentialCache } from '../auth/credential-cache.js';
import { touches } from '../auth/credential-change.js';
import { callerKey, type createRateLimit } from '../http/rate-limit.js';
import { anonymousRefusal } from '../auth/use-require-credential.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** graphql-ws's close code for a refused credential */
const FORBIDDEN = 4403;

type Extra = {
  /** the connection's credential (connectionParams, else the upgrade request's headers) */
  credential: string | null;
  requestId: string;
};

export interface GraphQLWsDeps {
  server: http.Server;
  config: Config;
  log: Logger;
  yoga: YogaServerInstance<{ req: http.IncomingMessage }, GraphQLContext>;
  cache: CredentialCache;
  rateLimit: ReturnType<typeof createRateLimit>;
  maskError: (error: unknown) => Error;
  /** counts the errors of every result and error message sent (metrics), when metrics are on */
  countErrors?: (errors: readonly { extensions?: Record<string, unknown> }[] | null | undefined) => void;
}

const refusal = (code: string, message: string) => [new GraphQLError(message, { extensions: { code } })];

/** `{ authorization }` or `{ x-api-key }` in connectionParams or in a subscribe message's `extensions.headers` (GraphiQL). */
function credentialIn(record: unknown): string | null {
  if (!record || typeof record !== 'object') return null;
  const entries = Object.entries(record as Record<string, unknown>).filter(([, v]) => typeof v === 'string') as [string, string][];
  return credentialFrom(new Headers(entries));
}

/**
 * The graphql-transport-ws protocol on the HTTP server's `/graphql`. Every operation goes through
 * Yoga's envelop pipeline (limits, masking, cost) and is authenticated on its own, through the
 * credential cache: a credential in the message's `extensions.headers` wins over the
 * connection's. A connection whose credential is revoked or expires is closed with 4403, in
 * every process (the cache hears of revocations over the event bus). Each operation counts
 * against the caller's rate limit; a message larger than MAX_BODY_BYTES closes the socket (1009)
 * before it is buffered whole.
 */
export function serveGraphQLWs(deps: GraphQLWsDeps) {
  const { config, log, yoga, cache, rateLimit, maskError, countErrors } = deps;
  const wss = new WebSocketServer({ server: deps.server, path: '/graphql', maxPayload: config.limits.maxBodyBytes });
  const forget = new WeakMap<WebSocket, () => void>();

  const addressOf = (socket: WebSocket & { _socket?: { remoteAddress?: string } }) => socket._socket?.remoteAddress;

  const wsServer = useServer<Record<string, unknown>, Extra>(
    {
      // each operation runs in its own request scope: log lines carry the connection's request id
      execute: (args: any) => requestScope.run(newRequestScope(args.contextValue.requestId), () => args.rootValue.execute(args)),
      subscribe: (args: any) => requestScope.run(newRequestScope(args.contextValue.requestId), () => args.rootValue.subscribe(args)),
      onNext: (_ctx, _id, _payload, _args, result) => countErrors?.(result.errors),
      onError: (_ctx, _id, _payload, errors) => countErrors?.(errors),
      onConnect: async (ctx) => {
        const fromParams = credentialIn(ctx.connectionParams);
        const headers = ctx.extra.request.headers;
        const credential = fromParams ?? credentialFrom(new Headers(Object.entries(headers).filter(([, v]) => typeof v === 'string') as [string, string][]));
        const given = headers['x-request-id'];
        const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        let auth: Authentication;
        try {
          auth = await cache.authenticate(credential);
        } catch (error) {
          log.error({ err: error, requestId }, 'unexpected error');
          // graphql-ws sends the message as the close reason: keep it generic
          throw new Error('Unexpected error.');
        }
        if (auth.kind === 'invalid') {
          await rateLimit?.(callerKey(null, addressOf(ctx.extra.socket)));
          return false;
        }
        ctx.extra.credential = credential;
        ctx.extra.requestId = requestId;
        if (auth.kind === 'ok') {
          const principal = auth.principal;
          const socket = ctx.extra.socket;
          const off = cache.onChange((change) => {
            if (change !== 'all' && !touches(change, principal)) return;
            cache.authenticate(credential).then(
              (now) => now.kind !== 'ok' && socket.close(FORBIDDEN, 'Forbidden'),
              (err) => log.error({ err, requestId }, 'credential re-check failed'),
            );
          });
          forget.set(socket, off);
          socket.once('close', off);
        }
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const requestId = ctx.extra.requestId ?? randomUUID();
        const fromMessage = credentialIn((payload.extensions as { headers?: unknown } | undefined)?.headers);
        const credential = fromMessage ?? ctx.extra.credential ?? null;
        const address = addressOf(ctx.extra.socket);
        const auth = await cache.authenticate(credential);
        if (auth.kind === 'invalid') {
          const limited = await rateLimit?.(callerKey(null, address));
          if (limited) return refusal('RATE_LIMITED', limited.message);
          // the connection's own credential is gone: nothing more runs on this socket
          if (!fromMessage) setImmediate(() => ctx.extra.socket.close(FORBIDDEN, 'Forbidden'));
          return refusal('UNAUTHENTICATED', `${auth.reason}: send a valid API key or access token`);
        }
        const principal = auth.kind === 'ok' ? auth.principal : null;
        const limited = await rateLimit?.(callerKey(principal, address));
        if (limited) return refusal('RATE_LIMITED', limited.message);
        if (!principal) {
          const anonymous = anonymousRefusal(payload.query, payload.operationName, config.anonymousIntrospection);
          if (anonymous) return refusal('UNAUTHENTICATED', anonymous.message);
        }

        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          caller: { authentication: auth, credential },
        });
        const mask = (errors: readonly GraphQLError[]) =>
          requestScope.run(newRequestScope(requestId), () =>
            errors.map((e) => {
              // `extensions.http` is for Yoga's HTTP status; there is none over a WebSocket
              const masked = maskError(e) as GraphQLError;
              const { http: _http, ...extensions } = masked.extensions;
              return new GraphQLError(masked.message, { nodes: masked.nodes, path: masked.path, extensions });
            }),
          );
        let document;
        try {
          // parse errors and the limits (which throw from parse and validation) answer the
          // operation with an error; uncaught they would close the whole connection
          document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length) return mask(errors);
        } catch (error) {
          return mask([error as GraphQLError]);
        }
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: { ...(await contextFactory()), requestId, log: log.child({ requestId }) },
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );

  return {
    async stop() {
      await wsServer.dispose();
      for (const client of wss.clients) {
        forget.get(client)?.();
        client.close(1001, 'Server shutting down');
      }
    },
  };
}
