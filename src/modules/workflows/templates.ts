/**
 * `{{params.name}}` in any string of a task's parameters is replaced by the job parameter; onError
 * tasks can also use `{{error.message}}` and `{{error.task}}`. A string that is exactly one
 * placeholder becomes the value itself (so `"seconds": "{{params.delay}}"` can be coerced).
 */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const REFERENCE = /^(params|error)\.([A-Za-z_][\w-]*)$/;

export type TemplateScope = { params: Record<string, string>; error?: Record<string, string> };

export interface TemplateProblem {
  path: string[];
  code: 'INVALID_TEMPLATE' | 'MISSING_PARAMETER';
  message: string;
}

/** Walks JSON, calling `visit` for every string with its path. */
function walk(value: unknown, path: string[], visit: (s: string, path: string[]) => unknown): unknown {
  if (typeof value === 'string') return visit(value, path);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, String(i)], visit));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k], visit)]));
  return value;
}

/** Paths of strings that contain a placeholder, names referenced, and malformed placeholders. */
export function inspectTemplates(parameters: unknown, allowError = false) {
  const templated: string[][] = [];
  const params = new Set<string>();
  const problems: TemplateProblem[] = [];
  walk(parameters, [], (s, path) => {
    let found = false;
    for (const [, ref] of s.matchAll(PLACEHOLDER)) {
      found = true;
      const m = REFERENCE.exec(ref!);
      if (!m || (m[1] === 'error' && !allowError)) {
        problems.push({
          path,
          code: 'INVALID_TEMPLATE',
          message: `Unknown placeholder {{${ref}}}: use {{params.<name>}}${allowError ? ' or {{error.message}}' : ''}`,
        });
      } else if (m[1] === 'params') params.add(m[2]!);
    }
    if (found) templated.push(path);
    return s;
  });
  return { templated, params: [...params].sort(), problems };
}

/** Substitutes placeholders; a missing job parameter is a problem, never an empty string. */
export function substitute(parameters: unknown, scope: TemplateScope): { value: unknown; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const lookup = (ref: string, path: string[]): string => {
    const m = REFERENCE.exec(ref);
    const table = m ? (m[1] === 'params' ? scope.params : scope.error) : undefined;
    const v = m && table ? table[m[2]!] : undefined;
    if (v === undefined) {
      problems.push({ path, code: 'MISSING_PARAMETER', message: `No value for {{${ref}}}` });
      return '';
    }
    return v;
  };
  const value = walk(parameters, [], (s, path) => s.replace(PLACEHOLDER, (_m, ref: string) => lookup(ref, path)));
  return { value, problems };
}
