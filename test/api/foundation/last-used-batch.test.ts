import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { apiKeyFor, createTenant, type Tenant } from '../../helpers/fixtures.js';
import { CredentialCache } from '../../../src/auth/credential-cache.js';
import { runnerFor } from '../../../src/db/sql-runner.js';
import { requestScope } from '../../../src/db/statement-counter.js';
import { sha256 } from '../../../src/auth/secrets.js';

/** SQL statements `work` ran, counted as the server counts them per request. */
async function statementsOf(work: () => Promise<unknown>) {
  const scope = { requestId: 'test', statements: 0, sqlMs: 0 };
  await requestScope.run(scope, work);
  return scope.statements;
}

describe('lastUsedAt of API keys', () => {
  let t: TestServer;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
  });
  afterAll(() => t?.stop());

  const lastUsedAt = async (secret: string) => (await t.server.db.apiKey.findFirstOrThrow({ where: { secretHash: sha256(secret) } })).lastUsedAt;

  it('costs a request with a known key no SQL statement', async () => {
    const key = await apiKeyFor(t.server.db, tenant.workspaceId, ['READ']);
    const api = t.client.as(key);
    await api.request('{ __typename }');
    const again = await Promise.all([1, 2, 3].map(() => api.request('{ __typename }')));
    expect(again.map((r) => [r.status, r.statements])).toEqual([
      [200, 0],
      [200, 0],
      [200, 0],
    ]);
  });

  it('is written for many keys in one statement, with the latest use of each', async () => {
    const { db, events, log } = t.server;
    const cache = new CredentialCache({ runner: runnerFor({ db }), events, log, flushIntervalMs: 3_600_000 });
    try {
      const keys = [await apiKeyFor(db, tenant.workspaceId, ['READ']), await apiKeyFor(db, tenant.workspaceId, ['READ'])];
      const start = Date.UTC(2030, 0, 1);
      const at = (seconds: number) => new Date(start + seconds * 1000);
      // first use: read from the database (and stamped, as the key had never been used)
      for (const key of keys) expect((await cache.authenticate(key, at(0))).kind).toBe('ok');
      for (const key of keys) expect(await lastUsedAt(key)).toEqual(at(0));

      const uses = await statementsOf(async () => {
        for (let s = 1; s <= 5; s++) for (const key of keys) await cache.authenticate(key, at(s * 120));
      });
      expect(uses).toBe(0);
      for (const key of keys) expect(await lastUsedAt(key)).toEqual(at(0));

      expect(await statementsOf(() => cache.flush())).toBe(1);
      for (const key of keys) expect(await lastUsedAt(key)).toEqual(at(600));
      // nothing new to write: no statement
      expect(await statementsOf(() => cache.flush())).toBe(0);
    } finally {
      await cache.stop();
    }
  });
});
