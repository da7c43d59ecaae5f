import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { jobLogMessages, rawId, runJobsUntilIdle } from '../../helpers/jobs.js';
import { createEntries, createForm, entries } from '../forms/helpers.js';
import { createJob, createWorkflow, getJob } from './documents.js';

describe('workflow tasks on form entries', () => {
  let t: TestServer;
  let tenant: Tenant;
  let c: GraphQLClient;
  let form: { id: string; name: string };
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    c = t.client.as(tenant.key);
    form = await createForm(c, { name: 'Leads', fields: [{ key: 'name', label: 'Name', type: 'TEXT' }, { key: 'score', label: 'Score', type: 'NUMBER' }, { key: 'stage', label: 'Stage', type: 'TEXT' }] });
    await createEntries(c, form.id, [
      { name: 'a', score: 1 },
      { name: 'b', score: 5 },
      { name: 'c', score: 9 },
    ]);
  });
  afterAll(() => t?.stop());

  it('creates, updates and archives entries with parameters substituted', async () => {
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'createEntry', parameters: { form: form.id, values: { name: '{{params.who}}', score: 7 } } },
        { kind: 'updateEntries', parameters: { form: 'Leads', filter: { field: 'score', operator: 'GREATER', value: 4 }, patch: { stage: 'hot' } } },
        { kind: 'archiveEntries', parameters: { form: form.id, filter: { field: 'score', operator: 'LESS', value: 2 } } },
      ],
    });
    const job = await createJob(c, { workflow, parameters: { who: 'dora' } });
    await runJobsUntilIdle(t);
    expect((await getJob(c, job.id)).status).toBe('OK');
    const live = await entries(c, form.id, { orderBy: [{ field: 'name', direction: 'ASC' }] });
    expect(live.edges.map((e) => [e.node.values.name, e.node.values.stage ?? null])).toEqual([
      ['b', 'hot'],
      ['c', 'hot'],
      ['dora', 'hot'],
    ]);
    const all = await entries(c, form.id, { includeArchived: true });
    expect(all.totalCount).toBe(4);
    const messages = await jobLogMessages(t, rawId(job.id));
    expect(messages.filter((m) => /^(Created|Updated|Archived) /.test(m))).toEqual(['Created entry #4', 'Updated 3 entries', 'Archived 1 entry']);
  });

  it('fails the task with the engine’s validation message, and on an unknown form', async () => {
    const invalid = await createWorkflow(c, { tasks: [{ kind: 'createEntry', parameters: { form: form.id, values: { score: 'many' } } }] });
    const missing = await createWorkflow(c, { tasks: [{ kind: 'archiveEntries', parameters: { form: 'No such form', filter: {} } }] });
    const j1 = await createJob(c, { workflow: invalid });
    const j2 = await createJob(c, { workflow: missing });
    await runJobsUntilIdle(t);
    const r1 = await getJob(c, j1.id);
    expect(r1.status).toBe('ERROR');
    expect(r1.error!.task).toBe('#1 createEntry');
    expect(r1.error!.message).toMatch(/score/);
    expect(await getJob(c, j2.id)).toMatchObject({ status: 'ERROR', error: { message: 'Form not found', task: '#1 archiveEntries' } });
  });
});
