import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { createResponse, onboard } from '../feedback/helpers.js';
import { createJob, createWorkflow } from '../jobs/documents.js';

/** Free text is `search` everywhere; the old names keep working, deprecated, for one release. */

let t: TestServer;
let c: GraphQLClient;

beforeAll(async () => {
  t = await startTestServer();
  c = t.client.as((await createTenant(t.server.db)).key);
  await onboard(c);
  for (const name of ['Checkout survey', 'Onboarding survey', 'Churn']) {
    await c.data(`mutation($name: String!) { createSurvey(input: { name: $name, type: LINK }) { __typename } }`, { name });
  }
  for (const feedback of ['slow checkout', 'great support', 'checkout failed']) await createResponse(c, { feedback, score: 5, metricType: 'NPS' });
});
afterAll(() => t?.stop());

const surveys = async (filter: Record<string, unknown>) =>
  (await c.data<any, any>(`query($f: SurveyFilter) { surveys(filter: $f, sortBy: NAME) { nodes { name } } }`, { f: filter })).surveys.nodes.map(
    (n: any) => n.name,
  );
const responses = async (filter: Record<string, unknown>) =>
  (await c.data<any, any>(`query($f: ResponseFilter) { responses(filter: $f, sortBy: FEEDBACK_DATE_ASC) { totalCount nodes { feedback } } }`, { f: filter }))
    .responses;

describe('search', () => {
  it('filters surveys by name, and nameContains still does the same', async () => {
    expect(await surveys({ search: 'survey' })).toEqual(['Checkout survey', 'Onboarding survey']);
    expect(await surveys({ nameContains: 'survey' })).toEqual(['Checkout survey', 'Onboarding survey']);
  });

  it('filters responses by feedback text, and text still does the same', async () => {
    const bySearch = await responses({ search: 'checkout' });
    expect(bySearch.totalCount).toBe(2);
    expect(bySearch.nodes.map((n: any) => n.feedback).sort()).toEqual(['checkout failed', 'slow checkout']);
    expect(await responses({ text: 'checkout' })).toEqual(bySearch);
  });

  it('marks the old names deprecated in the schema, naming the new one', async () => {
    const r = await c.data<any, any>(
      `{ s: __type(name: "SurveyFilter") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } r: __type(name: "ResponseFilter") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
    );
    expect(r.s.inputFields).toContainEqual({ name: 'nameContains', isDeprecated: true, deprecationReason: 'Use search' });
    expect(r.r.inputFields).toContainEqual({ name: 'text', isDeprecated: true, deprecationReason: 'Use search' });
  });
});

describe('update(id, input)', () => {
  const ANSWER = `__typename ... on UserError { code issues { path code } }`;
  const updateWorkflow = (args: string, vars: Record<string, unknown>) =>
    c.data<any, any>(`mutation($id: ID, $n: String) { updateWorkflow(${args}) { ${ANSWER} ... on MutationUpdateWorkflowSuccess { data { name } } } }`, vars);
  const updateJob = (args: string, vars: Record<string, unknown>) =>
    c.data<any, any>(`mutation($id: ID!) { updateJob(${args}) { ${ANSWER} ... on MutationUpdateJobSuccess { data { id startAt } } } }`, vars);

  it('updateWorkflow takes the id as an argument, and the id inside the input still works', async () => {
    const id = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    expect((await updateWorkflow('id: $id, input: { name: $n }', { id, n: 'new form' })).updateWorkflow.data).toEqual({ name: 'new form' });
    expect((await updateWorkflow('input: { id: $id, name: $n }', { id, n: 'old form' })).updateWorkflow.data).toEqual({ name: 'old form' });
  });

  it('updateJob takes the id as an argument, and the id inside the input still works', async () => {
    const workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const job = await createJob(c, { workflow, startAt: new Date(Date.now() + 3600_000).toISOString() });
    const at = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString().replace(/\.\d+Z$/, '.000Z');
    const soon = at(2);
    expect((await updateJob(`id: $id, input: { startAt: "${soon}" }`, { id: job.id })).updateJob.data).toEqual({ id: job.id, startAt: soon });
    const later = at(3);
    expect((await updateJob(`input: { id: $id, startAt: "${later}" }`, { id: job.id })).updateJob.data).toEqual({ id: job.id, startAt: later });
  });

  it('refuses the id given twice or not at all, writing nothing', async () => {
    const id = await createWorkflow(c, { name: 'kept', tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    expect((await updateWorkflow('id: $id, input: { id: $id, name: $n }', { id, n: 'both' })).updateWorkflow).toEqual({
      __typename: 'UserError',
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['input', 'id'], code: 'CONFLICTING_ARGUMENTS' }],
    });
    expect((await updateWorkflow('id: $id, input: { name: $n }', { id: null, n: 'neither' })).updateWorkflow).toEqual({
      __typename: 'UserError',
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['id'], code: 'REQUIRED' }],
    });
    expect((await c.data<any, any>(`query($id: ID!) { workflow(id: $id) { name } }`, { id })).workflow).toEqual({ name: 'kept' });
  });

  it('marks input.id deprecated, naming the id argument', async () => {
    const r = await c.data<any, any>(
      `{ w: __type(name: "UpdateWorkflowInput") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } j: __type(name: "UpdateJobInput") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
    );
    expect(r.w.inputFields).toContainEqual({ name: 'id', isDeprecated: true, deprecationReason: 'Use id' });
    expect(r.j.inputFields).toContainEqual({ name: 'id', isDeprecated: true, deprecationReason: 'Use id' });
  });
});

describe('deleteX answers deleted: Deleted!', () => {
  it('gives the id of what was deleted and what went with it; the old data still answers', async () => {
    const survey = (
      await c.data<any, any>(`mutation { createSurvey(input: { name: "Gone", type: LINK }) { ... on MutationCreateSurveySuccess { data { id } } } }`)
    ).createSurvey.data.id;
    const r = await c.data<any, any>(
      `mutation($id: ID!) { deleteSurvey(id: $id) { __typename ... on MutationDeleteSurveySuccess { deleted { __typename id ... on DeletedSurvey { deletedResponses } } data { deletedId deletedResponses } } } }`,
      { id: survey },
    );
    expect(r.deleteSurvey).toEqual({
      __typename: 'MutationDeleteSurveySuccess',
      deleted: { __typename: 'DeletedSurvey', id: survey, deletedResponses: 0 },
      data: { deletedId: survey, deletedResponses: 0 },
    });
    const workflow = await createWorkflow(c, { tasks: [{ kind: 'log', parameters: { message: 'x' } }] });
    const w = await c.data<any, any>(
      `mutation($id: ID!) { deleteWorkflow(id: $id) { ... on MutationDeleteWorkflowSuccess { deleted { __typename id } data } } }`,
      { id: workflow },
    );
    expect(w.deleteWorkflow).toEqual({ deleted: { __typename: 'DeletedObject', id: workflow }, data: workflow });
  });
});
