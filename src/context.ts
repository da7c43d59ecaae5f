import type { Db } from './db/prisma.js';
import type { Principal } from './auth/principal.js';
import type { Logger } from './logger.js';
import type { Config } from './config.js';
import type { EventBus } from './events/bus.js';
import type { RequestLoaders } from './loaders.js';

/** What services need: no GraphQL in here, so jobs and the CLI can build one too. */
export interface ServiceContext {
  db: Db;
  config: Config;
  events: EventBus;
  log: Logger;
  principal: Principal | null;
}

export interface GraphQLContext extends ServiceContext {
  requestId: string;
  /** the secret the principal was read from: long-lived streams re-check it (src/auth/end-on-revocation.ts) */
  credential?: string | null;
  credentialExpiresAt?: Date | null;
  /** this request's DataLoaders (src/loaders.ts) */
  loaders: RequestLoaders;
}

/** A context that must be signed in to a workspace; services call this first. */
export function requireWorkspace(ctx: ServiceContext): Principal {
  if (!ctx.principal) throw new Error('requireWorkspace called without a principal: auth scopes missing on the field');
  return ctx.principal;
}
