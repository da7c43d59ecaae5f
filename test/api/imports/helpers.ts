import { expect } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import { USER_ERROR } from '../documents.js';

/** A GraphQL multipart request (operations / map / file parts), built by hand as a client would. */
export async function uploadRequest(
  t: TestServer,
  key: string | null,
  query: string,
  variables: Record<string, unknown>,
  file: { name: string; content: string | Uint8Array; type?: string },
): Promise<{ status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } }> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { ...variables, file: null } }));
  form.append('map', JSON.stringify({ '0': ['variables.file'] }));
  form.append('0', new Blob([file.content as BlobPart], { type: file.type ?? 'text/csv' }), file.name);
  const response = await fetch(`${t.url}/graphql`, { method: 'POST', headers: key ? { authorization: `Bearer ${key}` } : {}, body: form });
  return { status: response.status, body: (await response.json()) as never };
}

export const CREATE_IMPORT = /* GraphQL */ `
  mutation CreateImportUpload(
    $file: Upload!
    $name: String
    $source: String
    $metricType: MetricType
    $language: String
    $policy: ImportPolicy
    $dryRun: Boolean
    $idempotencyKey: String
  ) {
    createImport(
      file: $file
      name: $name
      source: $source
      metricType: $metricType
      language: $language
      policy: $policy
      dryRun: $dryRun
      idempotencyKey: $idempotencyKey
    ) {
      __typename
      ... on MutationCreateImportSuccess {
        data {
          replayed
          import { id name source metricType language status fileName totalRows validRows invalidRows sampleAnalyzed columns { name role dataType } }
          job { id kind status }
          validation { totalRows validRows invalidRows issueCount byteSize issues { row column code message } columns { name role dataType } }
        }
      }
      ${USER_ERROR}
    }
  }
`;

export interface ImportData {
  replayed: boolean;
  import: {
    id: string;
    name: string;
    source: string | null;
    metricType: string;
    language: string | null;
    status: string;
    totalRows: number;
    validRows: number;
    invalidRows: number;
    sampleAnalyzed: boolean;
    columns: { name: string; role: string; dataType: string | null }[];
  } | null;
  job: { id: string; kind: string; status: string } | null;
  validation: {
    totalRows: number;
    validRows: number;
    invalidRows: number;
    issueCount: number;
    byteSize: number;
    issues: { row: number | null; column: string | null; code: string; message: string }[];
    columns: { name: string; role: string; dataType: string | null }[];
  } | null;
}

export async function createImport(t: TestServer, key: string, csv: string | Uint8Array, variables: Record<string, unknown> = {}, name = 'feedback.csv') {
  const r = await uploadRequest(t, key, CREATE_IMPORT, variables, { name, content: csv });
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  return r.body.data.createImport as
    | { __typename: 'MutationCreateImportSuccess'; data: ImportData }
    | { __typename: 'UserError'; code: string; message: string; issues: { path: string[]; code: string; message: string }[] };
}

export async function importOk(t: TestServer, key: string, csv: string | Uint8Array, variables: Record<string, unknown> = {}) {
  const result = await createImport(t, key, csv, variables);
  expect(result.__typename, JSON.stringify(result)).toBe('MutationCreateImportSuccess');
  return (result as { data: ImportData }).data;
}

export async function importRefused(t: TestServer, key: string, csv: string | Uint8Array, variables: Record<string, unknown> = {}) {
  const result = await createImport(t, key, csv, variables);
  expect(result.__typename, JSON.stringify(result)).toBe('UserError');
  return result as { code: string; message: string; issues: { path: string[]; code: string; message: string }[] };
}

/** Rows an import may leave behind, to compare before and after. */
export async function footprint(t: TestServer, workspaceId: string) {
  const db = t.server.db;
  const [responses, imports, staged, properties, jobs] = await Promise.all([
    db.response.count({ where: { workspaceId } }),
    db.import.count({ where: { workspaceId } }),
    db.importStagingRow.count(),
    db.responseProperty.count({ where: { response: { workspaceId } } }),
    db.job.count({ where: { workspaceId } }),
  ]);
  return { responses, imports, staged, properties, jobs };
}

export const ONBOARD = /* GraphQL */ `
  mutation OnboardForImports($input: UpdateOnboardingInput!) {
    updateOnboarding(input: $input) {
      __typename
      ... on UserError { code message }
    }
  }
`;

export const csvOf = (rows: (string | number)[][]) =>
  `${rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',')).join('\n')}\n`;
