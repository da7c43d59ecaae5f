import { expect } from 'vitest';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { USER_ERROR } from '../documents.js';

/** Small GraphQL helpers for the forms tests (string documents keep the tests close to the wire). */
export const FORM_FIELDS = `id name fields { id key type required options { id label } } entryCount`;

export async function createForm(client: GraphQLClient, input: Record<string, unknown>) {
  const r = await client.data<any, any>(
    `mutation($input: FormInput!) { createForm(input: $input) { __typename ... on MutationCreateFormSuccess { data { ${FORM_FIELDS} } } ${USER_ERROR} } }`,
    { input },
  );
  expect(r.createForm.__typename, JSON.stringify(r.createForm)).toBe('MutationCreateFormSuccess');
  return r.createForm.data as {
    id: string;
    name: string;
    fields: Array<{ id: string; key: string; type: string; options: Array<{ id: string; label: string }> }>;
  };
}

export const ENTRY = `id version archived autoNumber values createdAt updatedAt`;

export async function createEntries(client: GraphQLClient, form: string, values: unknown[]) {
  const r = await client.data<any, any>(
    `mutation($form: ID!, $values: [JSON!]!) { createEntries(form: $form, values: $values) { __typename ... on MutationCreateEntriesSuccess { data { ${ENTRY} } } ${USER_ERROR} } }`,
    { form, values },
  );
  expect(r.createEntries.__typename, JSON.stringify(r.createEntries)).toBe('MutationCreateEntriesSuccess');
  return r.createEntries.data as Array<{ id: string; version: number; values: Record<string, any>; autoNumber: number }>;
}

export function createEntry(client: GraphQLClient, form: string, values: unknown) {
  return client
    .data<any, any>(
      `mutation($form: ID!, $values: JSON!) { createEntry(form: $form, values: $values) { __typename ... on MutationCreateEntrySuccess { data { ${ENTRY} } } ${USER_ERROR} } }`,
      { form, values },
    )
    .then((r) => r.createEntry);
}

export const ENTRIES_QUERY = `query($id: ID!, $filter: RecordFilter, $search: String, $orderBy: [RecordOrder!], $first: Int, $after: String, $last: Int, $before: String, $includeArchived: Boolean, $view: ID) {
  form(id: $id) { entries(filter: $filter, search: $search, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before, includeArchived: $includeArchived, view: $view) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id values } } } } }`;

export async function entries(client: GraphQLClient, form: string, args: Record<string, unknown> = {}) {
  const r = await client.data<any, any>(ENTRIES_QUERY, { id: form, ...args });
  return r.form.entries as {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: Array<{ cursor: string; node: { id: string; values: Record<string, any> } }>;
  };
}

export async function entryErrors(client: GraphQLClient, form: string, args: Record<string, unknown>) {
  return client.errors<any, any>(ENTRIES_QUERY, { id: form, ...args });
}
