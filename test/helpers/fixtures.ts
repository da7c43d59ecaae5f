import type { Db } from '../../src/db/prisma.js';
import { addMember, createApiKey, createWorkspace } from '../../src/modules/identity/identity.service.js';
import type { Role, Scope } from '../../src/auth/principal.js';

export interface Tenant {
  workspaceId: string;
  /** an API key secret with the given scopes */
  key: string;
}

let counter = 0;

/** A workspace and an API key in it, made through the services (fast, no HTTP). */
export async function createTenant(db: Db, scopes: Scope[] = ['READ', 'WRITE', 'MANAGE', 'INTERNAL']): Promise<Tenant> {
  const workspace = await createWorkspace(db, `Workspace ${++counter}`);
  const { secret } = await createApiKey(db, workspace.id, null, { name: 'test', scopes });
  return { workspaceId: workspace.id, key: secret };
}

export async function apiKeyFor(db: Db, workspaceId: string, scopes: Scope[], expiresAt?: Date) {
  return (await createApiKey(db, workspaceId, null, { name: `key ${++counter}`, scopes, expiresAt })).secret;
}

export async function memberOf(db: Db, workspaceId: string, role: Role, password = 'correct horse battery') {
  const email = `user${++counter}-${Date.now()}@example.com`;
  const { user } = await addMember(db, workspaceId, { email, name: `User ${counter}`, password, role });
  return { user, email, password };
}
