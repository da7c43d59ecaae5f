import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.js';
import { requestScope } from './db/statement-counter.js';

export type { Logger, DestinationStream };

/**
 * JSON lines on stdout (or `destination`: tests capture them); readable lines instead when a
 * person watches (stdout is a terminal) or `human` is asked for. Every line written while a
 * request is being served carries its `requestId`, whichever module logs it.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream, { human = !destination && process.stdout.isTTY === true } = {}): Logger {
  const options = {
    level,
    base: { service: 'formgraph' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: (merge: object) => {
      const requestId = requestScope.getStore()?.requestId;
      return requestId && !('requestId' in merge) ? { requestId } : {};
    },
  };
  if (human) {
    // sync: a line is on screen before the process goes on (or exits)
    const stream = pretty({
      destination: destination ?? 1,
      sync: true,
      colorize: !destination && pretty.isColorSupported,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
    });
    return pino(options, stream);
  }
  // stdout is written asynchronously (flushed on exit): a request never waits for its log line
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}
