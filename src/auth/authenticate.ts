import type { Db } from '../db/prisma.js';
import { PREFIX, sha256 } from './secrets.js';
import { scopesForRole, type Principal, type Role, type Scope } from './principal.js';

export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'ok'; principal: Principal };

/** Reads `x-api-key` or `Authorization: Bearer`; both accept API keys and OAuth access tokens. */
export function credentialFrom(headers: { get(name: string): string | null }): string | null {
  const apiKey = headers.get('x-api-key');
  if (apiKey) return apiKey.trim();
  const authorization = headers.get('authorization');
  if (!authorization) return null;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  return match ? match[1]!.trim() : authorization.trim();
}

export async function authenticate(db: Db, credential: string | null, now = new Date()): Promise<Authentication> {
  if (!credential) return { kind: 'anonymous' };
  if (credential.startsWith(PREFIX.apiKey)) return authenticateApiKey(db, credential, now);
  if (credential.startsWith(PREFIX.accessToken)) return authenticateAccessToken(db, credential, now);
  return { kind: 'invalid', reason: 'Unrecognised credential' };
}

async function authenticateApiKey(db: Db, secret: string, now: Date): Promise<Authentication> {
  const key = await db.apiKey.findUnique({ where: { secretHash: sha256(secret) } });
  if (!key) return { kind: 'invalid', reason: 'Invalid API key' };
  if (key.revokedAt) return { kind: 'invalid', reason: 'API key revoked' };
  if (key.expiresAt && key.expiresAt <= now) return { kind: 'invalid', reason: 'API key expired' };
  // lastUsedAt is advisory: skip the write when it was touched within the last minute
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: 'ok',
    principal: {
      kind: 'API_KEY',
      workspaceId: key.workspaceId,
      userId: null,
      apiKeyId: key.id,
      oauthClientId: null,
      role: null,
      scopes: key.scopes as Scope[],
    },
  };
}

async function authenticateAccessToken(db: Db, secret: string, now: Date): Promise<Authentication> {
  const token = await db.oAuthToken.findUnique({ where: { tokenHash: sha256(secret) } });
  if (!token || token.kind !== 'ACCESS') return { kind: 'invalid', reason: 'Invalid access token' };
  if (token.revokedAt) return { kind: 'invalid', reason: 'Access token revoked' };
  if (token.expiresAt <= now) return { kind: 'invalid', reason: 'Access token expired' };
  let role: Role | null = null;
  let scopes = token.scopes as Scope[];
  if (token.userId) {
    const membership = await db.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: token.workspaceId, userId: token.userId } },
    });
    if (!membership) return { kind: 'invalid', reason: 'No longer a member of this workspace' };
    role = membership.role as Role;
    // a role change takes effect at once: the token never grants more than the current role
    const allowed = scopesForRole(role);
    scopes = scopes.filter((s) => allowed.includes(s));
  }
  return {
    kind: 'ok',
    principal: {
      kind: token.userId ? 'USER' : 'OAUTH_CLIENT',
      workspaceId: token.workspaceId,
      userId: token.userId,
      apiKeyId: null,
      oauthClientId: token.clientId,
      role,
      scopes,
    },
  };
}
