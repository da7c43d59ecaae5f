import type { FieldIssue } from '../../errors.js';

const PARAMETER_NAME = /^[A-Za-z_][\w-]{0,99}$/;

/** Job parameters are a string-to-string map. */
export function parameterIssues(given: unknown, required: string[], at = ['parameters']): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const parameters = (given ?? {}) as Record<string, unknown>;
  if (typeof parameters !== 'object' || Array.isArray(parameters))
    return [{ path: at, code: 'INVALID_VALUE', message: 'Parameters are an object of string values' }];
  for (const [name, value] of Object.entries(parameters)) {
    if (!PARAMETER_NAME.test(name))
      issues.push({ path: [...at, name], code: 'INVALID_NAME', message: 'Names start with a letter or _ and contain letters, digits, _ or -' });
    else if (typeof value !== 'string') issues.push({ path: [...at, name], code: 'INVALID_VALUE', message: 'Parameter values are strings' });
  }
  for (const name of required) {
    if (!(name in parameters)) issues.push({ path: [...at, name], code: 'REQUIRED', message: `The workflow uses {{params.${name}}}` });
  }
  return issues;
}
