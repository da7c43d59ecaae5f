import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { onboard } from '../feedback/helpers.js';

/** Imports and exports report the Job status vocabulary; every byte size is a Float `byteSize`. Old fields stay, deprecated. */

let t: TestServer;
let tenant: Tenant;
let c: GraphQLClient;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTenant(t.server.db);
  c = t.client.as(tenant.key);
  await onboard(c);
});
afterAll(() => t?.stop());

const importWith = async (status: 'QUEUED' | 'COMPLETED' | 'FAILED' | 'DELETING') => {
  const row = await t.server.db.import.create({
    data: {
      workspaceId: tenant.workspaceId,
      name: `${status}.csv`,
      fileName: `${status}.csv`,
      byteSize: 2_000_000_000,
      columns: [],
      totalRows: 0,
      validRows: 0,
      invalidRows: 0,
      status,
      uploadId: '00000000-0000-4000-8000-000000000001',
    },
  });
  return encodeGlobalID('Import', row.id);
};

describe('imports and exports', () => {
  it('report jobStatus in the Job vocabulary next to the deprecated status', async () => {
    const expected = [
      ['COMPLETED', { status: 'COMPLETED', jobStatus: 'OK', deleting: false }],
      ['FAILED', { status: 'FAILED', jobStatus: 'ERROR', deleting: false }],
      ['DELETING', { status: 'DELETING', jobStatus: 'RUNNING', deleting: true }],
    ] as const;
    for (const [status, answer] of expected) {
      const id = await importWith(status);
      const r = await c.data<any, any>(`query($id: ID!) { import(id: $id) { status jobStatus deleting byteSize } }`, { id });
      expect(r.import).toEqual({ ...answer, byteSize: 2_000_000_000 });
    }
    const created = await c.data<any, any>(
      `mutation { createExport(type: USERS) { __typename ... on MutationCreateExportSuccess { data { status jobStatus byteSize job { status } } } } }`,
    );
    expect(created.createExport.data).toEqual({ status: 'QUEUED', jobStatus: 'QUEUED', byteSize: null, job: { status: 'QUEUED' } });
  });

  it('give files a Float byteSize; size stays, deprecated', async () => {
    const file = await t.server.db.storedFile.create({ data: { workspaceId: tenant.workspaceId, name: 'a.txt', size: 5, contentType: 'text/plain' } });
    const r = await c.data<any, any>(`query($id: ID!) { node(id: $id) { ... on File { size byteSize } } }`, { id: encodeGlobalID('File', file.id) });
    expect(r.node).toEqual({ size: 5, byteSize: 5 });
  });

  it('mark the old fields deprecated and type every byteSize Float', async () => {
    const r = await c.data<any, any>(
      `{ ${['Import', 'Export', 'File', 'FileValue', 'ImportValidation']
        .map((name) => `${name}: __type(name: "${name}") { fields(includeDeprecated: true) { name type { name ofType { name } } deprecationReason } }`)
        .join(' ')} }`,
    );
    const field = (type: string, name: string) => r[type].fields.find((f: any) => f.name === name);
    for (const type of ['Import', 'Export']) {
      expect(field(type, 'status').deprecationReason).toBe('Use jobStatus');
      expect(field(type, 'jobStatus').type.ofType.name).toBe('JobStatus');
    }
    for (const type of ['File', 'FileValue']) expect(field(type, 'size').deprecationReason).toBe('Use byteSize');
    expect(r.ImportValidation.fields.find((f: any) => f.name === 'bytes').deprecationReason).toBe('Use byteSize');
    for (const type of ['Import', 'Export', 'File', 'FileValue', 'ImportValidation'])
      expect(field(type, 'byteSize').type.name ?? field(type, 'byteSize').type.ofType.name).toBe('Float');
  });
});
