import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ErrorsPlugin from '@pothos/plugin-errors';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import ContractPlugin from './contract-plugin.js';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';
import type { GraphQLContext } from '../context.js';
import { AppError, missingScope, UserError } from '../errors.js';
import { hasScope, isAdmin, type Scope } from '../auth/principal.js';
import type { JsonValue } from './scalars.js';
import type { AuthFailure } from '@pothos/plugin-scope-auth';
import { decodeUuidGlobalID } from './global-id.js';
import type { DateBound } from '../core/date-bounds.js';

export interface AuthScopes {
  /** any valid credential */
  authenticated: boolean;
  /** the credential carries this scope */
  scope: Scope;
  /** an OWNER or ADMIN member signed in as a user */
  admin: boolean;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: AuthScopes;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    /** a date filter bound: a whole UTC day or an instant (core/date-bounds.ts) */
    DateBound: { Input: DateBound; Output: never };
    JSON: { Input: JsonValue; Output: unknown };
    Decimal: { Input: string; Output: string };
    /** a file part of a GraphQL multipart request (graphql-multipart-request-spec) */
    Upload: { Input: File; Output: never };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  DefaultEdgesNullability: false;
}>({
  // ContractPlugin last: its resolver wrapper runs inside scope-auth's, so credentials are checked first
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, SimpleObjectsPlugin, ContractPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: ctx.principal !== null,
      scope: (scope) => ctx.principal !== null && hasScope(ctx.principal, scope),
      admin: ctx.principal !== null && isAdmin(ctx.principal),
    }),
    // subscriptions are authorised once, before the stream opens, not per event
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, ctx, _info, result) => {
      if (!ctx.principal) return new AppError('UNAUTHENTICATED', 'Authentication required');
      const scope = requiredScope(result.failure);
      if (scope) return missingScope(scope);
      return new AppError('FORBIDDEN', 'The credential does not allow this operation');
    },
  },
  errors: { defaultTypes: [UserError] },
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    // every id is a uuid: a malformed one is refused as BAD_USER_INPUT before any query runs
    decodeGlobalID: decodeUuidGlobalID,
    cursorType: 'String',
    nodesOnConnection: { description: 'The nodes of `edges`, for clients that need no cursors' },
    pageInfoTypeOptions: { description: 'Where a page sits in its list: whether pages follow on either side, and the cursors to get them.' },
    nodeTypeOptions: { description: 'An object with a global id, which `node(id:)` and `nodes(ids:)` load.' },
    edgesFieldOptions: { nullable: false },
    // node/nodes need a credential: without one they fail UNAUTHENTICATED like every other root field
    nodeQueryOptions: { authScopes: { authenticated: true }, description: 'Any object by its global id; null when it does not exist in your workspace' },
    nodesQueryOptions: {
      authScopes: { authenticated: true },
      description: 'Objects by their global ids, in order; null for each that does not exist in your workspace',
    },
  },
});

/**
 * `node`/`nodes` must answer null for an id that does not resolve (it never existed, or it belongs
 * to another workspace: findUnique scopes it away). plugin-prisma loads nodes with
 * findUniqueOrThrow unless the type says `nullable: true`, which would surface as INTERNAL; make
 * that the default for every prismaNode, so no type file can forget it.
 */
const prismaNode = builder.prismaNode.bind(builder);
builder.prismaNode = ((type: never, options: object) => prismaNode(type, { nullable: true, ...options } as never)) as unknown as typeof builder.prismaNode;

/** The scope a failed check asked for (the first one, when any of several would do). */
function requiredScope(failure: AuthFailure): string | null {
  if (failure.kind === 'AuthScope' && failure.scope === 'scope') return String(failure.parameter);
  if (failure.kind === 'AnyAuthScopes' || failure.kind === 'AllAuthScopes') {
    for (const f of failure.failures) {
      const scope = requiredScope(f);
      if (scope) return scope;
    }
  }
  return null;
}
