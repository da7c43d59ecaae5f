import { randomUUID } from 'node:crypto';
import { graphql } from 'graphql';
import type { Config } from './config.js';
import type { Db } from './db/prisma.js';
import type { EventBus } from './events/bus.js';
import type { Logger } from './logger.js';
import { authenticate, credentialFrom } from './auth/authenticate.js';
import { buildSchema } from './schema.js';
import { createApiKey, createWorkspace } from './modules/identity/identity.service.js';
import { RequestLoaders } from './loaders.js';

/**
 * Demo data for a first look: every step is a GraphQL operation run in-process with the demo
 * key, so it goes through the same validation, services and transactions as a client's request,
 * and doubles as a set of working examples. `$name` variables take ids from earlier steps.
 */
const STEPS: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    name: 'form',
    query: `mutation($input: FormInput!) { createForm(input: $input) { ... on MutationCreateFormSuccess { data { id } } ... on UserError { code message } } }`,
    variables: {
      input: {
        name: 'Leads',
        fields: [
          { key: 'name', label: 'Name', type: 'TEXT', required: true },
          { key: 'budget', label: 'Budget', type: 'NUMBER' },
        ],
      },
    },
  },
  {
    name: 'entries',
    query: `mutation($form: ID!, $values: [JSON!]!) { createEntries(form: $form, values: $values) { ... on MutationCreateEntriesSuccess { data { id } } ... on UserError { code message } } }`,
    variables: {
      form: '$form',
      values: [
        { name: 'Ada', budget: 1200 },
        { name: 'Grace', budget: 800 },
        { name: 'Edsger', budget: 2500 },
      ],
    },
  },
  {
    name: 'module',
    query: `mutation($input: ModuleInput!) { createModule(input: $input) { ... on MutationCreateModuleSuccess { data { id } } ... on UserError { code message } } }`,
    variables: {
      input: {
        name: 'Deals',
        handle: 'deals',
        fields: [
          { key: 'name', label: 'Name', type: 'TEXT', required: true },
          { key: 'country', label: 'Country', type: 'TEXT' },
          { key: 'value', label: 'Value', type: 'NUMBER' },
        ],
      },
    },
  },
  {
    name: 'records',
    query: `mutation($module: ID!, $values: [JSON!]!) { createModuleRecords(module: $module, values: $values) { ... on MutationCreateModuleRecordsSuccess { data { id } } ... on UserError { code message } } }`,
    variables: {
      module: '$module',
      values: [
        { name: 'Acme renewal', country: 'DE', value: 12000 },
        { name: 'Globex pilot', country: 'FR', value: 4500 },
        { name: 'Initech upgrade', country: 'DE', value: 7800 },
      ],
    },
  },
  {
    name: 'chart',
    query: `mutation($input: CreateChartInput!) { createChart(input: $input) { ... on MutationCreateChartSuccess { data { id } } ... on UserError { code message } } }`,
    variables: { input: { module: '$module', name: 'Value by country', configuration: { kind: 'BAR', x: { field: 'country' }, sum: 'value' } } },
  },
  {
    name: 'page',
    query: `mutation($input: CreatePageInput!) { createPage(input: $input) { ... on MutationCreatePageSuccess { data { id } } ... on UserError { code message } } }`,
    variables: {
      input: {
        title: 'Pipeline',
        blocks: [{ heading: { text: 'Pipeline' } }, { chart: { chart: '$chart' } }, { recordList: { module: '$module' } }],
      },
    },
  },
  {
    name: 'onboarding',
    query: `mutation { updateOnboarding(input: { category: GENERAL, onboarded: true }) { ... on MutationUpdateOnboardingSuccess { data { onboarded } } ... on UserError { code message } } }`,
  },
  {
    name: 'survey',
    query: `mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { ... on MutationCreateSurveySuccess { data { id } } ... on UserError { code message } } }`,
    variables: {
      input: {
        name: 'Product feedback',
        type: 'LINK',
        questions: [
          { id: 'nps', type: 'NPS', headline: 'How likely are you to recommend us?' },
          { id: 'why', type: 'OPEN_TEXT', headline: 'Why?', required: false },
        ],
      },
    },
  },
  {
    name: 'open',
    query: `mutation($id: ID!) { changeSurveyStatus(id: $id, status: IN_PROGRESS) { ... on MutationChangeSurveyStatusSuccess { data { id } } ... on UserError { code message } } }`,
    variables: { id: '$survey' },
  },
  ...[
    [10, 'Great support, fast answers'],
    [9, 'Love the API'],
    [6, 'The import was slow'],
    [3, 'Too expensive for us'],
  ].map(([score, text], i) => ({
    name: `response${i}`,
    query: `mutation($input: SubmitResponseInput!) { submitResponse(input: $input) { ... on MutationSubmitResponseSuccess { data { id } } ... on UserError { code message } } }`,
    variables: {
      input: {
        surveyId: '$survey',
        answers: [
          { questionId: 'nps', number: score },
          { questionId: 'why', text },
        ],
      },
    },
  })),
  {
    name: 'tag',
    query: `mutation { createTag(input: { name: "follow-up", mode: MANUAL }) { ... on MutationCreateTagSuccess { data { id } } ... on UserError { code message } } }`,
  },
  {
    name: 'tagged',
    query: `mutation($response: ID!, $tag: ID!) { addResponseTags(responseId: $response, tagIds: [$tag]) { ... on MutationAddResponseTagsSuccess { data { id } } ... on UserError { code message } } }`,
    variables: { response: '$response3', tag: '$tag' },
  },
  {
    name: 'workflow',
    query: `mutation($input: CreateWorkflowInput!) { createWorkflow(input: $input) { ... on MutationCreateWorkflowSuccess { data { id } } ... on UserError { code message } } }`,
    variables: {
      input: {
        name: 'Welcome a lead',
        tasks: [
          { kind: 'log', parameters: { message: 'Welcoming {{params.name}}' } },
          { kind: 'wait', parameters: { seconds: 2 } },
          { kind: 'createEntry', parameters: { form: 'Leads', values: { name: '{{params.name}}' } } },
        ],
      },
    },
  },
];

/** Replaces "$name" strings (anywhere in the variables) with the id an earlier step returned. */
function resolve(value: unknown, ids: Record<string, string>): unknown {
  if (typeof value === 'string' && value.startsWith('$')) {
    const id = ids[value.slice(1)];
    if (!id) throw new Error(`demo: no id for ${value}`);
    return id;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, ids)]));
  return value;
}

export interface Demo {
  workspaceId: string;
  key: string;
  /** global ids by step name */
  ids: Record<string, string>;
}

export async function createDemo(deps: { db: Db; config: Config; events: EventBus; log: Logger }, workspaceName = 'Demo'): Promise<Demo> {
  const workspace = await createWorkspace(deps.db, workspaceName);
  const { secret } = await createApiKey(deps.db, workspace.id, null, { name: 'demo', scopes: ['READ', 'WRITE', 'MANAGE'] });
  const auth = await authenticate(deps.db, credentialFrom(new Headers({ 'x-api-key': secret })));
  if (auth.kind !== 'ok') throw new Error('demo: the new API key was not accepted');
  const schema = buildSchema();
  const ids: Record<string, string> = {};
  for (const step of STEPS) {
    const requestId = randomUUID();
    const result = await graphql({
      schema,
      source: step.query,
      variableValues: resolve(step.variables ?? {}, ids) as Record<string, unknown>,
      contextValue: { ...deps, log: deps.log.child({ requestId }), principal: auth.principal, requestId, loaders: new RequestLoaders() },
    });
    const payload = result.data ? (Object.values(result.data)[0] as { data?: { id?: string }; code?: string; message?: string }) : undefined;
    if (result.errors?.length || !payload?.data) {
      const reason = result.errors?.map((e) => e.message).join('; ') ?? `${payload?.code}: ${payload?.message}`;
      throw new Error(`demo step "${step.name}" failed: ${reason}`);
    }
    if (payload.data.id) ids[step.name] = payload.data.id;
  }
  return { workspaceId: workspace.id, key: secret, ids };
}
