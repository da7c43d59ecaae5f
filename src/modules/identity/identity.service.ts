import type { Db } from '../../db/prisma.js';
import { conflict, invalidField, notFound, UserError, type FieldIssue, assertNoIssues } from '../../errors.js';
import { hashPassword, PREFIX, randomToken, sha256 } from '../../auth/secrets.js';
import { SCOPES, type Role, type Scope } from '../../auth/principal.js';
import type { EventBus } from '../../events/bus.js';
import { publishCredentialChange } from '../../auth/credential-change.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function userIssues(input: { email: string; name: string; password: string }, prefix: string[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!EMAIL.test(input.email)) issues.push({ path: [...prefix, 'email'], code: 'INVALID_EMAIL', message: 'Not an email address' });
  if (input.name.trim().length === 0) issues.push({ path: [...prefix, 'name'], code: 'REQUIRED', message: 'Name is required' });
  if (input.password.length < 8) issues.push({ path: [...prefix, 'password'], code: 'TOO_SHORT', message: 'Password needs at least 8 characters' });
  return issues;
}

/** Creates a user, a workspace and the user's OWNER membership, in one transaction. */
export async function signUp(db: Db, input: { email: string; name: string; password: string; workspaceName: string }) {
  const issues = userIssues(input);
  if (input.workspaceName.trim().length === 0) issues.push({ path: ['workspaceName'], code: 'REQUIRED', message: 'Workspace name is required' });
  assertNoIssues(issues);
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email } })) throw conflict('A user with this email already exists');
    const user = await tx.user.create({ data: { email, name: input.name.trim(), passwordHash } });
    const workspace = await tx.workspace.create({ data: { name: input.workspaceName.trim() } });
    await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: 'OWNER' } });
    return { user, workspace };
  });
}

export async function createWorkspace(db: Db, name: string) {
  if (!name.trim()) throw invalidField(['name'], 'REQUIRED', 'Workspace name is required');
  return db.workspace.create({ data: { name: name.trim() } });
}

/**
 * Creates the user when the email is new, then adds (or changes) the membership. Pass the event
 * bus so that a role change reaches the credential caches of running servers at once.
 */
export async function addMember(db: Db, workspaceId: string, input: { email: string; name: string; password: string; role: Role }, events?: EventBus) {
  assertNoIssues(userIssues(input));
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const result = await db.$transaction(async (tx) => {
    const user = (await tx.user.findUnique({ where: { email } })) ?? (await tx.user.create({ data: { email, name: input.name.trim(), passwordHash } }));
    const membership = await tx.membership.upsert({
      where: { workspaceId_userId: { workspaceId, userId: user.id } },
      create: { workspaceId, userId: user.id, role: input.role },
      update: { role: input.role },
    });
    return { user, membership };
  });
  if (events) await publishCredentialChange(events, { workspaceId, userId: result.user.id });
  return result;
}

/**
 * Ends a membership: the user's tokens for the workspace stop working, and their open sockets
 * close, in every process. A workspace keeps at least one OWNER: its owners' rows are locked
 * first, so two removals at once cannot take the last two.
 */
export async function removeMember(db: Db, events: EventBus, workspaceId: string, userId: string) {
  await db.$transaction(async (tx) => {
    const owners: { userId: string }[] = await tx.$queryRaw`
      SELECT "userId"::text AS "userId" FROM "Membership"
      WHERE "workspaceId" = CAST(${workspaceId} AS uuid) AND role = 'OWNER' FOR UPDATE`;
    const membership = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
    if (!membership) throw notFound('Member');
    if (membership.role === 'OWNER' && owners.length === 1) {
      const message = 'The last owner of a workspace cannot be removed; make another member OWNER first';
      throw new UserError('CONFLICT', message, [{ path: ['id'], code: 'LAST_OWNER', message }]);
    }
    await tx.membership.delete({ where: { id: membership.id } });
  });
  await publishCredentialChange(events, { workspaceId, userId });
}

export interface NewApiKey {
  name: string;
  scopes: Scope[];
  expiresAt?: Date | null;
}

function apiKeyIssues(input: NewApiKey): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!input.name.trim()) issues.push({ path: ['name'], code: 'REQUIRED', message: 'Name is required' });
  if (input.scopes.length === 0) issues.push({ path: ['scopes'], code: 'REQUIRED', message: 'At least one scope is required' });
  for (const s of input.scopes) if (!SCOPES.includes(s)) issues.push({ path: ['scopes'], code: 'INVALID_VALUE', message: `Unknown scope ${s}` });
  if (input.expiresAt && input.expiresAt <= new Date()) issues.push({ path: ['expiresAt'], code: 'IN_THE_PAST', message: 'Expiry must be in the future' });
  return issues;
}

/** Returns the key row and its secret; the secret is never stored or shown again. */
export async function createApiKey(db: Db, workspaceId: string, createdById: string | null, input: NewApiKey) {
  assertNoIssues(apiKeyIssues(input));
  const secret = randomToken(PREFIX.apiKey);
  const apiKey = await db.apiKey.create({
    data: {
      workspaceId,
      name: input.name.trim(),
      prefix: secret.slice(0, PREFIX.apiKey.length + 8),
      secretHash: sha256(secret),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ?? null,
      createdById,
    },
  });
  return { apiKey, secret };
}

export async function revokeApiKey(db: Db, workspaceId: string, id: string) {
  const key = await db.apiKey.findFirst({ where: { id, workspaceId } });
  if (!key) throw notFound('API key');
  return db.apiKey.update({ where: { id }, data: { revokedAt: key.revokedAt ?? new Date() } });
}

export async function createOAuthClient(db: Db, workspaceId: string, input: { name: string; scopes: Scope[] }) {
  if (!input.name.trim()) throw invalidField(['name'], 'REQUIRED', 'Name is required');
  if (input.scopes.length === 0) throw invalidField(['scopes'], 'REQUIRED', 'At least one scope is required');
  const secret = randomToken(PREFIX.clientSecret);
  const client = await db.oAuthClient.create({
    data: { workspaceId, name: input.name.trim(), clientId: randomToken('fgc_', 12), secretHash: sha256(secret), scopes: [...new Set(input.scopes)] },
  });
  return { client, secret };
}
