import { expect } from 'vitest';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { ok } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import type { FieldInput } from '../../gql/graphql.js';

export const CreateModule = graphql(`
  mutation CrmCreateModule($input: ModuleInput!) {
    createModule(input: $input) {
      __typename
      ... on MutationCreateModuleSuccess {
        data {
          id
          name
          handle
          recordCount
          fields {
            id
            key
            type
            options {
              id
              label
            }
          }
        }
      }
      ...UserErrorFields
    }
  }
`);

export const CreateModuleRecords = graphql(`
  mutation CrmCreateModuleRecords($module: ID!, $values: [JSON!]!) {
    createModuleRecords(module: $module, values: $values) {
      __typename
      ... on MutationCreateModuleRecordsSuccess {
        data {
          id
          version
          values
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

export async function createModule(client: GraphQLClient, name: string, handle: string, fields: FieldInput[]) {
  return ok((await client.data(CreateModule, { input: { name, handle, fields } })).createModule);
}

export async function createRecords(client: GraphQLClient, module: string, values: Record<string, unknown>[]) {
  const out = [];
  // the engine takes at most 1000 per call
  for (let i = 0; i < values.length; i += 1000)
    out.push(...ok((await client.data(CreateModuleRecords, { module, values: values.slice(i, i + 1000) })).createModuleRecords));
  expect(out).toHaveLength(values.length);
  return out;
}

/** A deterministic pseudo-random sequence (tests must not depend on luck). */
export function sequence(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const OPPORTUNITY_FIELDS: FieldInput[] = [
  { key: 'name', label: 'Name', type: 'TEXT', required: true },
  { key: 'value', label: 'Value', type: 'CURRENCY', config: { currency: 'EUR' } },
  { key: 'probability', label: 'Probability', type: 'NUMBER' },
  {
    key: 'state',
    label: 'State',
    type: 'STATIC_SELECT',
    options: [
      { id: 'open', label: 'Open' },
      { id: 'won', label: 'Won' },
      { id: 'lost', label: 'Lost' },
    ],
  },
  {
    key: 'type',
    label: 'Type',
    type: 'STATIC_SELECT',
    options: [
      { id: 'new', label: 'New business' },
      { id: 'existing', label: 'Existing business' },
      { id: 'renewal', label: 'Renewal' },
    ],
  },
  { key: 'closed_at', label: 'Closed at', type: 'DATETIME' },
];
