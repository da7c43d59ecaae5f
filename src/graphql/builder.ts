import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ErrorsPlugin from '@pothos/plugin-errors';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';
import type { GraphQLContext } from '../context.js';
import { AppError, UserError } from '../errors.js';
import { hasScope, isAdmin, type Scope } from '../auth/principal.js';
import type { JsonValue } from './scalars.js';
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
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin, SimpleObjectsPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: ctx.principal !== null,
      scope: (scope) => ctx.principal !== null && hasScope(ctx.principal, scope),
      admin: ctx.principal !== null && isAdmin(ctx.principal),
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.principal ? new AppError('FORBIDDEN', 'The credential does not allow this operation') : new AppError('UNAUTHENTICATED', 'Authentication required'),
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
    edgesFieldOptions: { nullable: false },
    // node/nodes need a credential: without one they fail UNAUTHENTICATED like every other root field
    nodeQueryOptions: { authScopes: { authenticated: true } },
    nodesQueryOptions: { authScopes: { authenticated: true } },
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
