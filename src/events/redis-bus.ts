import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { FanOut, type EventBus } from './bus.js';

export const REDIS_CHANNEL = 'formgraph:events';

/**
 * Cross-process events over Redis pub/sub, on one channel, fanned out locally by topic (same
 * framing as the PostgreSQL transport). ioredis reconnects by itself; after a reconnect every
 * subscriber re-reads, since messages published meanwhile are gone.
 */
export async function createRedisBus(redisUrl: string, log: Logger): Promise<EventBus> {
  const fan = new FanOut();
  const options = { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: 'formgraph-events' };
  const pub = new Redis(redisUrl, options);
  const sub = new Redis(redisUrl, options);
  for (const [name, c] of [
    ['publisher', pub],
    ['subscriber', sub],
  ] as const)
    c.on('error', (err) => log.warn({ err }, `event bus: redis ${name} error`));
  let ready = false;
  sub.on('ready', () => {
    if (ready) {
      log.info('event bus: redis subscriber reconnected');
      fan.resyncAll();
    }
    ready = true;
  });
  sub.on('message', (_channel: string, message: string) => {
    try {
      const { t, p } = JSON.parse(message) as { t: string; p: Record<string, unknown> };
      fan.deliver(t, p);
    } catch (err) {
      log.warn({ err }, 'event bus: unreadable redis message');
    }
  });
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(REDIS_CHANNEL);
  return {
    async publish(topic, payload) {
      await pub.publish(REDIS_CHANNEL, JSON.stringify({ t: topic, p: payload }));
    },
    subscribe: (topic, options) => fan.subscribe(topic, options),
    async close() {
      fan.closeAll();
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
}
