import { Subscription, type SubscribeOptions } from './subscription.js';

export type EventPayload = Record<string, unknown>;

/**
 * Topics ("job:<id>", "jobs:<workspaceId>", see topics.ts) carrying ids only: subscribers re-read
 * rows so that scope and selections apply to every event. Publish after the transaction commits.
 */
export interface EventBus {
  publish(topic: string, payload: EventPayload): Promise<void>;
  /**
   * A bounded, optionally coalescing stream of the topic's events. A slow consumer never blocks
   * the bus or other subscribers: its pending events are capped (see Subscription).
   */
  subscribe(topic: string, options?: SubscribeOptions): AsyncIterableIterator<EventPayload>;
  close(): Promise<void>;
}

/**
 * Delivers events to this process's subscribers. Every transport (local, PostgreSQL, Redis)
 * funnels what it receives through one FanOut; `deliver` only enqueues and never awaits.
 */
export class FanOut {
  private readonly byTopic = new Map<string, Set<Subscription>>();

  subscribe(topic: string, options: SubscribeOptions = {}): Subscription {
    let set = this.byTopic.get(topic);
    if (!set) this.byTopic.set(topic, (set = new Set()));
    const subscription = new Subscription(options, () => {
      set.delete(subscription);
      if (set.size === 0 && this.byTopic.get(topic) === set) this.byTopic.delete(topic);
    });
    set.add(subscription);
    return subscription;
  }

  deliver(topic: string, payload: EventPayload) {
    const set = this.byTopic.get(topic);
    if (!set) return;
    // one frozen object for all local subscribers: readers may memoise work per event on it
    Object.freeze(payload);
    for (const s of set) s.push(payload);
  }

  /**
   * After a transport reconnects, events may have been missed: every subscriber gets a
   * `{ resync: true }` event and re-reads the current state.
   */
  resyncAll() {
    for (const set of this.byTopic.values()) for (const s of set) s.push(RESYNC);
  }

  get subscriberCount() {
    let n = 0;
    for (const set of this.byTopic.values()) n += set.size;
    return n;
  }

  closeAll() {
    for (const set of [...this.byTopic.values()]) for (const s of [...set]) void s.return();
    this.byTopic.clear();
  }
}

export const RESYNC: EventPayload = Object.freeze({ resync: true });

/** Single-process bus (unit tests, tools); the cross-instance transports share FanOut. */
export function createLocalBus(): EventBus {
  const fan = new FanOut();
  return {
    async publish(topic, payload) {
      fan.deliver(topic, { ...payload });
    },
    subscribe: (topic, options) => fan.subscribe(topic, options),
    async close() {
      fan.closeAll();
    },
  };
}
