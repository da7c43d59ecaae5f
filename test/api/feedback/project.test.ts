import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import { createResponse, onboard } from './helpers.js';

const Create = graphql(`
  mutation FbCreateProject($name: String!) {
    createProject(name: $name) { __typename ... on MutationCreateProjectSuccess { data { id name responseCount createdAt } } ... on UserError { code message issues { path code } } }
  }
`);
const Rename = graphql(`
  mutation FbRenameProject($id: ID!, $name: String!) {
    renameProject(id: $id, name: $name) { __typename ... on MutationRenameProjectSuccess { data { id name } } ... on UserError { code message } }
  }
`);
const Delete = graphql(`
  mutation FbDeleteProject($id: ID!) { deleteProject(id: $id) { __typename ... on MutationDeleteProjectSuccess { data { deletedId } } ... on UserError { code message } } }
`);
const List = graphql(
  `query FbProjects($first: Int, $after: String) { projects(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name responseCount } } } }`,
);
const Node = graphql(`query FbProjectNode($id: ID!) { node(id: $id) { id ... on Project { name } } }`);

describe('projects', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  const as = () => t.client.as(tenant.key);

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    await onboard(as());
    await onboard(t.client.as(other.key));
  });
  afterAll(() => t?.stop());

  it('creates, renames, counts responses and lists newest first', async () => {
    const a = ok((await as().data(Create, { name: '  Alpha ' })).createProject);
    expect(a).toMatchObject({ name: 'Alpha', responseCount: 0 });
    const b = ok((await as().data(Create, { name: 'Beta' })).createProject);
    for (let i = 0; i < 3; i++) await createResponse(as(), { feedback: `r${i}`, projectIds: i < 2 ? [a.id, b.id] : [a.id] });
    expect(ok((await as().data(Rename, { id: b.id, name: 'Beta 2' })).renameProject).name).toBe('Beta 2');
    const list = await as().data(List, { first: 1 });
    expect(list.projects.totalCount).toBe(2);
    expect(list.projects.edges.map((e) => e.node)).toEqual([{ id: b.id, name: 'Beta 2', responseCount: 2 }]);
    const next = await as().data(List, { first: 1, after: list.projects.pageInfo.endCursor });
    expect(next.projects.edges.map((e) => e.node)).toEqual([{ id: a.id, name: 'Alpha', responseCount: 3 }]);
  });

  it('refuses blank, too long and duplicate names, also under concurrency', async () => {
    expect(userError((await as().data(Create, { name: ' ' })).createProject).issues).toEqual([{ path: ['name'], code: 'REQUIRED' }]);
    expect(userError((await as().data(Create, { name: 'x'.repeat(201) })).createProject).issues).toEqual([{ path: ['name'], code: 'TOO_LONG' }]);
    expect(userError((await as().data(Create, { name: 'Alpha' })).createProject).code).toBe('CONFLICT');
    const results = await Promise.all(Array.from({ length: 6 }, () => as().data(Create, { name: 'Race' })));
    const kinds = results.map((r) => (r.createProject.__typename === 'UserError' ? r.createProject.code : 'OK')).sort();
    expect(kinds).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
  });

  it('deletes a project and keeps its responses', async () => {
    const p = ok((await as().data(Create, { name: 'Gone' })).createProject);
    const r = await createResponse(as(), { feedback: 'stays', projectIds: [p.id] });
    expect(ok((await as().data(Delete, { id: p.id })).deleteProject).deletedId).toBe(p.id);
    expect((await as().data(Node, { id: p.id })).node).toBeNull();
    expect(await as().data(`query($id: ID!) { node(id: $id) { ... on Response { projects { name } } } }`, { id: r.id })).toEqual({ node: { projects: [] } });
  });

  it("answers another workspace's project as not found", async () => {
    const p = ok((await as().data(Create, { name: 'Mine' })).createProject);
    const o = t.client.as(other.key);
    expect((await o.data(Node, { id: p.id })).node).toBeNull();
    expect(userError((await o.data(Rename, { id: p.id, name: 'x' })).renameProject)).toMatchObject({ code: 'NOT_FOUND', message: 'Project not found' });
    expect(userError((await o.data(Delete, { id: p.id })).deleteProject)).toMatchObject({ code: 'NOT_FOUND', message: 'Project not found' });
    expect((await o.data(List, {})).projects.totalCount).toBe(0);
    const e = await o.data(
      `mutation($p: ID!) { createResponse(input: { feedback: "x", projectIds: [$p] }) { ... on UserError { code issues { path code } } } }`,
      { p: p.id },
    );
    expect(e).toEqual({ createResponse: { code: 'BAD_USER_INPUT', issues: [{ path: ['input', 'projectIds', '0'], code: 'NOT_FOUND' }] } });
  });
});
