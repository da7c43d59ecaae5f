import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError, type GraphQLClient } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import type { BlockInput } from '../../gql/graphql.js';

const CreatePage = graphql(`
  mutation CrmCreatePage($input: CreatePageInput!) {
    createPage(input: $input) {
      __typename
      ... on MutationCreatePageSuccess {
        data {
          id
          title
          weight
          parent {
            id
          }
          blocks {
            __typename
            type
            title
            ... on HeadingBlock {
              text
              level
            }
            ... on TextBlock {
              body
            }
            ... on EmbedBlock {
              url
              height
            }
          }
        }
      }
      ...UserErrorFields
    }
  }
`);

const UpdatePage = graphql(`
  mutation CrmUpdatePage($id: ID!, $input: UpdatePageInput!) {
    updatePage(id: $id, input: $input) {
      __typename
      ... on MutationUpdatePageSuccess {
        data {
          id
          title
          weight
          parent {
            id
          }
        }
      }
      ...UserErrorFields
    }
  }
`);

const ReorderPages = graphql(`
  mutation CrmReorderPages($parent: ID, $pageIds: [ID!]!) {
    reorderPages(parent: $parent, pageIds: $pageIds) {
      __typename
      ... on MutationReorderPagesSuccess {
        data {
          id
          weight
        }
      }
      ... on UserError {
        code
        message
        issues {
          path
          code
        }
      }
    }
  }
`);

const DeletePage = graphql(`
  mutation CrmDeletePage($id: ID!, $strategy: PageDeleteStrategy) {
    deletePage(id: $id, strategy: $strategy) {
      __typename
      ... on MutationDeletePageSuccess {
        data {
          deletedPageIds
        }
        deleted {
          __typename
          id
          ... on DeletePageResult {
            deletedPageIds
          }
        }
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

const PageTree = graphql(`
  query CrmPageTree {
    pageTree {
      id
      title
      children {
        id
        title
        children {
          id
          title
          children {
            id
            title
          }
        }
      }
    }
  }
`);

const Pages = graphql(`
  query CrmPages($parent: ID) {
    pages(parent: $parent, first: 50) {
      totalCount
      edges {
        node {
          id
          title
          weight
        }
      }
    }
  }
`);

const PageById = graphql(`
  query CrmPage($id: ID!) {
    page(id: $id) {
      id
      title
    }
    node(id: $id) {
      id
    }
  }
`);

interface TreeNode {
  title: string;
  children?: TreeNode[] | null;
}
/** The tree as nested titles, e.g. ['A', ['A1', 'A2'], 'B']. */
function shape(nodes: TreeNode[]): unknown[] {
  return nodes.flatMap((n) => (n.children?.length ? [n.title, shape(n.children)] : [n.title]));
}

describe('CRM pages', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  let api: GraphQLClient;

  async function create(title: string, parent?: string | null, blocks?: BlockInput[]) {
    return ok((await api.data(CreatePage, { input: { title, parent, blocks } })).createPage);
  }
  async function tree() {
    return shape((await api.data(PageTree)).pageTree);
  }
  async function deleteAll() {
    const roots = (await api.data(Pages, {})).pages.edges;
    for (const { node } of roots) ok((await api.data(DeletePage, { id: node.id, strategy: 'CASCADE' })).deletePage);
  }

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    api = t.client.as(tenant.key);
  });
  afterAll(() => t?.stop());

  it('stores typed blocks and reads them back', async () => {
    const page = await create('Dashboard', null, [
      { heading: { text: 'Sales', level: 1 } },
      { text: { title: 'Notes', body: 'Some *markdown*' } },
      { embed: { url: 'https://example.com/report', height: 400 } },
      { heading: { text: 'Default level' } },
    ]);
    expect(page.blocks).toEqual([
      { __typename: 'HeadingBlock', type: 'HEADING', title: null, text: 'Sales', level: 1 },
      { __typename: 'TextBlock', type: 'TEXT', title: 'Notes', body: 'Some *markdown*' },
      { __typename: 'EmbedBlock', type: 'EMBED', title: null, url: 'https://example.com/report', height: 400 },
      { __typename: 'HeadingBlock', type: 'HEADING', title: null, text: 'Default level', level: 2 },
    ]);
    await deleteAll();
  });

  it('refuses invalid blocks and titles, listing every problem with its path', async () => {
    const result = await api.data(CreatePage, {
      input: {
        title: '  ',
        blocks: [
          { heading: { text: 'ok' } },
          { heading: { text: 'x', level: 9 } },
          { embed: { url: 'javascript:alert(1)' } },
          { recordDetail: { fields: ['name'] } },
          { text: { title: 'y'.repeat(201), body: '' } },
        ],
      },
    });
    const error = userError(result.createPage);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues.map((i) => `${i.path.join('.')} ${i.code}`).sort()).toEqual([
      'input.blocks.1.heading.level INVALID_VALUE',
      'input.blocks.2.embed.url INVALID_VALUE',
      'input.blocks.4.text.title INVALID_VALUE',
      'input.title REQUIRED',
    ]);
    // the record detail block is only checked once the rest is valid: it needs the page's module
    const detail = userError((await api.data(CreatePage, { input: { title: 'P', blocks: [{ recordDetail: {} }] } })).createPage);
    expect(detail.issues).toEqual([expect.objectContaining({ path: ['input', 'blocks', '0', 'recordDetail'], code: 'NOT_A_RECORD_PAGE' })]);
    expect((await api.data(Pages, {})).pages.totalCount).toBe(0);
  });

  it('builds a tree ordered by weight, appending new pages after their siblings', async () => {
    const a = await create('A');
    const b = await create('B');
    const a1 = await create('A1', a.id);
    const a2 = await create('A2', a.id);
    await create('A2x', a2.id);
    expect([a.weight, b.weight, a1.weight, a2.weight]).toEqual([0, 1, 0, 1]);
    expect(a1.parent?.id).toBe(a.id);
    expect(await tree()).toEqual(['A', ['A1', 'A2', ['A2x']], 'B']);
    const children = await api.data(Pages, { parent: a.id });
    expect(children.pages.totalCount).toBe(2);
    expect(children.pages.edges.map((e) => e.node.title)).toEqual(['A1', 'A2']);
    await deleteAll();
  });

  it('loads the whole tree in a number of statements that does not grow with the pages', async () => {
    const a = await create('A');
    await create('A1', a.id);
    const small = await api.request(PageTree);
    for (let i = 0; i < 6; i++) {
      const p = await create(`R${i}`);
      const c = await create(`R${i}.1`, p.id);
      await create(`R${i}.1.1`, c.id);
    }
    const large = await api.request(PageTree);
    expect(large.data?.pageTree).toHaveLength(7);
    expect(large.statements).toBe(small.statements);
    await deleteAll();
  });

  it('reorders exactly the children of a parent', async () => {
    const root = await create('Root');
    const [x, y, z] = [await create('X', root.id), await create('Y', root.id), await create('Z', root.id)];
    const stranger = await create('Elsewhere');

    const reordered = ok((await api.data(ReorderPages, { parent: root.id, pageIds: [z.id, x.id, y.id] })).reorderPages);
    expect(reordered.map((p) => [p.id, p.weight])).toEqual([
      [z.id, 0],
      [x.id, 1],
      [y.id, 2],
    ]);
    expect(await tree()).toEqual(['Root', ['Z', 'X', 'Y'], 'Elsewhere']);

    const missing = userError((await api.data(ReorderPages, { parent: root.id, pageIds: [z.id, x.id] })).reorderPages);
    expect(missing.code).toBe('BAD_USER_INPUT');
    expect(missing.issues.map((i) => i.code)).toEqual(['INCOMPLETE']);

    const wrong = userError((await api.data(ReorderPages, { parent: root.id, pageIds: [z.id, x.id, x.id, stranger.id, y.id] })).reorderPages);
    expect(wrong.issues).toEqual([
      { path: ['pageIds', '2'], code: 'DUPLICATE' },
      { path: ['pageIds', '3'], code: 'NOT_A_CHILD' },
    ]);
    // nothing changed
    expect(await tree()).toEqual(['Root', ['Z', 'X', 'Y'], 'Elsewhere']);

    // top level: no parent
    ok((await api.data(ReorderPages, { parent: null, pageIds: [stranger.id, root.id] })).reorderPages);
    expect(await tree()).toEqual(['Elsewhere', 'Root', ['Z', 'X', 'Y']]);
    await deleteAll();
  });

  it('moves pages under another parent and refuses cycles', async () => {
    const a = await create('A');
    const a1 = await create('A1', a.id);
    const a11 = await create('A11', a1.id);
    const b = await create('B');
    await create('B1', b.id);

    const moved = ok((await api.data(UpdatePage, { id: a1.id, input: { parent: b.id } })).updatePage);
    expect(moved.parent?.id).toBe(b.id);
    expect(moved.weight).toBe(1);
    expect(await tree()).toEqual(['A', 'B', ['B1', 'A1', ['A11']]]);

    const self = userError((await api.data(UpdatePage, { id: b.id, input: { parent: b.id } })).updatePage);
    expect(self.code).toBe('BAD_USER_INPUT');
    expect(self.issues).toEqual([expect.objectContaining({ path: ['input', 'parent'], code: 'CYCLE' })]);
    const below = userError((await api.data(UpdatePage, { id: b.id, input: { parent: a11.id, title: 'B renamed' } })).updatePage);
    expect(below.issues).toEqual([expect.objectContaining({ path: ['input', 'parent'], code: 'CYCLE' })]);
    expect(await tree()).toEqual(['A', 'B', ['B1', 'A1', ['A11']]]);

    // null moves to the top level; an absent parent leaves it where it is
    const top = ok((await api.data(UpdatePage, { id: a11.id, input: { parent: null } })).updatePage);
    expect(top.parent).toBeNull();
    const renamed = ok((await api.data(UpdatePage, { id: a1.id, input: { title: 'A1 renamed' } })).updatePage);
    expect(renamed.parent?.id).toBe(b.id);
    expect(await tree()).toEqual(['A', 'B', ['B1', 'A1 renamed'], 'A11']);
    await deleteAll();
  });

  it('never builds a cycle from two concurrent moves', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await create('A');
      const b = await create('B');
      const [ab, ba] = await Promise.all([
        api.data(UpdatePage, { id: a.id, input: { parent: b.id } }),
        api.data(UpdatePage, { id: b.id, input: { parent: a.id } }),
      ]);
      const outcomes = [ab.updatePage.__typename, ba.updatePage.__typename].sort();
      expect(outcomes).toEqual(['MutationUpdatePageSuccess', 'UserError']);
      const refused = [ab.updatePage, ba.updatePage].find((r) => r.__typename === 'UserError');
      expect(userError(refused).issues).toEqual([expect.objectContaining({ path: ['input', 'parent'], code: 'CYCLE' })]);
      // one is the parent of the other, and the tree still has a root
      expect(await tree()).toEqual(ab.updatePage.__typename === 'UserError' ? ['A', ['B']] : ['B', ['A']]);
      await deleteAll();
    }
  });

  it('deletes with ABORT by default: refused while the page has children', async () => {
    const a = await create('A');
    const a1 = await create('A1', a.id);
    const refused = userError((await api.data(DeletePage, { id: a.id })).deletePage);
    expect(refused.code).toBe('FAILED_DEPENDENCY');
    expect(await tree()).toEqual(['A', ['A1']]);
    expect(ok((await api.data(DeletePage, { id: a1.id })).deletePage).deletedPageIds).toEqual([a1.id]);
    expect(ok((await api.data(DeletePage, { id: a.id, strategy: 'ABORT' })).deletePage).deletedPageIds).toEqual([a.id]);
    expect(await tree()).toEqual([]);
  });

  it('deletes a whole subtree with CASCADE', async () => {
    const a = await create('A');
    const a1 = await create('A1', a.id);
    const a11 = await create('A11', a1.id);
    const a2 = await create('A2', a.id);
    await create('B');
    const result = (await api.data(DeletePage, { id: a.id, strategy: 'CASCADE' })).deletePage;
    const deleted = ok(result).deletedPageIds;
    expect([...deleted].sort()).toEqual([a.id, a1.id, a11.id, a2.id].sort());
    // the one delete shape: the page asked for, and every page that went with it
    expect(result.__typename === 'MutationDeletePageSuccess' && result.deleted).toEqual({ __typename: 'DeletePageResult', id: a.id, deletedPageIds: deleted });
    expect(await tree()).toEqual(['B']);
    expect((await api.data(PageById, { id: a11.id })).page).toBeNull();
    await deleteAll();
  });

  it('moves children up into the deleted page’s place with REBASE', async () => {
    const root = await create('Root');
    await create('P', root.id);
    const q = await create('Q', root.id);
    await create('R', root.id);
    await create('Q1', q.id);
    await create('Q2', q.id);
    const q2a = (await api.data(Pages, { parent: q.id })).pages.edges[1]!.node;
    await create('Q2a', q2a.id);

    const deleted = ok((await api.data(DeletePage, { id: q.id, strategy: 'REBASE' })).deletePage).deletedPageIds;
    expect(deleted).toEqual([q.id]);
    expect(await tree()).toEqual(['Root', ['P', 'Q1', 'Q2', ['Q2a'], 'R']]);
    expect((await api.data(Pages, { parent: root.id })).pages.edges.map((e) => e.node.weight)).toEqual([0, 1, 2, 3]);

    // REBASE of a top-level page: its children become top-level pages
    const rebasedRoot = ok((await api.data(DeletePage, { id: root.id, strategy: 'REBASE' })).deletePage).deletedPageIds;
    expect(rebasedRoot).toEqual([root.id]);
    expect(await tree()).toEqual(['P', 'Q1', 'Q2', ['Q2a'], 'R']);
    await deleteAll();
  });

  it("keeps another workspace's pages out of reach", async () => {
    const mine = await create('Mine');
    const mineChild = await create('Mine child', mine.id);
    const them = t.client.as(other.key);

    expect(await them.data(PageById, { id: mine.id })).toEqual({ page: null, node: null });
    expect((await them.data(PageTree)).pageTree).toEqual([]);
    expect((await them.data(Pages, { parent: mine.id })).pages.totalCount).toBe(0);

    const update = userError((await them.data(UpdatePage, { id: mine.id, input: { title: 'hijacked' } })).updatePage);
    expect(update).toMatchObject({ code: 'NOT_FOUND', message: 'Page not found' });
    const del = userError((await them.data(DeletePage, { id: mineChild.id })).deletePage);
    expect(del).toMatchObject({ code: 'NOT_FOUND', message: 'Page not found' });

    const theirs = ok((await them.data(CreatePage, { input: { title: 'Theirs' } })).createPage);
    const foreignParent = userError((await them.data(CreatePage, { input: { title: 'Sneaky', parent: mine.id } })).createPage);
    expect(foreignParent.issues).toEqual([expect.objectContaining({ path: ['input', 'parent'], code: 'NOT_FOUND' })]);
    const foreignMove = userError((await them.data(UpdatePage, { id: theirs.id, input: { parent: mine.id } })).updatePage);
    expect(foreignMove.issues).toEqual([expect.objectContaining({ path: ['input', 'parent'], code: 'NOT_FOUND' })]);
    const foreignReorder = userError((await them.data(ReorderPages, { parent: null, pageIds: [theirs.id, mine.id] })).reorderPages);
    expect(foreignReorder.issues).toEqual([{ path: ['pageIds', '1'], code: 'NOT_A_CHILD' }]);
    expect(userError((await them.data(ReorderPages, { parent: mine.id, pageIds: [mineChild.id] })).reorderPages).code).toBe('NOT_FOUND');

    expect(await tree()).toEqual(['Mine', ['Mine child']]);
    await deleteAll();
  });

  it('refuses malformed ids and ids of another type as BAD_USER_INPUT', async () => {
    const garbage = Buffer.from('Page:not-a-uuid').toString('base64');
    const [malformed] = await api.errors(PageById, { id: garbage });
    expect(malformed!.extensions?.code).toBe('BAD_USER_INPUT');
    const page = await create('Typed');
    const asChart = Buffer.from(`Chart:${Buffer.from(page.id, 'base64').toString().split(':')[1]}`).toString('base64');
    const [wrongType] = await api.errors(DeletePage, { id: asChart });
    expect(wrongType!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await tree()).toEqual(['Typed']);
    await deleteAll();
  });

  it('needs MANAGE to change pages and READ to see them', async () => {
    const reader = t.client.as((await createTenant(t.server.db, ['READ'])).key);
    const errors = await reader.errors(CreatePage, { input: { title: 'x' } });
    expect(errors[0]!.extensions?.code).toBe('FORBIDDEN');
    expect((await reader.data(PageTree)).pageTree).toEqual([]);
    expect((await t.client.errors(PageTree))[0]!.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
