import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  canonicalProperty,
  formatFeedbackDate,
  isNumberText,
  parseFeedbackDate,
  parsePropertyDate,
  parseScore,
  TypeInference,
} from '../../../src/modules/imports/csv/values.js';
import { keysetPages, writeCsvFile, type Cell } from '../../../src/modules/exports/csv-writer.js';

const infer = (values: string[]) => {
  const t = new TypeInference();
  values.forEach((v) => t.add(v));
  return t.type;
};

describe('feedback dates', () => {
  it('reads the four accepted forms as UTC', () => {
    expect(parseFeedbackDate('2024-02-29 23:59:59')?.toISOString()).toBe('2024-02-29T23:59:59.000Z');
    expect(parseFeedbackDate('2024-02-29 07:05')?.toISOString()).toBe('2024-02-29T07:05:00.000Z');
    expect(parseFeedbackDate('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseFeedbackDate('0')?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(parseFeedbackDate('1700000000')?.toISOString()).toBe(new Date(1_700_000_000_000).toISOString());
  });

  it('refuses impossible dates and other formats', () => {
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-01-32',
      '2024-01-01 24:00',
      '2024-01-01 10:60',
      '2024-01-01 10:00:60',
      '01/02/2024',
      '2024-1-1',
      '2024-01-01T10:00:00',
      '-5',
      '1.5',
      'yesterday',
      ' 2024-01-01',
    ]) {
      expect(parseFeedbackDate(bad), bad).toBeNull();
    }
  });

  it('formats dates so they read back to the same second', () => {
    const d = new Date('2021-06-30T12:34:56.000Z');
    expect(formatFeedbackDate(d)).toBe('2021-06-30 12:34:56');
    expect(parseFeedbackDate(formatFeedbackDate(d))?.getTime()).toBe(d.getTime());
  });
});

describe('scores', () => {
  it('accepts integers and blanks, refuses the rest', () => {
    expect(parseScore('')).toBeNull();
    expect(parseScore('7')).toBe(7);
    expect(parseScore('-3')).toBe(-3);
    expect(parseScore('+4')).toBe(4);
    for (const bad of ['4.0', '4.5', 'ten', '1e2', '99999999999', ' ']) expect(parseScore(bad), bad).toBeUndefined();
    expect(parseScore('11', { min: 0, max: 10 })).toBeUndefined();
    expect(parseScore('0', { min: 0, max: 10 })).toBe(0);
  });
});

describe('property type inference', () => {
  it('decides over every non-empty value', () => {
    expect(infer(['1', '2.5', '-3', '1e3', ''])).toBe('NUMBER');
    expect(infer(['1', 'two'])).toBe('STRING');
    expect(infer(['true', 'FALSE', 'True'])).toBe('BOOLEAN');
    expect(infer(['true', 'yes'])).toBe('STRING');
    expect(infer(['2024-01-01', '2024-01-02 10:00', '2024-01-03T10:00:00.000Z'])).toBe('DATE');
    expect(infer(['2024-01-01', '2024-02-30'])).toBe('STRING');
    expect(infer(['', ''])).toBe('STRING');
    // leading zeros and unsafe integers are identifiers, not numbers
    expect(infer(['007', '12'])).toBe('STRING');
    expect(infer(['12345678901234567890'])).toBe('STRING');
    expect(isNumberText('0.5')).toBe(true);
    expect(isNumberText('.5')).toBe(false);
  });

  it('stores canonical values the feedback module understands', () => {
    expect(canonicalProperty('1e3', 'NUMBER')).toBe('1000');
    expect(canonicalProperty('2.50', 'NUMBER')).toBe('2.5');
    expect(canonicalProperty('TRUE', 'BOOLEAN')).toBe('true');
    expect(canonicalProperty('2024-05-01', 'DATE')).toBe('2024-05-01T00:00:00.000Z');
    expect(canonicalProperty('2024-05-01 10:30', 'DATE')).toBe('2024-05-01T10:30:00.000Z');
    expect(canonicalProperty('2024-05-01T10:30:00+02:00', 'DATE')).toBe('2024-05-01T08:30:00.000Z');
    expect(canonicalProperty(' as is ', 'STRING')).toBe(' as is ');
    // canonical values infer back to their own type: an export re-imports with the same types
    expect(parsePropertyDate('2024-05-01T08:30:00.000Z')?.toISOString()).toBe('2024-05-01T08:30:00.000Z');
    expect(infer(['1000', '2.5'])).toBe('NUMBER');
  });
});

describe('CSV writing', () => {
  it('streams pages into a file that parses back to the same cells', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-csv-'));
    const file = path.join(dir, 'out.csv');
    const data: Cell[][] = Array.from({ length: 2345 }, (_, i) => [`text ${i}, with "quotes"\nand a newline`, i, i % 2 === 0, null]);
    let fetches = 0;
    const pages = keysetPages<Cell[], number>(
      async (after) => {
        fetches++;
        const start = after === null ? 0 : after + 1;
        return data.slice(start, start + 500);
      },
      (row) => row[1] as number,
    );
    const seen: number[] = [];
    const result = await writeCsvFile(file, ['a', 'b', 'c', 'd'], pages, { onPage: (n) => void seen.push(n) });
    expect(result.rows).toBe(2345);
    expect(seen).toEqual([500, 1000, 1500, 2000, 2345]);
    expect(fetches).toBe(6);
    const parsed = parse(fs.readFileSync(file, 'utf8')) as string[][];
    expect(parsed[0]).toEqual(['a', 'b', 'c', 'd']);
    expect(parsed.slice(1)).toEqual(data.map((r) => [r[0], String(r[1]), r[2] ? 'true' : 'false', '']));
    expect(result.bytes).toBe(fs.statSync(file).size);
    // no temporary file left behind
    expect(fs.readdirSync(dir)).toEqual(['out.csv']);
    fs.rmSync(dir, { recursive: true });
  });
});
