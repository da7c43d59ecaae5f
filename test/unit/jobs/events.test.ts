import { describe, expect, it } from 'vitest';
import { createLocalBus, FanOut, RESYNC } from '../../../src/events/bus.js';

describe('event subscriptions', () => {
  it('delivers in order to every subscriber of a topic, and only to them', async () => {
    const bus = createLocalBus();
    const a = bus.subscribe('t1');
    const b = bus.subscribe('t1');
    const other = bus.subscribe('t2');
    await bus.publish('t1', { n: 1 });
    await bus.publish('t1', { n: 2 });
    for (const s of [a, b]) {
      expect((await s.next()).value).toEqual({ n: 1 });
      expect((await s.next()).value).toEqual({ n: 2 });
    }
    await bus.publish('t2', { n: 3 });
    expect((await other.next()).value).toEqual({ n: 3 });
    await bus.close();
  });

  it('bounds a slow subscriber: keeps the newest maxPending events, counts the dropped', async () => {
    const fan = new FanOut();
    const slow = fan.subscribe('t', { maxPending: 3 });
    const fast = fan.subscribe('t', { maxPending: 3 });
    const received: unknown[] = [];
    const reading = (async () => {
      for await (const e of fast) {
        received.push(e.n);
        if (received.length === 10) break;
      }
    })();
    for (let n = 0; n < 10; n++) {
      fan.deliver('t', { n });
      await Promise.resolve();
      await Promise.resolve();
    }
    await reading;
    expect(received).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(slow.size).toBe(3);
    expect(slow.dropped).toBe(7);
    const left = [(await slow.next()).value!.n, (await slow.next()).value!.n, (await slow.next()).value!.n];
    expect(left).toEqual([7, 8, 9]);
  });

  it('coalesces pending events by key, keeping the latest and its position', async () => {
    const fan = new FanOut();
    const s = fan.subscribe('t', { coalesceKey: (e) => String(e.id) });
    fan.deliver('t', { id: 'a', v: 1 });
    fan.deliver('t', { id: 'b', v: 1 });
    fan.deliver('t', { id: 'a', v: 2 });
    expect(s.size).toBe(2);
    expect((await s.next()).value).toEqual({ id: 'b', v: 1 });
    expect((await s.next()).value).toEqual({ id: 'a', v: 2 });
  });

  it('ends a waiting reader and unsubscribes on return', async () => {
    const fan = new FanOut();
    const s = fan.subscribe('t');
    expect(fan.subscriberCount).toBe(1);
    const pending = s.next();
    await s.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(fan.subscriberCount).toBe(0);
    fan.deliver('t', { n: 1 });
    expect((await s.next()).done).toBe(true);
  });

  it('asks every subscriber to re-read after a reconnect', async () => {
    const fan = new FanOut();
    const a = fan.subscribe('x', { coalesceKey: () => 'k', maxPending: 1 });
    const b = fan.subscribe('y');
    fan.resyncAll();
    expect((await a.next()).value).toBe(RESYNC);
    expect((await b.next()).value).toBe(RESYNC);
  });
});
