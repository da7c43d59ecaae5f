import { Prisma } from '../generated/prisma/client.js';
import { execute, query, type Runner } from '../db/sql-runner.js';
import { PREFIX, sha256 } from './secrets.js';
import { scopesForRole, type Principal, type Role, type Scope } from './principal.js';

export type Authentication = { kind: 'anonymous' } | { kind: 'invalid'; reason: string } | { kind: 'ok'; principal: Principal; expiresAt: Date | null };

/** Reads `x-api-key` or `Authorization: Bearer`; both accept API keys and OAuth access tokens. */
export function credentialFrom(headers: { get(name: string): string | null }): string | null {
  const apiKey = headers.get('x-api-key');
  if (apiKey) return apiKey.trim();
  const authorization = headers.get('authorization');
  if (!authorization) return null;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  return match ? match[1]!.trim() : authorization.trim();
}

/**
 * Reads a credential from the database (the credential cache calls this on a miss) with the raw
 * pg runner (src/db/sql-runner.ts): one statement for an API key (plus a `lastUsedAt` write at
 * most once a minute), one for an access token with its membership.
 */
export async function authenticate(db: Runner, credential: string | null, now = new Date()): Promise<Authentication> {
  if (!credential) return { kind: 'anonymous' };
  if (credential.startsWith(PREFIX.apiKey)) return authenticateApiKey(db, credential, now);
  if (credential.startsWith(PREFIX.accessToken)) return authenticateAccessToken(db, credential, now);
  return { kind: 'invalid', reason: 'Unrecognised credential' };
}

interface ApiKeyRow {
  id: string;
  workspaceId: string;
  scopes: Scope[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

async function authenticateApiKey(db: Runner, secret: string, now: Date): Promise<Authentication> {
  const [key] = await query<ApiKeyRow>(
    db,
    Prisma.sql`select id::text, "workspaceId"::text as "workspaceId", scopes::text[] as scopes, "expiresAt", "revokedAt", "lastUsedAt"
               from "ApiKey" where "secretHash" = ${sha256(secret)}`,
  );
  if (!key) return { kind: 'invalid', reason: 'Invalid API key' };
  if (key.revokedAt) return { kind: 'invalid', reason: 'API key revoked' };
  if (key.expiresAt && key.expiresAt <= now) return { kind: 'invalid', reason: 'API key expired' };
  // lastUsedAt is advisory: skip the write when it was touched within the last minute
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
    await execute(db, Prisma.sql`update "ApiKey" set "lastUsedAt" = ${now} where id = ${key.id}::uuid`);
  }
  return {
    kind: 'ok',
    expiresAt: key.expiresAt,
    principal: {
      kind: 'API_KEY',
      workspaceId: key.workspaceId,
      userId: null,
      apiKeyId: key.id,
      oauthClientId: null,
      role: null,
      scopes: key.scopes,
    },
  };
}

interface AccessTokenRow {
  kind: 'ACCESS' | 'REFRESH';
  workspaceId: string;
  userId: string | null;
  clientId: string | null;
  scopes: Scope[];
  expiresAt: Date;
  revokedAt: Date | null;
  role: Role | null;
}

async function authenticateAccessToken(db: Runner, secret: string, now: Date): Promise<Authentication> {
  const [token] = await query<AccessTokenRow>(
    db,
    Prisma.sql`select t.kind::text as kind, t."workspaceId"::text as "workspaceId", t."userId"::text as "userId",
                      t."clientId"::text as "clientId", t.scopes::text[] as scopes, t."expiresAt", t."revokedAt", m.role::text as role
               from "OAuthToken" t
               left join "Membership" m on m."workspaceId" = t."workspaceId" and m."userId" = t."userId"
               where t."tokenHash" = ${sha256(secret)}`,
  );
  if (token?.kind !== 'ACCESS') return { kind: 'invalid', reason: 'Invalid access token' };
  if (token.revokedAt) return { kind: 'invalid', reason: 'Access token revoked' };
  if (token.expiresAt <= now) return { kind: 'invalid', reason: 'Access token expired' };
  let scopes = token.scopes;
  if (token.userId) {
    if (!token.role) return { kind: 'invalid', reason: 'No longer a member of this workspace' };
    // a role change takes effect at once: the token never grants more than the current role
    const allowed = scopesForRole(token.role);
    scopes = scopes.filter((s) => allowed.includes(s));
  }
  return {
    kind: 'ok',
    expiresAt: token.expiresAt,
    principal: {
      kind: token.userId ? 'USER' : 'OAUTH_CLIENT',
      workspaceId: token.workspaceId,
      userId: token.userId,
      apiKeyId: null,
      oauthClientId: token.clientId,
      role: token.role,
      scopes,
    },
  };
}
