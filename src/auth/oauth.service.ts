import { randomUUID } from 'node:crypto';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Db } from '../db/prisma.js';
import type { Config } from '../config.js';
import { PREFIX, randomToken, sha256, verifyPassword, constantTimeEqual } from './secrets.js';
import { SCOPES, scopesForRole, type Role, type Scope } from './principal.js';
import type { CredentialChange } from './credential-change.js';

/** RFC 6749 section 5.2 error responses. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

type Params = Record<string, string | undefined>;

function requestedScopes(params: Params, allowed: Scope[]): Scope[] {
  if (!params.scope) return allowed;
  const asked = params.scope
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => s.toUpperCase());
  for (const s of asked) {
    if (!SCOPES.includes(s as Scope) || !allowed.includes(s as Scope)) throw new OAuthError('invalid_scope', `Scope ${s} is not available`);
  }
  return asked as Scope[];
}

/** `workspace_id` may be the UUID or the GraphQL global id clients see (`Workspace:<uuid>` in base64). */
function workspaceIdFrom(raw: string): string {
  try {
    const { typename, id } = decodeGlobalID(raw);
    if (typename === 'Workspace') return id;
  } catch {
    // not a global id
  }
  return raw;
}

function required(params: Params, name: string): string {
  const value = params[name];
  if (!value) throw new OAuthError('invalid_request', `Missing parameter ${name}`);
  return value;
}

async function issue(
  db: Db,
  config: Config,
  grant: { workspaceId: string; userId: string | null; clientId: string | null; scopes: Scope[]; family?: string },
  withRefresh: boolean,
): Promise<TokenResponse> {
  const family = grant.family ?? randomUUID();
  const access = randomToken(PREFIX.accessToken);
  const now = Date.now();
  const base = { workspaceId: grant.workspaceId, userId: grant.userId, clientId: grant.clientId, scopes: grant.scopes, family };
  const rows = [{ ...base, kind: 'ACCESS' as const, tokenHash: sha256(access), expiresAt: new Date(now + config.accessTokenTtlSeconds * 1000) }];
  const refresh = withRefresh ? randomToken(PREFIX.refreshToken) : undefined;
  if (refresh) rows.push({ ...base, kind: 'REFRESH' as never, tokenHash: sha256(refresh), expiresAt: new Date(now + config.refreshTokenTtlSeconds * 1000) });
  await db.oAuthToken.createMany({ data: rows });
  return {
    access_token: access,
    token_type: 'bearer',
    expires_in: config.accessTokenTtlSeconds,
    ...(refresh ? { refresh_token: refresh } : {}),
    scope: grant.scopes.join(' '),
  };
}

/** Client authentication from HTTP Basic or from body parameters (RFC 6749 2.3.1). */
export async function authenticateClient(db: Db, basic: { id: string; secret: string } | null, params: Params) {
  const id = basic?.id ?? params.client_id;
  const secret = basic?.secret ?? params.client_secret;
  if (!id) return null;
  const client = await db.oAuthClient.findUnique({ where: { clientId: id } });
  if (!client || client.revokedAt || !secret || !constantTimeEqual(client.secretHash, sha256(secret))) {
    throw new OAuthError('invalid_client', 'Client authentication failed');
  }
  return client;
}

/** `revoked` hears of tokens a grant revoked (reuse of a refresh token ends its family). */
export async function tokenGrant(
  db: Db,
  config: Config,
  params: Params,
  basic: { id: string; secret: string } | null,
  revoked: (change: CredentialChange) => Promise<void> = async () => {},
): Promise<TokenResponse> {
  const grantType = required(params, 'grant_type');
  const client = await authenticateClient(db, basic, params);
  switch (grantType) {
    case 'password': {
      const email = required(params, 'username').toLowerCase();
      const password = required(params, 'password');
      const user = await db.user.findUnique({ where: { email }, include: { memberships: { orderBy: { createdAt: 'asc' } } } });
      // same answer for unknown user and wrong password
      if (!user || !(await verifyPassword(user.passwordHash, password))) throw new OAuthError('invalid_grant', 'Invalid email or password');
      const workspaceId = params.workspace_id ? workspaceIdFrom(params.workspace_id) : null;
      const membership = workspaceId ? user.memberships.find((m) => m.workspaceId === workspaceId) : user.memberships[0];
      if (!membership) throw new OAuthError('invalid_grant', 'The user is not a member of that workspace');
      if (client && client.workspaceId !== membership.workspaceId) throw new OAuthError('invalid_grant', 'The client belongs to another workspace');
      const scopes = requestedScopes(params, scopesForRole(membership.role as Role));
      return issue(db, config, { workspaceId: membership.workspaceId, userId: user.id, clientId: client?.id ?? null, scopes }, true);
    }
    case 'client_credentials': {
      if (!client) throw new OAuthError('invalid_client', 'Client authentication required');
      const scopes = requestedScopes(params, client.scopes as Scope[]);
      return issue(db, config, { workspaceId: client.workspaceId, userId: null, clientId: client.id, scopes }, false);
    }
    case 'refresh_token': {
      const presented = required(params, 'refresh_token');
      const outcome = await db.$transaction(async (tx) => {
        const token = await tx.oAuthToken.findUnique({ where: { tokenHash: sha256(presented) } });
        if (token?.kind !== 'REFRESH' || token.revokedAt || token.expiresAt <= new Date()) {
          throw new OAuthError('invalid_grant', 'Invalid refresh token');
        }
        if (token.clientId && token.clientId !== client?.id) throw new OAuthError('invalid_grant', 'Refresh token was issued to another client');
        // the conditional update makes rotation race-free: of two concurrent uses, one wins
        const claimed = await tx.oAuthToken.updateMany({ where: { id: token.id, usedAt: null }, data: { usedAt: new Date() } });
        if (claimed.count === 0) {
          // reuse of a rotated token: assume theft and end the whole family (RFC 6819 5.2.2.3);
          // committed with this transaction, then answered as invalid_grant
          await tx.oAuthToken.updateMany({ where: { family: token.family, revokedAt: null }, data: { revokedAt: new Date() } });
          return { reused: true as const, change: { workspaceId: token.workspaceId, userId: token.userId } };
        }
        const scopes = requestedScopes(params, token.scopes as Scope[]);
        const response = await issue(
          tx as Db,
          config,
          { workspaceId: token.workspaceId, userId: token.userId, clientId: token.clientId, scopes, family: token.family },
          true,
        );
        return { reused: false as const, response };
      });
      if (outcome.reused) {
        await revoked(outcome.change);
        throw new OAuthError('invalid_grant', 'Refresh token already used');
      }
      return outcome.response;
    }
    default:
      throw new OAuthError('unsupported_grant_type', `Grant type ${grantType} is not supported`);
  }
}

/**
 * RFC 7009: always 200, whether or not the token existed. Revoking a refresh token ends its
 * family. Returns which cached credentials to drop, or null when nothing was revoked.
 */
export async function revokeToken(db: Db, params: Params, basic: { id: string; secret: string } | null): Promise<CredentialChange | null> {
  const client = await authenticateClient(db, basic, params);
  const token = await db.oAuthToken.findUnique({ where: { tokenHash: sha256(required(params, 'token')) } });
  if (!token || (token.clientId && token.clientId !== client?.id)) return null;
  const where = token.kind === 'REFRESH' ? { family: token.family } : { id: token.id };
  await db.oAuthToken.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
  return { workspaceId: token.workspaceId, userId: token.userId };
}
