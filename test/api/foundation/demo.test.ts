import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFAULT_DOCUMENT } from '../../../src/http/graphiql-document.js';

const root = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(path.join(root, 'node_modules/.bin/node'), ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('npm run formgraph -- demo', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('creates a workspace with data of every domain and prints a key and a first query that work', async () => {
    const done = await cli(['demo', '--name', 'Demo here'], { DATABASE_URL: t.databaseUrl, LOG_LEVEL: '' });
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    const key = /API key .*:\s+(fgk_\S+)/.exec(done.stdout)![1]!;
    const firstQuery = /^ {2}(\{ forms .*)$/m.exec(done.stdout)![1]!;
    const api = t.client.as(key);

    const first = await api.request<any, any>(firstQuery);
    expect(first.errors).toBeUndefined();
    expect(first.data.forms.edges[0].node.entries.totalCount).toBe(3);

    const r = await api.request<any, any>(`{
      viewer { workspace { name } scopes }
      modules { edges { node { name records(first: 10) { totalCount } } } }
      charts { edges { node { name } } }
      pages { edges { node { title blocks { __typename } } } }
      surveys { edges { node { name status } } }
      responses(first: 10) { totalCount edges { node { score tags { name } } } }
      workflows { edges { node { name } } }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.viewer).toEqual({ workspace: { name: 'Demo here' }, scopes: ['READ', 'WRITE', 'MANAGE'] });
    expect(r.data.modules.edges[0].node).toEqual({ name: 'Deals', records: { totalCount: 3 } });
    expect(r.data.charts.edges[0].node.name).toBe('Value by country');
    expect(r.data.pages.edges[0].node.blocks).toHaveLength(3);
    expect(r.data.surveys.edges[0].node).toEqual({ name: 'Product feedback', status: 'IN_PROGRESS' });
    expect(r.data.responses.totalCount).toBe(4);
    // the manual tag, beside the smart tags the onboarding switched on
    expect(r.data.responses.edges.flatMap((e: any) => e.node.tags.map((tag: any) => tag.name))).toContain('FOLLOW-UP');
    expect(r.data.workflows.edges[0].node.name).toBe('Welcome a lead');

    // GraphiQL's default document works on the demo data, operation by operation
    const ids = JSON.parse((await cli(['demo', '--json'], { DATABASE_URL: t.databaseUrl, LOG_LEVEL: '' })).stdout) as {
      key: string;
      ids: Record<string, string>;
    };
    const run = (operationName: string, variables: object = {}) =>
      fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': ids.key },
        body: JSON.stringify({ query: DEFAULT_DOCUMENT, operationName, variables }),
      }).then((x) => x.json() as Promise<any>);
    for (const name of ['Viewer', 'Forms', 'Crm', 'Feedback', 'Workflows']) expect((await run(name)).errors, name).toBeUndefined();
    expect((await run('CreateEntry', { form: ids.ids.form })).data.createEntry.data.values).toMatchObject({ name: 'Margaret' });
    expect((await run('StartJob', { workflow: ids.ids.workflow })).data.createJob.data.status).toBe('QUEUED');
  }, 180_000);

  it('prints the usage and exits 2 without a command or with an unknown one', async () => {
    const [none, unknown] = await Promise.all([cli([]), cli(['frobnicate'])]);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toContain('usage: npm run formgraph -- <command>');
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('demo');
  }, 120_000);
});
