/**
 * Issue paths start at an argument of the field the client called, e.g. ["input", "name"] for
 * `createForm(input: …)`. Services check the input object they are given and report paths inside
 * it (["name"]); here, the one place that knows the field's arguments, such a path is put under
 * the field's `input` argument.
 */
import { Kind, type GraphQLResolveInfo } from 'graphql';
import type { FieldIssue } from '../errors.js';

/** The argument names of the root field whose result is being resolved. */
function rootArguments(info: GraphQLResolveInfo): string[] {
  let path = info.path;
  while (path.prev) path = path.prev;
  const node = info.operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && (s.alias ?? s.name).value === path.key);
  const root = info.schema.getRootType(info.operation.operation);
  if (!node || node.kind !== Kind.FIELD || !root) return [];
  return root.getFields()[node.name.value]?.args.map((a) => a.name) ?? [];
}

export function issuesUnderArguments(issues: FieldIssue[], info: GraphQLResolveInfo): FieldIssue[] {
  const names = rootArguments(info);
  if (!names.includes('input')) return issues;
  return issues.map((issue) => (names.includes(issue.path[0] ?? '') ? issue : { ...issue, path: ['input', ...issue.path] }));
}
