import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, memberOf } from '../../helpers/fixtures.js';

const root = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

const Scopes = '{ viewer { scopes } }';

describe('npm run formgraph -- create-user on an existing member', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.stop());

  it("changes the role in a running server at once: its cached credential loses the old role's scopes", async () => {
    const { workspaceId } = await createTenant(t.server.db);
    const member = await memberOf(t.server.db, workspaceId, 'EDITOR');
    const grant = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: member.email, password: member.password }),
    });
    const token = ((await grant.json()) as { access_token: string }).access_token;
    const api = t.client.as(token);
    // this request puts the credential in the server's cache
    expect((await api.data<{ viewer: { scopes: string[] } }, never>(Scopes)).viewer.scopes).toContain('WRITE');

    // another process, as an operator runs it; it publishes on the bus the server listens to
    const args = ['--import', 'tsx', 'src/cli.ts', 'create-user', '--workspace', workspaceId, '--email', member.email, '--name', 'Any', '--role', 'VIEWER'];
    const done = await run(path.join(root, 'node_modules/.bin/node'), args, {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, REDIS_URL: '', LOG_LEVEL: '' },
    });
    expect(done.stdout).toMatch(/as VIEWER/);

    expect((await api.data<{ viewer: { scopes: string[] } }, never>(Scopes)).viewer.scopes).toEqual(['READ']);
  });
});
