import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const isAsyncIterable = (value: unknown): value is AsyncIterableIterator<ExecutionResult> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * Open subscriptions (SSE and graphql-ws alike) complete when the app stops, instead of holding
 * the HTTP server open until their clients leave: `endAll()` completes every stream now open and
 * each one opened after it, and resolves once their sources were told to finish.
 */
export function endStreamsOnStop() {
  const open = new Set<() => Promise<void>>();
  let stopping = false;
  let stop!: () => void;
  const stopped = new Promise<{ stopped: true }>((resolve) => (stop = () => resolve({ stopped: true })));

  const endable = (source: AsyncIterableIterator<ExecutionResult>): AsyncIterableIterator<ExecutionResult> => {
    let done = false;
    const finish = async () => {
      if (done) return;
      done = true;
      open.delete(finish);
      await source.return?.();
    };
    open.add(finish);
    return {
      async next() {
        if (done || stopping) {
          await finish();
          return { done: true, value: undefined };
        }
        const winner = await Promise.race([source.next(), stopped]);
        if ('stopped' in winner || winner.done) {
          // the source may be waiting for its next event: finishing it must not hold the stream up
          void finish();
          return { done: true, value: undefined };
        }
        return winner;
      },
      async return() {
        await finish();
        return { done: true, value: undefined };
      },
      async throw(error?: unknown) {
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };

  const plugin: Plugin = {
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(endable(result));
        },
      };
    },
  };

  return {
    plugin,
    async endAll() {
      stopping = true;
      stop();
      await Promise.all([...open].map((finish) => finish()));
    },
  };
}
