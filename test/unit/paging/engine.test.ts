import { describe, expect, it } from 'vitest';
import {
  CRM_PAGE,
  FEEDBACK_PAGE,
  STANDARD_PAGE,
  cursorBinding,
  decodeCursor,
  encodeCursor,
  pageRequest,
  slicePage,
  type PageArgs,
} from '../../../src/core/paging/index.js';
import { AppError } from '../../../src/errors.js';

const issues = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('BAD_USER_INPUT');
    return (e as AppError).issues.map((i) => `${i.path.join('.')}:${i.code}`);
  }
  return [];
};

describe('page rules per product', () => {
  it('defaults CRM lists to 50, feedback lists to 25, others to 20', () => {
    expect(pageRequest({}, CRM_PAGE).size).toBe(50);
    expect(pageRequest({}, FEEDBACK_PAGE).size).toBe(25);
    expect(pageRequest({}, STANDARD_PAGE).size).toBe(20);
  });

  it('refuses sizes above the maximum instead of cutting them, and takes the maximum itself', () => {
    expect(issues(() => pageRequest({ first: 101 }, FEEDBACK_PAGE))).toEqual(['first:OUT_OF_RANGE']);
    expect(issues(() => pageRequest({ last: 501 }, CRM_PAGE))).toEqual(['last:OUT_OF_RANGE']);
    expect(issues(() => pageRequest({ first: -1 }, STANDARD_PAGE))).toEqual(['first:OUT_OF_RANGE']);
    expect(pageRequest({ first: 500 }, CRM_PAGE).size).toBe(500);
    expect(pageRequest({ first: 0 }, STANDARD_PAGE).size).toBe(0);
  });

  it('reports every conflicting argument at once', () => {
    const args: PageArgs = { first: 1, last: 1, after: 'a', before: 'b', offset: -1 };
    expect(issues(() => pageRequest(args, STANDARD_PAGE))).toEqual([
      'offset:OUT_OF_RANGE',
      'last:CONFLICTING_ARGUMENTS',
      'before:CONFLICTING_ARGUMENTS',
      'before:CONFLICTING_ARGUMENTS',
      'after:CONFLICTING_ARGUMENTS',
      'offset:CONFLICTING_ARGUMENTS',
    ]);
    expect(issues(() => pageRequest({ offset: 10, after: 'a' }, STANDARD_PAGE))).toEqual(['offset:CONFLICTING_ARGUMENTS']);
  });

  it('pages forward, backward, or from an offset', () => {
    expect(pageRequest({ first: 5, after: 'c' }, STANDARD_PAGE)).toEqual({ size: 5, backward: false, cursor: 'c', cursorArg: 'after', offset: 0 });
    expect(pageRequest({ last: 5 }, STANDARD_PAGE)).toEqual({ size: 5, backward: true, cursor: null, cursorArg: 'before', offset: 0 });
    expect(pageRequest({ before: 'c' }, STANDARD_PAGE)).toMatchObject({ size: 20, backward: true, cursor: 'c' });
    expect(pageRequest({ first: 10, offset: 30 }, STANDARD_PAGE)).toMatchObject({ size: 10, offset: 30 });
  });
});

describe('cursors', () => {
  const bind = cursorBinding(['surveys', 'NAME']);

  it('round-trip with their binding, nulls included', () => {
    expect(decodeCursor(encodeCursor(bind, ['a', null]), bind, 2, 'after')).toEqual(['a', null]);
  });

  it('answer CURSOR_MISMATCH for another order or filter, INVALID_CURSOR for anything else', () => {
    const code = (f: () => unknown) => issues(f)[0];
    expect(code(() => decodeCursor(encodeCursor(bind, ['a']), cursorBinding(['surveys', 'UPDATED_AT']), 1, 'after'))).toBe('after:CURSOR_MISMATCH');
    expect(code(() => decodeCursor(encodeCursor(bind, ['a']), bind, 2, 'before'))).toBe('before:CURSOR_MISMATCH');
    expect(code(() => decodeCursor('%%%', bind, 1, 'after'))).toBe('after:INVALID_CURSOR');
    expect(code(() => decodeCursor(Buffer.from('[1,2]').toString('base64url'), bind, 1, 'after'))).toBe('after:INVALID_CURSOR');
  });
});

describe('slicing a fetched page', () => {
  it('tells whether pages follow on either side', () => {
    expect(slicePage([1, 2, 3], pageRequest({ first: 2 }, STANDARD_PAGE))).toEqual({ rows: [1, 2], hasNextPage: true, hasPreviousPage: false });
    expect(slicePage([1, 2], pageRequest({ first: 2, offset: 4 }, STANDARD_PAGE))).toEqual({ rows: [1, 2], hasNextPage: false, hasPreviousPage: true });
    // backward rows arrive in reverse order
    expect(slicePage([9, 8, 7], pageRequest({ last: 2, before: 'c' }, STANDARD_PAGE))).toEqual({ rows: [8, 9], hasNextPage: true, hasPreviousPage: true });
    expect(slicePage([9, 8], pageRequest({ last: 2 }, STANDARD_PAGE))).toEqual({ rows: [8, 9], hasNextPage: false, hasPreviousPage: false });
  });
});
