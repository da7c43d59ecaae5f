import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import { createModule } from './helpers.js';

const SearchModules = graphql(`
  query CrmSearchModules($search: String) {
    modules(search: $search, first: 50) {
      totalCount
      nodes {
        name
      }
    }
  }
`);

describe('modules(search:)', () => {
  let t: TestServer;
  let api: GraphQLClient;

  beforeAll(async () => {
    t = await startTestServer();
    api = t.client.as((await createTenant(t.server.db)).key);
    await createModule(api, 'Discounts 100%', 'discount', [{ key: 'name', label: 'Name', type: 'TEXT' }]);
    await createModule(api, 'Leads', 'lead_source', [{ key: 'name', label: 'Name', type: 'TEXT' }]);
    await createModule(api, 'Accounts', 'account', [{ key: 'name', label: 'Name', type: 'TEXT' }]);
    await createModule(api, 'Back\\slash', 'backslash', [{ key: 'name', label: 'Name', type: 'TEXT' }]);
  });
  afterAll(() => t?.stop());

  const names = async (search: string) => {
    const { modules } = await api.data(SearchModules, { search });
    expect(modules.totalCount).toBe(modules.nodes.length);
    return modules.nodes.map((m) => m?.name);
  };

  it('matches LIKE wildcards literally, in the list and its totalCount', async () => {
    expect(await names('%')).toEqual(['Discounts 100%']);
    expect(await names('_')).toEqual(['Leads']);
    expect(await names('\\')).toEqual(['Back\\slash']);
    expect(await names('a%s')).toEqual([]);
  });

  it('still matches plain text in names and handles, case-insensitively', async () => {
    expect(await names('ACCOUNT')).toEqual(['Accounts']);
    expect(await names('source')).toEqual(['Leads']);
  });
});
