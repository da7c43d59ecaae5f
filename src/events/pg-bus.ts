import pg from 'pg';
import type { Logger } from '../logger.js';
import { FanOut, type EventBus } from './bus.js';

export const PG_CHANNEL = 'formgraph_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; ours are ids only. */
const MAX_PAYLOAD = 7900;

/**
 * Cross-process events over PostgreSQL LISTEN/NOTIFY, on one channel: each process LISTENs once
 * with a dedicated connection and fans messages out to its own subscribers by topic. NOTIFY is
 * transactional and delivered in commit order, to every listener including the publisher itself.
 * When the listening connection drops it reconnects with backoff and asks every subscriber to
 * re-read (events sent while disconnected are lost, state is not).
 */
export async function createPgBus(databaseUrl: string, log: Logger): Promise<EventBus> {
  const fan = new FanOut();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', (err) => log.warn({ err }, 'event bus: idle publish connection failed'));
  let listener: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  async function connect(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('notification', (msg) => {
      if (msg.channel !== PG_CHANNEL || !msg.payload) return;
      try {
        const { t, p } = JSON.parse(msg.payload) as { t: string; p: Record<string, unknown> };
        fan.deliver(t, p);
      } catch (err) {
        log.warn({ err }, 'event bus: unreadable notification');
      }
    });
    client.on('error', (err) => log.warn({ err }, 'event bus: listener connection error'));
    client.on('end', () => {
      if (listener === client) listener = null;
      if (!closed) reconnect(250);
    });
    await client.connect();
    await client.query(`LISTEN ${PG_CHANNEL}`);
    listener = client;
  }

  function reconnect(delay: number) {
    if (closed || retry) return;
    retry = setTimeout(async () => {
      retry = null;
      try {
        await connect();
        log.info('event bus: listener reconnected');
        fan.resyncAll();
      } catch (err) {
        log.warn({ err }, 'event bus: reconnect failed');
        reconnect(Math.min(delay * 2, 5000));
      }
    }, delay);
  }

  await connect();
  return {
    async publish(topic, payload) {
      const text = JSON.stringify({ t: topic, p: payload });
      if (Buffer.byteLength(text) > MAX_PAYLOAD) throw new Error(`event payload for ${topic} is too large for NOTIFY`);
      await pool.query('select pg_notify($1, $2)', [PG_CHANNEL, text]);
    },
    subscribe: (topic, options) => fan.subscribe(topic, options),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      fan.closeAll();
      const client = listener;
      listener = null;
      await client?.end().catch(() => {});
      await pool.end();
    },
  };
}
