import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects `path` below it (e.g. `['edges', 'node', 'usage']`),
 * through fragments. @skip and @include are not evaluated: a skipped field counts as selected.
 */
export function selects(info: GraphQLResolveInfo, path: string[]): boolean {
  const walk = (set: SelectionSetNode | undefined, i: number): boolean =>
    !!set &&
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === path[i] && (i === path.length - 1 || walk(s.selectionSet, i + 1));
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet, i);
      return walk(info.fragments[s.name.value]?.selectionSet, i);
    });
  return info.fieldNodes.some((f) => walk(f.selectionSet, 0));
}
