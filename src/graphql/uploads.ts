/**
 * GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * without holding files in memory.
 *
 * Yoga's own multipart parser collects every file part into memory before execution. This
 * parser streams the request through busboy instead: `operations` and `map` are small fields; each
 * file part is spooled to a temporary file while its bytes are counted, and refused with 413 as
 * soon as it passes the limit (a missing or lying Content-Length changes nothing). The variable
 * then holds a standard `File` backed by that disk file (`fs.openAsBlob`), so resolvers read it
 * with `file.stream()` chunk by chunk. Temporary files are removed when the response is sent.
 *
 * The `Upload` scalar (scalars.ts) accepts these `File`s; any field can take `t.arg({ type: 'Upload' })`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy } from '@fastify/busboy';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface StreamingUploadOptions {
  /** the largest file accepted, in bytes */
  maxFileBytes: number;
  /** where files are spooled; the OS temporary folder by default */
  directory?: string;
  maxFiles?: number;
}

// request errors (no execution path): mask-error keeps their code and http status
const tooLarge = (max: number) =>
  new GraphQLError(`The uploaded file exceeds ${max} bytes`, { extensions: { http: { status: 413 }, code: 'PAYLOAD_TOO_LARGE' } });
const badRequest = (message: string) => new GraphQLError(message, { extensions: { http: { status: 400 }, code: 'BAD_USER_INPUT' } });

export function useStreamingUploads(opts: StreamingUploadOptions): Plugin {
  const spooled = new WeakMap<Request, string[]>();
  const directory = opts.directory ?? os.tmpdir();

  async function parse(request: Request, files: string[]) {
    try {
      return await parseInto(request, files);
    } catch (error) {
      await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
      throw error;
    }
  }

  async function parseInto(request: Request, files: string[]) {
    const fields = new Map<string, string>();
    const uploads = new Map<string, File>();
    const writes: Promise<void>[] = [];
    let failure: Error | null = null;
    const body = request.body;
    if (!body) throw badRequest('Missing multipart body');

    await new Promise<void>((resolve, reject) => {
      let bb: InstanceType<typeof Busboy>;
      // eslint-disable-next-line prefer-const
      let source: Readable;
      try {
        bb = new Busboy({
          headers: { 'content-type': request.headers.get('content-type') ?? '' },
          limits: { fileSize: opts.maxFileBytes, files: opts.maxFiles ?? 10, fields: 20, fieldSize: 1024 * 1024, parts: 40 },
        });
      } catch (e) {
        return reject(badRequest(`Invalid multipart request: ${(e as Error).message}`));
      }
      const fail = (e: Error) => {
        failure ??= e;
      };
      bb.on('field', (name, value, _nameTruncated, valueTruncated) => {
        if (valueTruncated) fail(badRequest(`Multipart field "${name}" is too large`));
        else fields.set(name, value);
      });
      bb.on('file', (name, stream, filename, _encoding, mimeType) => {
        if (!fields.has('operations')) {
          // the spec puts operations and map before any file; refuse rather than guess
          fail(badRequest('Multipart field "operations" must come before the files'));
          stream.resume();
          return;
        }
        const file = path.join(directory, `formgraph-upload-${randomBytes(12).toString('hex')}`);
        files.push(file);
        let truncated = false;
        stream.on('limit', () => {
          // stop here: nothing more is parsed or stored; the 413 goes out at once while the rest
          // of the body is drained and dropped (closing with unread data would reset the
          // connection and lose the answer on the client's side)
          truncated = true;
          fail(tooLarge(opts.maxFileBytes));
          stream.destroy();
          source.unpipe(bb);
          source.resume();
          // the spooled part is removed once its stream has closed
          void written.then(
            () => reject(failure),
            () => reject(failure),
          );
        });
        const written = pipeline(stream, fs.createWriteStream(file, { mode: 0o600 }));
        writes.push(
          written.then(async () => {
            if (truncated || failure) return;
            const blob = await fs.openAsBlob(file, { type: mimeType });
            uploads.set(name, new File([blob], filename ?? name, { type: mimeType }));
          }, fail),
        );
      });
      bb.on('error', (e: Error) => reject(badRequest(`Invalid multipart request: ${e.message}`)));
      bb.on('finish', () => resolve());
      source = Readable.from(body as unknown as AsyncIterable<Uint8Array>);
      source.on('error', reject).pipe(bb);
    });
    await Promise.all(writes);
    if (failure) throw failure;

    const operationsText = fields.get('operations');
    if (!operationsText) throw badRequest('Missing multipart form field "operations"');
    let operations: unknown;
    let map: Record<string, string[]> = {};
    try {
      operations = JSON.parse(operationsText);
      if (fields.has('map')) map = JSON.parse(fields.get('map')!);
    } catch {
      throw badRequest('Multipart fields "operations" and "map" must be JSON');
    }
    for (const [key, paths] of Object.entries(map)) {
      const upload = uploads.get(key);
      if (!upload) throw badRequest(`Multipart file "${key}" named in "map" is missing`);
      if (!Array.isArray(paths)) throw badRequest('"map" must name lists of paths');
      for (const p of paths) setPath(operations, String(p), upload);
    }
    return operations as never;
  }

  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method === 'POST' && (request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
        // keyed by the request onResponse sees (the parser may get a wrapped one)
        const files: string[] = [];
        spooled.set(request, files);
        setRequestParser((parsed) => parse(parsed, files));
      }
    },
    onResponse({ request }) {
      const files = spooled.get(request);
      if (files) for (const f of files) fs.rm(f, { force: true }, () => undefined);
    },
  };
}

function setPath(target: unknown, keyPath: string, value: unknown) {
  const keys = keyPath.split('.');
  let current = target as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
    if (i === keys.length - 1) current[key] = value;
    else {
      if (typeof current[key] !== 'object' || current[key] === null) current[key] = {};
      current = current[key] as Record<string, unknown>;
    }
  }
}
