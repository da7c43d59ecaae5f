import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { jobLogMessages, rawId, runJobsUntilIdle } from '../../helpers/jobs.js';
import { createEntries, createForm, entries } from '../forms/helpers.js';
import { createJob, createWorkflow, CreateWorkflow, getJob } from './documents.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { createModule, createRecords } from '../crm/helpers.js';

describe('workflow tasks on form entries', () => {
  let t: TestServer;
  let tenant: Tenant;
  let c: GraphQLClient;
  let form: { id: string; name: string };
  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    c = t.client.as(tenant.key);
    form = await createForm(c, {
      name: 'Leads',
      fields: [
        { key: 'name', label: 'Name', type: 'TEXT' },
        { key: 'score', label: 'Score', type: 'NUMBER' },
        { key: 'stage', label: 'Stage', type: 'TEXT' },
      ],
    });
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

  it('creates, updates and archives the records of a CRM module, named by handle, name or global id', async () => {
    const module = await createModule(c, 'Deals', 'deal', [
      { key: 'name', label: 'Name', type: 'TEXT' },
      { key: 'amount', label: 'Amount', type: 'NUMBER' },
      { key: 'stage', label: 'Stage', type: 'TEXT' },
    ]);
    await createRecords(c, module.id, [
      { name: 'small', amount: 1 },
      { name: 'big', amount: 9 },
    ]);
    const workflow = await createWorkflow(c, {
      tasks: [
        { kind: 'createEntry', parameters: { module: 'deal', values: { name: '{{params.who}}', amount: 7 } } },
        { kind: 'updateEntries', parameters: { module: module.id, filter: { field: 'amount', operator: 'GREATER', value: 4 }, patch: { stage: 'hot' } } },
        { kind: 'archiveEntries', parameters: { module: 'Deals', filter: { field: 'amount', operator: 'LESS', value: 2 } } },
      ],
    });
    const job = await createJob(c, { workflow, parameters: { who: 'acme' } });
    await runJobsUntilIdle(t);
    expect((await getJob(c, job.id)).status).toBe('OK');
    const rows = await t.server.db.dataRecord.findMany({ where: { collectionId: rawId(module.id) }, orderBy: { autoNumber: 'asc' } });
    expect(rows.map((r) => [(r.values as { name: string }).name, (r.values as { stage?: string }).stage ?? null, r.archived])).toEqual([
      ['small', null, true],
      ['big', 'hot', false],
      ['acme', 'hot', false],
    ]);
    const messages = await jobLogMessages(t, rawId(job.id));
    expect(messages.filter((m) => /^(Created|Updated|Archived) /.test(m))).toEqual(['Created record #3', 'Updated 2 records', 'Archived 1 record']);
    // a module is not a form: the module's name does not resolve as a form
    const wrongKind = await createWorkflow(c, { tasks: [{ kind: 'createEntry', parameters: { form: 'Deals', values: { name: 'x' } } }] });
    const failed = await createJob(c, { workflow: wrongKind });
    await runJobsUntilIdle(t);
    expect(await getJob(c, failed.id)).toMatchObject({ status: 'ERROR', error: { message: 'Form not found', task: '#1 createEntry' } });
  });

  it('refuses an entry task naming both a form and a module, or neither', async () => {
    const r = await c.data(CreateWorkflow, {
      input: {
        name: 'ambiguous',
        tasks: [
          { kind: 'createEntry', parameters: { form: 'Leads', module: 'deal', values: {} } },
          { kind: 'archiveEntries', parameters: { filter: {} } },
        ],
      },
    });
    expect(userError(r.createWorkflow).issues.map((i) => [i.path.join('.'), i.code, i.message])).toEqual([
      ['input.tasks.0.parameters.form', 'INVALID_VALUE', 'Give exactly one of form and module'],
      ['input.tasks.1.parameters.form', 'INVALID_VALUE', 'Give exactly one of form and module'],
    ]);
  });

  it('accepts a workflow without tasks; its jobs end OK at once', async () => {
    const empty = ok((await c.data(CreateWorkflow, { input: { name: 'nothing yet' } })).createWorkflow);
    expect(empty.tasks).toEqual([]);
    const explicit = await createWorkflow(c, { name: 'explicitly empty', tasks: [] });
    for (const workflow of [empty.id, explicit]) {
      const job = await createJob(c, { workflow });
      await runJobsUntilIdle(t);
      expect(await getJob(c, job.id)).toMatchObject({ status: 'OK', progress: { done: 0, total: 0 } });
    }
  });
});
