import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';

// Pothos hands `{ select: {} }` to Prisma when no column is selected; src/db/prisma.ts works around it
describe('selections of __typename only, on every kind of Prisma-backed result', () => {
  let t: TestServer;
  let c: GraphQLClient;
  beforeAll(async () => {
    t = await startTestServer();
    c = t.client.as((await createTenant(t.server.db)).key);
  });
  afterAll(() => t?.stop());

  it('answers mutations whose payload object is not selected', async () => {
    expect(await c.data('mutation { createForm(input: { name: "F" }) { __typename } }')).toEqual({ createForm: { __typename: 'MutationCreateFormSuccess' } });
    expect(await c.data('mutation { createPage(input: { title: "P" }) { __typename } }')).toEqual({ createPage: { __typename: 'MutationCreatePageSuccess' } });
  });

  it('answers queries and payloads that select only __typename of the object', async () => {
    const created = await c.data<any, any>('mutation { createForm(input: { name: "G" }) { ... on MutationCreateFormSuccess { data { id __typename } } } }');
    const id = created.createForm.data.id as string;
    expect(await c.data('query($id: ID!) { form(id: $id) { __typename } }', { id })).toEqual({ form: { __typename: 'Form' } });
    expect(await c.data('query($id: ID!) { node(id: $id) { __typename } }', { id })).toEqual({ node: { __typename: 'Form' } });
  });

  it('answers connection edges whose nodes select only __typename', async () => {
    await c.data('mutation { updateOnboarding(input: { category: GENERAL, onboarded: true }) { __typename } }');
    expect(await c.data('mutation { createProject(name: "P") { ... on MutationCreateProjectSuccess { data { __typename } } } }')).toEqual({
      createProject: { data: { __typename: 'Project' } },
    });
    await c.data('mutation { createResponse(input: { feedback: "fine" }) { __typename } }');
    expect(await c.data('{ responses(first: 5) { edges { node { __typename } } } }')).toEqual({ responses: { edges: [{ node: { __typename: 'Response' } }] } });
  });
});
