import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { newRequestScope, requestScope } from '../db/statement-counter.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Serves one request; `req` becomes the request's server context. */
export type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * The HTTP server in front of Yoga: a request id (the client's `x-request-id` when well-formed),
 * a statement-counting scope and an access log line per request, and body size limits enforced
 * before anything is parsed.
 */
export function createHttpServer(config: Config, log: Logger, handle: NodeHandler): http.Server {
  return http.createServer((req, res) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const scope = newRequestScope(requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ requestId, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms * 10) / 10, statements: scope.statements }, 'request');
    });
    const length = Number(req.headers['content-length'] ?? 0);
    const isUpload = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const max = isUpload ? config.limits.maxUploadBytes + 64 * 1024 : config.limits.maxBodyBytes;
    const serve = () => requestScope.run(scope, () => handle(req, res));
    if (length > max) {
      // refused from the header alone: the body is never parsed
      tooLarge(res, max);
      req.resume();
      return;
    }
    // a chunked body announces no length: read it here, counting, and refuse it once it is too
    // long; multipart uploads are counted while they stream by src/graphql/uploads.ts instead
    if (req.headers['transfer-encoding'] && req.headers['content-length'] === undefined && !isUpload) {
      readAtMost(req, max).then(
        (body) => {
          if (body === null) return tooLarge(res, max);
          // Yoga's Node adapter takes an already-read body from `req.body`
          (req as http.IncomingMessage & { body?: Buffer }).body = body;
          serve();
        },
        () => res.destroy(),
      );
      return;
    }
    serve();
  });
}

/**
 * The 413 goes out while the rest of the body is drained: closing the connection with unread data
 * would reset it, and the client, still sending, could lose the answer.
 */
function tooLarge(res: http.ServerResponse, max: number) {
  res.writeHead(413, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message: `Request body exceeds ${max} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }));
}

/** The body, or null once it passes `max` bytes (the rest is read and discarded, so the client sees the 413). */
function readAtMost(req: http.IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
