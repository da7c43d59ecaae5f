import type { EventPayload } from './bus.js';

export interface SubscribeOptions {
  /**
   * Events with the same key replace each other while pending: a consumer that falls behind
   * gets the latest event per key (e.g. per job id), which is what "re-read the row" needs.
   * Without it every event is kept, up to `maxPending`.
   */
  coalesceKey?: (payload: EventPayload) => string;
  /** pending events beyond this drop the oldest; default 256 */
  maxPending?: number;
}

/**
 * One subscriber's queue, as an async iterator. Bounded: memory per subscriber is at most
 * `maxPending` payloads however slow its consumer is; `dropped` counts what was discarded.
 */
export class Subscription implements AsyncIterableIterator<EventPayload> {
  private readonly pending = new Map<string | number, EventPayload>();
  private waiting: ((result: IteratorResult<EventPayload>) => void) | null = null;
  private done = false;
  private seq = 0;
  dropped = 0;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly onClose: () => void,
  ) {}

  push(payload: EventPayload) {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: payload, done: false });
      return;
    }
    const key = payload.resync ? '\0resync' : this.options.coalesceKey ? this.options.coalesceKey(payload) : this.seq++;
    // re-inserting moves a coalesced key to the end: pending events stay in order of their latest change
    this.pending.delete(key);
    this.pending.set(key, payload);
    const max = this.options.maxPending ?? 256;
    while (this.pending.size > max) {
      this.pending.delete(this.pending.keys().next().value!);
      this.dropped += 1;
    }
  }

  get size() {
    return this.pending.size;
  }

  next(): Promise<IteratorResult<EventPayload>> {
    if (this.pending.size > 0) {
      const [key, value] = this.pending.entries().next().value!;
      this.pending.delete(key);
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<EventPayload>> {
    if (!this.done) {
      this.done = true;
      this.pending.clear();
      this.onClose();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<EventPayload>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
