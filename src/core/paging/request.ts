import { assertNoIssues, type FieldIssue } from '../../errors.js';
import type { PageRules } from './rules.js';

/** The paging arguments every list takes. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  offset?: number | null;
}

/**
 * What a list must fetch: `size` rows (plus one, to tell whether more follow) in its order
 * (`backward`: in reverse order, from the end or from before the cursor), after skipping `offset`
 * rows, or starting at the `cursor`'s position.
 */
export interface PageRequest {
  size: number;
  backward: boolean;
  cursor: string | null;
  /** the argument the cursor came in (`after`, `before`), for error paths */
  cursorArg: 'after' | 'before';
  offset: number;
}

const isCount = (v: number) => Number.isInteger(v) && v >= 0;

/** Validates paging arguments against a list's rules: every problem at once, never a silent cut. */
export function pageRequest(args: PageArgs, rules: PageRules): PageRequest {
  const issues: FieldIssue[] = [];
  for (const name of ['first', 'last'] as const) {
    const v = args[name];
    if (v != null && (!isCount(v) || v > rules.maxSize))
      issues.push({ path: [name], code: 'OUT_OF_RANGE', message: `${name} must be between 0 and ${rules.maxSize}` });
  }
  if (args.offset != null && !isCount(args.offset)) issues.push({ path: ['offset'], code: 'OUT_OF_RANGE', message: 'offset must be 0 or more' });
  if (args.first != null && args.last != null) issues.push({ path: ['last'], code: 'CONFLICTING_ARGUMENTS', message: 'Pass first or last, not both' });
  if (args.after != null && args.before != null) issues.push({ path: ['before'], code: 'CONFLICTING_ARGUMENTS', message: 'Pass after or before, not both' });
  if (args.first != null && args.before != null)
    issues.push({ path: ['before'], code: 'CONFLICTING_ARGUMENTS', message: 'first pages forward: use after with it, or last with before' });
  if (args.last != null && args.after != null)
    issues.push({ path: ['after'], code: 'CONFLICTING_ARGUMENTS', message: 'last pages backward: use before with it, or first with after' });
  if (args.offset != null && (args.after != null || args.before != null || args.last != null))
    issues.push({ path: ['offset'], code: 'CONFLICTING_ARGUMENTS', message: 'offset jumps to a position from the start: use it with first only' });
  assertNoIssues(issues, 'Invalid paging arguments');
  const backward = args.last != null || args.before != null;
  return {
    size: (backward ? args.last : args.first) ?? rules.defaultSize,
    backward,
    cursor: (backward ? args.before : args.after) ?? null,
    cursorArg: backward ? 'before' : 'after',
    offset: args.offset ?? 0,
  };
}
