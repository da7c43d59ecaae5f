import { describe, expect, it } from 'vitest';
import { dateComparison, parseDateBound } from '../../../src/core/date-bounds.js';

describe('date bounds', () => {
  it('reads a day as its whole UTC day and a date-time as its instant', () => {
    expect(parseDateBound('2018-12-31')).toEqual({ start: new Date('2018-12-31T00:00:00Z'), end: new Date('2019-01-01T00:00:00Z') });
    const at = new Date('2018-12-31T18:30:00Z');
    expect(parseDateBound('2018-12-31T20:30:00+02:00')).toEqual({ start: at, end: at });
  });

  it('refuses what is not a real date', () => {
    for (const v of ['2018-02-30', '2018-13-01', '31/12/2018', '2018-12-31T25:00:00Z', '0999-01-01', '', 20181231, null])
      expect(parseDateBound(v), String(v)).toBeNull();
  });

  it('compares so that a day stays whole on either side', () => {
    const day = parseDateBound('2018-12-31')!;
    const next = new Date('2019-01-01T00:00:00Z');
    expect(dateComparison('ON_OR_BEFORE', day)).toEqual({ op: '<', at: next });
    expect(dateComparison('AFTER', day)).toEqual({ op: '>=', at: next });
    expect(dateComparison('ON_OR_AFTER', day)).toEqual({ op: '>=', at: day.start });
    expect(dateComparison('BEFORE', day)).toEqual({ op: '<', at: day.start });
    const instant = parseDateBound('2018-12-31T00:00:00Z')!;
    expect(dateComparison('ON_OR_BEFORE', instant)).toEqual({ op: '<=', at: instant.start });
    expect(dateComparison('AFTER', instant)).toEqual({ op: '>', at: instant.start });
  });
});
