import { createPubSub } from 'graphql-yoga';

/**
 * Typed-by-convention topics ("job:<id>", "jobs:<workspaceId>", ...) carrying ids only:
 * subscribers re-read rows so that scope and selections apply to every event.
 */
export interface EventBus {
  publish(topic: string, payload: Record<string, unknown>): Promise<void>;
  subscribe(topic: string): AsyncIterable<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Single-process bus; the cross-instance transports wrap the same interface. */
export function createLocalBus(): EventBus {
  const pubsub = createPubSub<Record<string, [Record<string, unknown>]>>();
  return {
    async publish(topic, payload) {
      pubsub.publish(topic, payload);
    },
    subscribe: (topic) => pubsub.subscribe(topic),
    async close() {},
  };
}
