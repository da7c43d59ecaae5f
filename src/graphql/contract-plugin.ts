import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type PothosTypeConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { cursorBinding, decodeCursor, describePaging, encodeCursor, pageRequest, type PageRules } from '../core/paging/index.js';

/**
 * Applies the API contract (docs/api-conventions.md) where Pothos builds fields, so no type file
 * can forget it:
 * - every root field's description ends with the scope it needs ("Scope: READ."), read from its
 *   `authScopes`, so the description cannot drift from the check;
 * - root lists that Pothos pages itself (`prismaConnection`, marked with `pothosPaging`) follow
 *   the paging engine: their arguments are validated by its rules (BAD_USER_INPUT above the
 *   maximum, never a silent cut), their description states the default and maximum page size,
 *   and they take `offset` and hand out the engine's cursors (bound to the field and its
 *   arguments). Lists inside objects use graphql/nested-connection.ts.
 */
export class ContractPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    return typeConfig.description ? typeConfig : { ...typeConfig, description: describeGenerated(typeConfig.name) ?? typeConfig.description };
  }

  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (!fieldConfig.description) {
      const generated = describeGeneratedField(fieldConfig.parentType, fieldConfig.name);
      if (generated) fieldConfig = { ...fieldConfig, description: generated };
    }
    const notes: string[] = [];
    const rules = pagedBy(fieldConfig);
    if (rules) notes.push(describePaging(rules));
    if (isRoot(fieldConfig)) notes.push(describeScope(fieldConfig.pothosOptions.authScopes));
    if (!notes.length) return fieldConfig;
    return { ...fieldConfig, description: [fieldConfig.description, ...notes].filter(Boolean).join(' ') };
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const rules = pagedBy(fieldConfig);
    if (!rules) return resolver;
    return async (parent, args, ctx, info) => {
      const request = pageRequest(args, rules);
      const { first, last, after, before, offset, ...rest } = args as Record<string, unknown>;
      const binding = cursorBinding([fieldConfig.parentType, fieldConfig.name, rest]);
      const inner = request.cursor ? decodeCursor(request.cursor, binding, 1, request.cursorArg)[0] : null;
      const connection = (await resolver(parent, { ...rest, first, last, [request.cursorArg]: inner, offset }, ctx, info)) as PothosConnection;
      const wrap = (cursor: string | null) => (cursor === null ? null : encodeCursor(binding, [cursor]));
      for (const edge of connection.edges) edge.cursor = wrap(edge.cursor)!;
      connection.pageInfo.startCursor = wrap(connection.pageInfo.startCursor);
      connection.pageInfo.endCursor = wrap(connection.pageInfo.endCursor);
      if (request.offset > 0) connection.pageInfo.hasPreviousPage = true;
      return connection;
    };
  }
}

interface PothosConnection {
  edges: { cursor: string }[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasPreviousPage: boolean };
}

const isRoot = (fieldConfig: { parentType: string }) => ['Query', 'Mutation', 'Subscription'].includes(fieldConfig.parentType);

/** The paging rules of a connection Pothos pages itself, as `pothosPaging` marked it. */
function pagedBy(fieldConfig: { extensions?: Readonly<Record<string, unknown>> | null }): PageRules | null {
  return (fieldConfig.extensions?.paging as PageRules | undefined) ?? null;
}

/** Descriptions of the types Pothos names itself: mutation results, connections and edges. */
function describeGenerated(name: string): string | null {
  let m = /^Mutation(\w+)Result$/.exec(name);
  if (m) return `What ${lower(m[1]!)} answers: Mutation${m[1]}Success, or a UserError when nothing was written.`;
  m = /^Mutation(\w+)Success$/.exec(name);
  if (m) return `${m[1]} succeeded; \`data\` holds the result.`;
  m = /^(\w+)ConnectionEdge$/.exec(name) ?? /^(\w+)Edge$/.exec(name);
  if (m) return `One item of a ${m[1]} page with its cursor.`;
  m = /^(\w+)Connection$/.exec(name);
  if (m) return `A page of ${m[1]}: totalCount, nodes (or edges with cursors) and pageInfo.`;
  return null;
}

/** Descriptions of the fields every type of a kind has: connection, edge and success fields, ids and timestamps. */
function describeGeneratedField(parentType: string, name: string): string | null {
  if (/^Mutation\w+Success$/.test(parentType) && name === 'data') return 'What the mutation wrote or changed';
  if (/Connection$/.test(parentType)) {
    if (name === 'edges') return 'The items of this page, each with its cursor';
    if (name === 'pageInfo') return 'Whether pages follow on either side, and the cursors to get them';
    if (name === 'totalCount') return 'All items of the list, on every page';
  }
  if (/Edge$/.test(parentType)) {
    if (name === 'cursor') return 'Where this item sits: pass it as `after` or `before` to page from here';
    if (name === 'node') return 'The item';
  }
  if (parentType === 'PageInfo') {
    const pageInfo: Record<string, string> = {
      hasNextPage: 'Items follow this page',
      hasPreviousPage: 'Items precede this page',
      startCursor: 'Cursor of the first item of the page (pass it as `before`); null when the page is empty',
      endCursor: 'Cursor of the last item of the page (pass it as `after`); null when the page is empty',
    };
    return pageInfo[name] ?? null;
  }
  if (name === 'id') return 'Global id (Relay): pass it to `node(id:)` and to arguments that take this type';
  if (name === 'createdAt') return 'When it was created';
  if (name === 'updatedAt') return 'When it last changed';
  return null;
}

const lower = (s: string) => s[0]!.toLowerCase() + s.slice(1);

/** "Scope: READ.", "Scope: INTERNAL or an OWNER/ADMIN user.", "Scope: any valid credential.", "Scope: public." */
export function describeScope(authScopes: unknown): string {
  if (authScopes === undefined) return 'Scope: public (no credential needed).';
  const parts: string[] = [];
  const collect = (scopes: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(scopes)) {
      if (key === '$any' || key === '$all') collect(value as Record<string, unknown>);
      else if (key === 'scope') parts.push(String(value));
      else if (key === 'admin' && value) parts.push('an OWNER/ADMIN user');
      else if (key === 'authenticated' && value) parts.push('any valid credential');
    }
  };
  collect(authScopes as Record<string, unknown>);
  return `Scope: ${parts.join(' or ')}.`;
}

const pluginName = 'contract';
export default pluginName;

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      contract: ContractPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, ContractPlugin);
