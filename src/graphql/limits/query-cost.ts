import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
} from 'graphql';

/** Page size assumed for `first`/`last` when a client leaves them out (the largest default of the API). */
export const DEFAULT_PAGE_SIZE = 50;
/** Items assumed for a list field without paging arguments (e.g. a form's fields). */
export const DEFAULT_LIST_SIZE = 10;

/**
 * The estimated number of fields a response can hold: every field costs 1, and what a list
 * holds counts once per item it may return: a connection's `edges`/`nodes` once per
 * `first`/`last` (or DEFAULT_PAGE_SIZE), another list DEFAULT_LIST_SIZE times. Introspection
 * (bounded by the schema) and `__typename` are free. Computed from the document and the
 * variables, before anything executes.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    if (d.kind === Kind.OPERATION_DEFINITION) operations.push(d);
  }
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  const number = (node: ValueNode | undefined): number | null => {
    if (!node) return null;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const value = variables?.[node.name.value];
      if (typeof value === 'number') return value;
      const fallback = operation.variableDefinitions?.find((v) => v.variable.name.value === node.name.value)?.defaultValue;
      return fallback?.kind === Kind.INT ? Number(fallback.value) : null;
    }
    return null;
  };

  const cost = (set: SelectionSetNode, type: GraphQLCompositeType, pageSize: number | null, seen: Set<string>): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType | undefined) : type;
        total += cost(selection.selectionSet, on ?? type, pageSize, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // a fragment inside itself is refused by validation; counting stops here either way
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        total += cost(fragment.selectionSet, on ?? type, pageSize, new Set([...seen, fragment.name.value]));
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__')) continue;
      const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
      if (!field) {
        total += 1;
        continue;
      }
      const args = selection.arguments ?? [];
      const paged = field.args.some((a) => a.name === 'first' || a.name === 'last');
      const size = paged
        ? (number(args.find((a) => a.name.value === 'first')?.value) ?? number(args.find((a) => a.name.value === 'last')?.value) ?? DEFAULT_PAGE_SIZE)
        : null;
      const list = isListType(getNullableType(field.type));
      const items = list ? ((name === 'edges' || name === 'nodes') && pageSize !== null ? pageSize : (size ?? DEFAULT_LIST_SIZE)) : 1;
      const named = getNamedType(field.type);
      const inner = selection.selectionSet && isCompositeType(named) ? cost(selection.selectionSet, named, size, seen) : 0;
      total += 1 + Math.max(0, items) * inner;
    }
    return total;
  };

  return cost(operation.selectionSet, root, null, new Set());
}
