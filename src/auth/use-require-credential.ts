import { GraphQLError, Kind, parse, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type CallerContext, principalOf } from './use-authentication.js';

/** Root fields anyone may call without a credential. */
const PUBLIC_MUTATIONS = new Set(['signUp']);
const INTROSPECTION = new Set(['__schema', '__type']);

/**
 * Why a request without a credential is refused (HTTP 401, UNAUTHENTICATED), or null when every
 * root field it selects is public (`signUp`, `__typename`, and introspection unless switched
 * off). Decided from the document alone, before validation: an anonymous caller learns nothing
 * about the schema from validation errors. A document that does not parse is not public either.
 */
export function anonymousRefusal(query: string | undefined, operationName: string | null | undefined, anonymousIntrospection: boolean): GraphQLError | null {
  let fields: { operation: string; name: string }[];
  try {
    fields = query ? rootFields(parse(query), operationName ?? undefined) : [];
  } catch {
    fields = [{ operation: 'query', name: '' }];
  }
  const isPublic = (f: { operation: string; name: string }) =>
    f.name === '__typename' ||
    (f.operation === 'query' && INTROSPECTION.has(f.name) && anonymousIntrospection) ||
    (f.operation === 'mutation' && PUBLIC_MUTATIONS.has(f.name));
  if (fields.length > 0 && fields.every(isPublic)) return null;
  return new GraphQLError('Authentication required: send an API key or access token (x-api-key or Authorization: Bearer)', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer realm="formgraph"' } } },
  });
}

/** The HTTP (and SSE) side of anonymousRefusal; graphql-ws calls it per operation itself. */
export function useRequireCredential(options: { anonymousIntrospection: boolean }): Plugin<CallerContext> {
  return {
    onParams({ params, context, setResult }) {
      if (principalOf((context as CallerContext).caller)) return;
      const refusal = anonymousRefusal(params.query, params.operationName, options.anonymousIntrospection);
      if (refusal) setResult({ errors: [refusal] });
    },
  };
}

/** The root fields of the operation that will run (every operation's when the name is unknown). */
function rootFields(document: DocumentNode, operationName: string | undefined): { operation: string; name: string }[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const found: { operation: string; name: string }[] = [];
  const walk = (operation: string, set: SelectionSetNode, seen: Set<string>) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) found.push({ operation, name: s.name.value });
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(operation, s.selectionSet, seen);
      else if (!seen.has(s.name.value)) {
        const fragment = fragments.get(s.name.value);
        // an unknown fragment is a validation error; without a credential it is not public
        if (!fragment) found.push({ operation, name: s.name.value });
        else walk(operation, fragment.selectionSet, new Set([...seen, s.name.value]));
      }
    }
  };
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && d.name?.value !== operationName) continue;
    walk(d.operation, d.selectionSet, new Set());
  }
  return found;
}
