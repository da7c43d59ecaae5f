import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { validateCsv, type ValidRow, type ValidateOptions } from '../../../src/modules/imports/csv/validate.js';
import { decodeUtf8, firstInvalidByte } from '../../../src/modules/imports/csv/utf8.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** The bytes as a Node stream of chunks of `size` bytes (1 = every byte its own chunk). */
function chunked(bytes: Uint8Array, size = 7): Readable {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks, { objectMode: false });
}

async function run(content: string | Uint8Array, opts: ValidateOptions & { chunk?: number } = {}) {
  const rows: ValidRow[] = [];
  const bytes = typeof content === 'string' ? enc(content) : content;
  const report = await validateCsv(chunked(bytes, opts.chunk ?? 7), { ...opts, onRows: async (batch) => void rows.push(...batch) });
  return { report, rows };
}

const codes = (report: { issues: { code: string }[] }) => report.issues.map((i) => i.code);

describe('CSV validation: well-formed files', () => {
  it('reads the special columns and infers property types over all values', async () => {
    const { report, rows } = await run(
      [
        'feedback,feedback_date,user_id,score,plan,seats,trial,renewal,zip',
        'Great product,2024-03-01 10:20:30,u1,9,pro,12,true,2025-01-01,01234',
        'Slow support,2024-03-02 08:15,u2,3,basic,3.5,FALSE,2025-02-01 10:00,94110',
        'Fine,2024-03-03,,,,,,,',
        'Ok,1709251200,u3,7,free,-1e3,true,2025-03-01T10:00:00Z,10001',
      ].join('\n'),
    );
    expect(report.refused).toBe(false);
    expect(report.issues).toEqual([]);
    expect(report.totalRows).toBe(4);
    expect(report.validRows).toBe(4);
    expect(report.columns.map((c) => [c.name, c.role, c.dataType])).toEqual([
      ['feedback', 'FEEDBACK', null],
      ['feedback_date', 'FEEDBACK_DATE', null],
      ['user_id', 'USER_ID', null],
      ['score', 'SCORE', null],
      ['plan', 'PROPERTY', 'STRING'],
      ['seats', 'PROPERTY', 'NUMBER'],
      ['trial', 'PROPERTY', 'BOOLEAN'],
      ['renewal', 'PROPERTY', 'DATE'],
      // leading zeros keep a column textual
      ['zip', 'PROPERTY', 'STRING'],
    ]);
    expect(rows.map((r) => r.feedbackDate.toISOString())).toEqual([
      '2024-03-01T10:20:30.000Z',
      '2024-03-02T08:15:00.000Z',
      '2024-03-03T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
    ]);
    expect(rows.map((r) => [r.userId, r.score])).toEqual([
      ['u1', 9],
      ['u2', 3],
      [null, null],
      ['u3', 7],
    ]);
    expect(rows[2]!.properties).toEqual({});
    expect(rows[0]!.properties).toEqual({ plan: 'pro', seats: '12', trial: 'true', renewal: '2025-01-01', zip: '01234' });
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5]);
  });

  it('accepts a UTF-8 BOM and multi-byte characters split across chunks', async () => {
    const text = 'feedback,feedback_date\n"Très bien 👍 ça marche",2024-01-01\n';
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc(text)]);
    for (const chunk of [1, 2, 3, 5]) {
      const { report, rows } = await run(bytes, { chunk });
      expect(report.refused).toBe(false);
      expect(report.columns[0]!.name).toBe('feedback');
      expect(rows[0]!.feedback).toBe('Très bien 👍 ça marche');
    }
  });

  it('keeps quoted fields with newlines, commas and doubled quotes, and numbers rows by record', async () => {
    const { report, rows } = await run('feedback,feedback_date,note\n"line one\nline two, with comma","2024-01-01","say ""hi"""\nsecond,2024-01-02,x\n');
    expect(report.issues).toEqual([]);
    expect(rows.map((r) => r.feedback)).toEqual(['line one\nline two, with comma', 'second']);
    expect(rows[0]!.properties.note).toBe('say "hi"');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
  });

  it('matches special columns case-insensitively and accepts CRLF line ends', async () => {
    const { report, rows } = await run('Feedback,FEEDBACK_DATE,Score\r\nyes,2024-01-01,5\r\n');
    expect(report.refused).toBe(false);
    expect(rows[0]!.score).toBe(5);
  });

  it('batches valid rows and streams: no batch is larger than asked', async () => {
    const lines = ['feedback,feedback_date'];
    for (let i = 0; i < 2500; i++) lines.push(`row ${i},2024-01-01`);
    const sizes: number[] = [];
    const report = await validateCsv(chunked(enc(lines.join('\n')), 4096), { batchSize: 1000, onRows: async (b) => void sizes.push(b.length) });
    expect(report.validRows).toBe(2500);
    expect(sizes).toEqual([1000, 1000, 500]);
  });
});

describe('CSV validation: malformed files', () => {
  it('reports bad dates, non-integer scores and missing values with row and column', async () => {
    const { report, rows } = await run(
      [
        'feedback,feedback_date,score',
        'a,2024-02-30,1', // no such day
        'b,2024-01-01,4.5',
        'c,,2',
        ',2024-01-01,2',
        'd,01/02/2024,x',
        'e,2024-01-01 25:00,3',
        'ok,2024-01-01 23:59:59,10',
      ].join('\n'),
    );
    expect(report.refused).toBe(false);
    expect(report.totalRows).toBe(7);
    expect(report.validRows).toBe(2);
    expect(report.invalidRows).toBe(5);
    expect(report.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [2, 'feedback_date', 'INVALID_DATE'],
      [3, 'score', 'INVALID_SCORE'],
      [4, 'feedback_date', 'REQUIRED'],
      [6, 'feedback_date', 'INVALID_DATE'],
      [6, 'score', 'INVALID_SCORE'],
      [7, 'feedback_date', 'INVALID_DATE'],
    ]);
    expect(report.issueCount).toBe(6);
    // feedback text is optional: a score-only row is valid
    expect(rows.map((r) => [r.feedback, r.score])).toEqual([
      [null, 2],
      ['ok', 10],
    ]);
  });

  it('applies a score range when given', async () => {
    const { report } = await run('feedback,feedback_date,score\na,2024-01-01,11\nb,2024-01-01,10\n', { scoreRange: { min: 0, max: 10 } });
    expect(report.issues.map((i) => [i.row, i.code])).toEqual([[2, 'INVALID_SCORE']]);
  });

  it('lists the first 100 problems and counts them all', async () => {
    const lines = ['feedback,feedback_date'];
    for (let i = 0; i < 250; i++) lines.push(`r${i},not a date`);
    lines.push('good,2024-01-01');
    const { report, rows } = await run(lines.join('\n'));
    expect(report.issues).toHaveLength(100);
    expect(report.issueCount).toBe(250);
    expect(report.invalidRows).toBe(250);
    expect(rows).toHaveLength(1);
    expect(report.issues[99]!.row).toBe(101);
  });

  it('refuses a missing feedback_date column', async () => {
    const { report, rows } = await run('feedback,score\na,1\n');
    expect(report.refused).toBe(true);
    expect(report.issues.map((i) => [i.column, i.code])).toEqual([['feedback_date', 'MISSING_COLUMN']]);
    expect(rows).toEqual([]);
  });

  it('refuses reserved columns, duplicates and nameless columns, all reported at once', async () => {
    const { report, rows } = await run('feedback,feedback_date,Tags,wootric_response_id,plan,PLAN,\na,2024-01-01,x,1,p,q,z\n');
    expect(report.refused).toBe(true);
    expect(report.issues.map((i) => [i.column, i.code])).toEqual([
      ['Tags', 'RESERVED_COLUMN'],
      ['wootric_response_id', 'RESERVED_COLUMN'],
      ['PLAN', 'DUPLICATE_COLUMN'],
      [null, 'EMPTY_COLUMN_NAME'],
    ]);
    expect(rows).toEqual([]);
  });

  it('refuses non-UTF-8 bytes wherever they are, even split across chunks', async () => {
    const latin1 = new Uint8Array([...enc('feedback,feedback_date\nTr'), 0xe8, ...enc('s bien,2024-01-01\n')]);
    for (const chunk of [1, 3, 64]) {
      const { report, rows } = await run(latin1, { chunk });
      expect(report.refused).toBe(true);
      expect(codes(report)).toEqual(['NOT_UTF8']);
      expect(report.issues[0]!.message).toContain('offset 25');
      expect(rows).toEqual([]);
    }
    // a multi-byte sequence cut off at the very end of the file
    const { report } = await run(new Uint8Array([...enc('feedback,feedback_date\nok,2024-01-01\n'), 0xe2, 0x82]), { chunk: 1 });
    expect(codes(report)).toEqual(['NOT_UTF8']);
  });

  it('refuses an empty file, a BOM-only or blank file, and a header without rows', async () => {
    expect(codes((await run('')).report)).toEqual(['EMPTY_FILE']);
    expect(codes((await run(new Uint8Array([0xef, 0xbb, 0xbf]))).report)).toEqual(['EMPTY_FILE']);
    expect(codes((await run('\n\n')).report)).toEqual(['EMPTY_FILE']);
    const headerOnly = await run('feedback,feedback_date\n');
    expect(headerOnly.report.refused).toBe(true);
    expect(codes(headerOnly.report)).toEqual(['NO_ROWS']);
  });

  it('reports a row with the wrong number of fields', async () => {
    const { report, rows } = await run('feedback,feedback_date\na,2024-01-01,extra\nb,2024-01-01\n');
    expect(report.issues.map((i) => [i.row, i.column, i.code])).toEqual([[2, null, 'FIELD_COUNT']]);
    expect(rows.map((r) => r.feedback)).toEqual(['b']);
  });

  it('refuses an unclosed quote as malformed CSV', async () => {
    const { report, rows } = await run('feedback,feedback_date\n"never closed,2024-01-01\nb,2024-01-02\n');
    expect(report.refused).toBe(true);
    expect(codes(report)).toEqual(['MALFORMED_CSV']);
    expect(rows).toEqual([]);
  });

  it('refuses a file over the byte limit while streaming, before reading it all', async () => {
    let served = 0;
    async function* endless() {
      yield enc('feedback,feedback_date\n');
      for (;;) {
        served += 1024;
        yield enc(`${'x'.repeat(1010)},2024-01-01\n`);
      }
    }
    const report = await validateCsv(endless(), { maxBytes: 64 * 1024 });
    expect(report.refused).toBe(true);
    expect(codes(report)).toEqual(['TOO_LARGE']);
    // it stopped pulling right after the limit
    expect(served).toBeLessThan(70 * 1024);
  });
});

describe('UTF-8 decoding', () => {
  it('locates the first invalid byte', () => {
    expect(firstInvalidByte(enc('abc'))).toBe(3);
    expect(firstInvalidByte(new Uint8Array([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidByte(new Uint8Array([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    expect(firstInvalidByte(new Uint8Array([0xe2, 0x82, 0x41]))).toBe(0); // cut short
  });

  it('decodes a web ReadableStream as well as a Node stream', async () => {
    const bytes = enc('héllo wörld');
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(new Uint8Array([b]));
        c.close();
      },
    });
    let out = '';
    for await (const s of decodeUtf8(web)) out += s;
    expect(out).toBe('héllo wörld');
  });
});
