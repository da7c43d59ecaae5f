import { STANDARD_PAGE } from '../../core/paging/index.js';
import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { builder } from '../../graphql/builder.js';
import { ScopeEnum } from '../../graphql/enums.js';
import { createApiKey, createOAuthClient, revokeApiKey } from './identity.service.js';
import { requireWorkspace } from '../../context.js';
import { scopesBeyond, type Principal, type Scope } from '../../auth/principal.js';
import { missingScope } from '../../errors.js';
import { publishCredentialChange } from '../../auth/credential-change.js';

/** A credential grants only scopes it holds itself (a user's are capped by their role already). */
function assertCanGrant(principal: Principal, scopes: readonly Scope[]) {
  const beyond = scopesBeyond(principal, scopes);
  if (beyond.length) throw missingScope(beyond[0]!, `Granting ${beyond.join(', ')}`);
}

export const ApiKeyType = builder.prismaNode('ApiKey', {
  description: 'A credential for programs, with its scopes; its secret is shown only once, at creation.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'A label' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to recognise a key' }),
    scopes: t.field({ description: 'What the key may do', type: [ScopeEnum], resolve: (k) => k.scopes }),
    expiresAt: t.expose('expiresAt', { description: 'From when it is refused; null: never', type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { description: 'When it was revoked; null while valid', type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { description: 'When it last authenticated a request', type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    createdBy: t.relation('createdBy', { description: 'The user who created it; null when made by another key or the CLI', nullable: true }),
  }),
});

const CreatedApiKey = builder.simpleObject('CreatedApiKey', {
  description: 'A new API key with its secret, shown this once.',
  fields: (t) => ({
    apiKey: t.field({ description: 'The new key', type: ApiKeyType }),
    secret: t.string({ description: 'Shown only this once; store it now.' }),
  }),
});

const CreatedOAuthClient = builder.simpleObject('CreatedOAuthClient', {
  description: 'A new OAuth client with its secret, shown this once.',
  fields: (t) => ({
    clientId: t.string({ description: 'The client’s id for the token endpoint' }),
    clientSecret: t.string({ description: 'Shown only this once; store it now.' }),
    name: t.string({ description: 'A label' }),
    scopes: t.field({ description: 'What its tokens may do', type: [ScopeEnum] }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.prismaConnection({
    type: 'ApiKey',
    cursor: 'id',
    ...pothosPaging(STANDARD_PAGE),
    args: offsetArg,
    authScopes: { scope: 'MANAGE' },
    totalCount: (_root, _args, ctx) => ctx.db.apiKey.count({ where: { workspaceId: requireWorkspace(ctx).workspaceId } }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.apiKey.findMany({ ...withOffset(query, args), where: { workspaceId: requireWorkspace(ctx).workspaceId }, orderBy: { createdAt: 'desc' } }),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    description: 'Creates an API key of this workspace; its secret is shown only in this answer',
    errors: {},
    type: CreatedApiKey,
    authScopes: { scope: 'MANAGE' },
    args: {
      name: t.arg.string(),
      scopes: t.arg({ type: [ScopeEnum] }),
      expiresAt: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const principal = requireWorkspace(ctx);
      assertCanGrant(principal, args.scopes);
      return createApiKey(ctx.db, principal.workspaceId, principal.userId, args);
    },
  }),
  revokeApiKey: t.field({
    description: 'Revokes an API key at once; requests with it answer 401',
    errors: {},
    type: ApiKeyType,
    authScopes: { scope: 'MANAGE' },
    args: { id: t.arg.globalID({ for: ApiKeyType }) },
    resolve: async (_root, { id }, ctx) => {
      const principal = requireWorkspace(ctx);
      const key = await revokeApiKey(ctx.db, principal.workspaceId, id.id);
      // every process drops the key before the client hears the answer
      await publishCredentialChange(ctx.events, { workspaceId: principal.workspaceId });
      return key;
    },
  }),
  createOAuthClient: t.field({
    description: 'Registers an OAuth client for the client_credentials grant; its secret is shown only in this answer',
    errors: {},
    type: CreatedOAuthClient,
    authScopes: { scope: 'MANAGE' },
    args: { name: t.arg.string(), scopes: t.arg({ type: [ScopeEnum] }) },
    resolve: async (_root, args, ctx) => {
      const principal = requireWorkspace(ctx);
      assertCanGrant(principal, args.scopes);
      const { client, secret } = await createOAuthClient(ctx.db, principal.workspaceId, args);
      return { clientId: client.clientId, clientSecret: secret, name: client.name, scopes: client.scopes };
    },
  }),
}));
