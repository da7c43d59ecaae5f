/**
 * Bytes -> UTF-8 text, chunk by chunk, never holding more than one chunk.
 *
 * A fatal `TextDecoder` in streaming mode keeps an incomplete multi-byte sequence at the end of a
 * chunk for the next one, so a character split across two chunks decodes correctly, and any
 * invalid byte (or a sequence cut off at the end of the file) throws. A leading BOM is dropped
 * (the decoder's default). Counting bytes here enforces the size limit while streaming, whatever
 * the transport said about the length.
 */
import { CsvFileError } from './errors.js';

export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export interface DecodeOptions {
  /** refuse the input as soon as more than this many bytes have arrived */
  maxBytes?: number;
  signal?: AbortSignal;
}

export async function* decodeUtf8(source: ByteSource, opts: DecodeOptions = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  // the last 3 bytes of the previous chunk: a sequence split across chunks starts there
  let tail: Uint8Array = new Uint8Array(0);
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    opts.signal?.throwIfAborted();
    if (opts.maxBytes !== undefined && offset + chunk.byteLength > opts.maxBytes) {
      throw new CsvFileError('TOO_LARGE', `The file is larger than ${opts.maxBytes} bytes`);
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw notUtf8(offset - tail.byteLength + firstInvalidByte(concat(tail, chunk)));
    }
    offset += chunk.byteLength;
    tail = chunk.byteLength >= 3 ? chunk.subarray(chunk.byteLength - 3) : concat(tail, chunk).slice(-3);
    if (text) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw notUtf8(offset - tail.byteLength + firstInvalidByte(tail));
  }
}

const notUtf8 = (at: number) =>
  new CsvFileError('NOT_UTF8', `The file is not valid UTF-8 (first invalid byte at offset ${Math.max(0, at)}); save it as UTF-8 and upload it again`);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/**
 * Index of the first byte of the first invalid UTF-8 sequence (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF); `bytes.length` when all are valid but the
 * last sequence is incomplete. Used only to say where a refused file goes wrong.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  // the tail may begin mid-sequence: skip leading continuation bytes
  while (i < bytes.length && i < 3 && (bytes[i]! & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return bytes.length;
      const c = bytes[i + k]!;
      if (k === 1 ? c < min || c > max : (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
