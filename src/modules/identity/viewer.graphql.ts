import { builder } from '../../graphql/builder.js';
import { RoleEnum, ScopeEnum } from '../../graphql/enums.js';
import type { Principal } from '../../auth/principal.js';
import { requireWorkspace } from '../../context.js';
import { WorkspaceType } from './workspace.graphql.js';
import { UserType } from './user.graphql.js';
import { ApiKeyType } from './api-key.graphql.js';

const PrincipalKind = builder.enumType('PrincipalKind', {
  description: 'What kind of credential made the request.',
  values: ['USER', 'API_KEY', 'OAUTH_CLIENT'] as const,
});

const ViewerType = builder.objectRef<Principal>('Viewer').implement({
  description: 'Who is calling: a user, an API key or an OAuth client, inside one workspace.',
  fields: (t) => ({
    kind: t.field({ description: 'What kind of credential made the request', type: PrincipalKind, resolve: (p) => p.kind }),
    role: t.field({
      description: 'The user’s role in the workspace; null for API keys and OAuth clients',
      type: RoleEnum,
      nullable: true,
      resolve: (p) => p.role,
    }),
    scopes: t.field({ description: 'What the credential may do', type: [ScopeEnum], resolve: (p) => p.scopes }),
    workspace: t.prismaField({
      description: 'The workspace the credential belongs to',
      type: WorkspaceType,
      resolve: (query, p, _args, ctx) => ctx.db.workspace.findUniqueOrThrow({ ...query, where: { id: p.workspaceId } }),
    }),
    user: t.prismaField({
      description: 'The signed-in user; null for API keys and OAuth clients',
      type: UserType,
      nullable: true,
      resolve: (query, p, _args, ctx) => (p.userId ? ctx.db.user.findUnique({ ...query, where: { id: p.userId } }) : null),
    }),
    apiKey: t.prismaField({
      description: 'The API key making the request; null otherwise',
      type: ApiKeyType,
      nullable: true,
      resolve: (query, p, _args, ctx) => (p.apiKeyId ? ctx.db.apiKey.findUnique({ ...query, where: { id: p.apiKeyId } }) : null),
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    description: 'Who is calling: the credential, its scopes and workspace',
    type: ViewerType,
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => requireWorkspace(ctx),
  }),
}));
