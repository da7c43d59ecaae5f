import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { ok } from '../../helpers/graphql-client.js';
import { USER_ERROR } from '../documents.js';

/** Raw documents keep these helpers independent of codegen; tests use typed documents. */
export async function onboard(client: GraphQLClient, category = 'GENERAL') {
  const r = await client.data<{ updateOnboarding: unknown }, unknown>(
    `mutation($input: UpdateOnboardingInput!) { updateOnboarding(input: $input) { __typename ... on MutationUpdateOnboardingSuccess { data { onboarded } } ... on UserError { code message } } }`,
    { input: { category, onboarded: true } },
  );
  return ok(r.updateOnboarding as { __typename: string; data: { onboarded: boolean } });
}

export interface NewResponse {
  feedback?: string | null;
  feedbackDate?: string;
  score?: number | null;
  metricType?: 'NPS' | 'CSAT' | 'CES' | 'OTHER';
  projectIds?: string[];
  tagIds?: string[];
  properties?: { key: string; dataType: string; value: string }[];
  userId?: string;
}

export async function createResponse(client: GraphQLClient, input: NewResponse): Promise<{ id: string; sentiment: string | null; tags: { name: string }[] }> {
  const r = await client.data<{ createResponse: unknown }, unknown>(
    `mutation($input: CreateResponseInput!) { createResponse(input: $input) { __typename ... on MutationCreateResponseSuccess { data { id sentiment tags { name } } } ... on UserError { code message issues { path code } } } }`,
    { input },
  );
  return ok(r.createResponse as { __typename: string; data: { id: string; sentiment: string | null; tags: { name: string }[] } });
}

export async function createTag(client: GraphQLClient, input: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const r = await client.data<{ createTag: unknown }, unknown>(
    `mutation($input: CreateTagInput!) { createTag(input: $input) { __typename ... on MutationCreateTagSuccess { data { id name } } ${USER_ERROR} } }`,
    { input },
  );
  return ok(r.createTag as { __typename: string; data: { id: string; name: string } });
}

export async function tagsOf(client: GraphQLClient, responseId: string): Promise<string[]> {
  const r = await client.data<{ node: { tags: { name: string }[] } | null }, unknown>(
    `query($id: ID!) { node(id: $id) { ... on Response { tags { name } } } }`,
    { id: responseId },
  );
  return r.node!.tags.map((t) => t.name).sort();
}
