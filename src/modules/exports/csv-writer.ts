/**
 * CSV out, streaming: rows come from an async iterable (a keyset-paged database cursor), pass
 * through csv-stringify and land in a file, with backpressure end to end. Memory holds one page
 * of rows, whatever the number of rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

export type Cell = string | number | boolean | null | undefined;

/** Pages a table by a cursor: `fetch(after)` returns the next page after the cursor (null = first). */
export async function* keysetPages<T, C>(fetch: (after: C | null) => Promise<T[]>, cursorOf: (row: T) => C): AsyncGenerator<T[]> {
  let after: C | null = null;
  for (;;) {
    const page = await fetch(after);
    if (page.length === 0) return;
    yield page;
    after = cursorOf(page[page.length - 1]!);
  }
}

/**
 * Writes `header` and every row to `file` (atomically: a temporary file renamed at the end).
 * Returns the number of data rows and bytes written.
 */
export async function writeCsvFile(
  file: string,
  header: string[],
  pages: AsyncIterable<Cell[][]>,
  opts: { signal?: AbortSignal; onPage?: (rowsSoFar: number) => Promise<void> | void } = {},
): Promise<{ rows: number; bytes: number }> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.part`;
  let rows = 0;
  async function* records() {
    yield header;
    for await (const page of pages) {
      opts.signal?.throwIfAborted();
      for (const row of page) yield row;
      rows += page.length;
      await opts.onPage?.(rows);
    }
  }
  try {
    await pipeline(
      Readable.from(records()),
      stringify({ cast: { boolean: (v) => (v ? 'true' : 'false') }, eof: true, record_delimiter: '\n' }),
      fs.createWriteStream(temporary),
      { signal: opts.signal },
    );
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
  const { size } = await fs.promises.stat(file);
  return { rows, bytes: size };
}
