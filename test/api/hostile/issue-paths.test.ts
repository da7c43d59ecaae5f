import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';

let t: TestServer;
let c: GraphQLClient;
let response: string;
let smartTag: string;

beforeAll(async () => {
  t = await startTestServer();
  c = t.client.as((await createTenant(t.server.db)).key);
  const onboarded = await c.data<any, any>(
    `mutation { updateOnboarding(input: { category: GENERAL, onboarded: true }) { ... on MutationUpdateOnboardingSuccess { data { tags { id } } } } }`,
  );
  smartTag = onboarded.updateOnboarding.data.tags[0].id;
  const created = await c.data<any, any>(`mutation { createResponse(input: { feedback: "hello" }) { ... on MutationCreateResponseSuccess { data { id } } } }`);
  response = created.createResponse.data.id;
});
afterAll(() => t?.stop());

it.each(['addResponseTags', 'removeResponseTags'])('%s reports tag issues under its tagIds argument, not a nonexistent input', async (name) => {
  const missing = encodeGlobalID('Tag', '00000000-0000-4000-8000-000000000000');
  const r = await c.data<any, any>(
    `mutation($r: ID!, $tags: [ID!]!) { ${name}(responseId: $r, tagIds: $tags) { __typename ... on UserError { code issues { path code } } } }`,
    { r: response, tags: [smartTag, missing] },
  );
  expect(r[name]).toEqual({
    __typename: 'UserError',
    code: 'BAD_USER_INPUT',
    issues: [
      { path: ['tagIds', '0'], code: 'NOT_MANUAL' },
      { path: ['tagIds', '1'], code: 'NOT_FOUND' },
    ],
  });
});

it('a service path inside the input is reported under the input argument', async () => {
  const r = await c.data<any, any>(`mutation { createForm(input: { name: " " }) { __typename ... on UserError { issues { path code } } } }`);
  expect(r.createForm.issues).toEqual([{ path: ['input', 'name'], code: 'REQUIRED' }]);
});
