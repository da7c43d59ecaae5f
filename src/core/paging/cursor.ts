import { createHash } from 'node:crypto';
import { invalidField } from '../../errors.js';

/**
 * Cursors are opaque: base64url of JSON `[binding, ...values]`, where the values are the row's
 * sort keys as text (null for SQL NULL) and the binding is a hash of everything the order depends
 * on (list, filter, search, sort). A cursor shown to another order or filter is refused: its values
 * would mean nothing there.
 */
export type CursorValue = string | null;

/** A short hash of what a cursor is only valid for. */
export function cursorBinding(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeCursor(binding: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify([binding, ...values])).toString('base64url');
}

/** The values of a cursor made with `binding` for `count` sort keys; BAD_USER_INPUT otherwise. */
export function decodeCursor(cursor: string, binding: string, count: number, arg: string): CursorValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !parsed.slice(1).every((x) => x === null || typeof x === 'string')) throw invalidCursor(arg);
  if (parsed[0] !== binding || parsed.length !== count + 1)
    throw invalidField([arg], 'CURSOR_MISMATCH', `${arg} was made for another filter, search or order of this list; page again from the start`);
  return parsed.slice(1) as CursorValue[];
}

/** A string that is no cursor of this list at all. */
export const invalidCursor = (arg: string) => invalidField([arg], 'INVALID_CURSOR', `${arg} is not a cursor of this list`);
