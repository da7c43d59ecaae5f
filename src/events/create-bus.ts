import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { EventBus } from './bus.js';
import { createPgBus } from './pg-bus.js';
import { createRedisBus } from './redis-bus.js';

/** Picks the transport: Redis when REDIS_URL is set, else PostgreSQL LISTEN/NOTIFY. */
export async function createEventBus(config: Config, databaseUrl: string, log: Logger): Promise<EventBus> {
  if (config.redisUrl) {
    log.debug('event bus: redis');
    return createRedisBus(config.redisUrl, log);
  }
  log.debug('event bus: postgresql listen/notify');
  return createPgBus(databaseUrl, log);
}
