import { graphql } from '../../gql/index.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { ok } from '../../helpers/graphql-client.js';

export const CreateWorkflow = graphql(`
  mutation JobsCreateWorkflow($input: CreateWorkflowInput!) {
    createWorkflow(input: $input) {
      __typename
      ... on MutationCreateWorkflowSuccess {
        data {
          id
          name
          tasks {
            kind
            name
            parameters
          }
          onError {
            kind
          }
          timeoutSeconds
          enabled
        }
      }
      ...UserErrorFields
    }
  }
`);

export const JobFields = graphql(`
  fragment JobFields on Job {
    id
    kind
    name
    status
    startAt
    parameters
    attempts
    progress {
      done
      total
    }
    error {
      message
      task
    }
    workflow {
      id
    }
    createdAt
    startedAt
    finishedAt
  }
`);

export const CreateJob = graphql(`
  mutation JobsCreateJob($input: CreateJobInput!) {
    createJob(input: $input) {
      __typename
      ... on MutationCreateJobSuccess {
        data {
          ...JobFields
        }
      }
      ...UserErrorFields
    }
  }
`);

export const CancelJob = graphql(`
  mutation JobsCancelJob($id: ID!) {
    cancelJob(id: $id) {
      __typename
      ... on MutationCancelJobSuccess {
        data {
          id
          status
          cancelRequestedAt
        }
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

export const UpdateJob = graphql(`
  mutation JobsUpdateJob($id: ID!, $input: UpdateJobInput!) {
    updateJob(id: $id, input: $input) {
      __typename
      ... on MutationUpdateJobSuccess {
        data {
          ...JobFields
        }
      }
      ...UserErrorFields
    }
  }
`);

export const JobQuery = graphql(`
  query JobsJob($id: ID!) {
    job(id: $id) {
      ...JobFields
      logs(first: 100) {
        totalCount
        edges {
          node {
            level
            message
            data
          }
        }
      }
    }
  }
`);

type Task = { kind: string; name?: string; parameters?: unknown };

export async function createWorkflow(
  client: GraphQLClient,
  input: { name?: string; tasks: Task[]; onError?: Task[]; timeoutSeconds?: number },
): Promise<string> {
  const r = await client.data(CreateWorkflow, { input: { name: input.name ?? `wf ${Math.random().toString(36).slice(2)}`, ...input } });
  return ok(r.createWorkflow).id;
}

export async function createJob(client: GraphQLClient, input: { workflow: string; parameters?: Record<string, string>; startAt?: string }) {
  const r = await client.data(CreateJob, { input });
  return ok(r.createJob);
}

export async function getJob(client: GraphQLClient, id: string) {
  const r = await client.data(JobQuery, { id });
  return r.job!;
}
