import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { requestScope } from './db/statement-counter.js';

export type { Logger, DestinationStream };

/**
 * JSON lines on stdout (or `destination`: tests capture them). Every line written while a
 * request is being served carries its `requestId`, whichever module logs it.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'formgraph' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: (merge: object) => {
      const requestId = requestScope.getStore()?.requestId;
      return requestId && !('requestId' in merge) ? { requestId } : {};
    },
  };
  // stdout is written asynchronously (flushed on exit): a request never waits for its log line
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}
