import { closeDb, createDb, type Db } from '../../../src/db/prisma.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createTestDatabase } from '../../setup/database.js';
import { createWorkspace } from '../../../src/modules/identity/identity.service.js';
import type { RecordScope, RecordsContext } from '../../../src/core/records/index.js';
import type { Principal } from '../../../src/auth/principal.js';
import { RequestLoaders } from '../../../src/loaders.js';

export const FORMS: RecordScope = { kind: 'FORM', collectionNoun: 'Form', recordNoun: 'Entry' };

/** A service context over a fresh database, signed in to a new workspace (no HTTP). */
export async function engineContext(): Promise<{ db: Db; ctx: (workspaceId?: string) => RecordsContext; workspaceId: string; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const db = createDb(database.url, 5);
  const config = loadConfig({ DATABASE_URL: database.url });
  const workspace = await createWorkspace(db, 'Engine');
  const principal = (workspaceId: string): Principal => ({
    kind: 'API_KEY',
    workspaceId,
    userId: null,
    apiKeyId: null,
    oauthClientId: null,
    role: null,
    scopes: ['READ', 'WRITE', 'MANAGE', 'INTERNAL'],
  });
  return {
    db,
    workspaceId: workspace.id,
    ctx: (workspaceId = workspace.id) => ({
      db,
      config,
      events: null as never,
      log: createLogger('silent'),
      principal: principal(workspaceId),
      loaders: new RequestLoaders(),
    }),
    async close() {
      await closeDb(db);
      await database.drop();
    },
  };
}
