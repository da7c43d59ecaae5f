import { badInput, type FieldIssue } from '../errors.js';

/**
 * The value of an argument that moved (docs/api-conventions.md: old names stay one release,
 * deprecated): given under its new path or its old one, not both. `required` reports a value
 * given under neither at the new path.
 */
export function movedArgument<T>(
  current: { path: string[]; value: T | null | undefined },
  old: { path: string[]; value: T | null | undefined },
  issues: FieldIssue[],
  required = false,
): T | null {
  const given = current.value ?? null;
  const oldGiven = old.value ?? null;
  if (given !== null && oldGiven !== null) {
    issues.push({ path: old.path, code: 'CONFLICTING_ARGUMENTS', message: `${old.path.join('.')} is deprecated: use ${current.path.join('.')} alone` });
    return given;
  }
  if (given === null && oldGiven === null && required) issues.push({ path: current.path, code: 'REQUIRED', message: `${current.path.join('.')} is required` });
  return given ?? oldGiven;
}

/** The id of an `update<X>(id, input)` whose input carried the id before (its deprecated form). */
export function updatedId(id: { id: string } | null | undefined, input: { id?: { id: string } | null }): string {
  const issues: FieldIssue[] = [];
  const found = movedArgument({ path: ['id'], value: id }, { path: ['input', 'id'], value: input.id }, issues, true);
  if (issues.length) throw badInput(issues.map((i) => i.message).join('; '), issues);
  return found!.id;
}
