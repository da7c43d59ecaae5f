import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { expect } from 'vitest';

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; issues?: { path: string[]; code: string; message: string }[]; [k: string]: unknown };
}

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: GraphQLErrorBody[] | undefined;
  /** SQL statements the server ran for this request */
  statements: number;
}

type Document<T, V> = TypedDocumentNode<T, V> | string;

/** GraphQL over real HTTP. `as(credential)` returns a client that sends it as a Bearer token. */
export class GraphQLClient {
  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  as(credential: string | null): GraphQLClient {
    return new GraphQLClient(this.baseUrl, credential ? { authorization: `Bearer ${credential}` } : {});
  }

  with(headers: Record<string, string>): GraphQLClient {
    return new GraphQLClient(this.baseUrl, { ...this.headers, ...headers });
  }

  async request<T, V>(document: Document<T, V>, variables?: V, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
    const query = typeof document === 'string' ? document : print(document);
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...this.headers, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: GraphQLErrorBody[] };
    return {
      status: response.status,
      headers: response.headers,
      data: body.data,
      errors: body.errors,
      statements: Number(response.headers.get('x-sql-statements') ?? NaN),
    };
  }

  /** The data of a request that must succeed without errors. */
  async data<T, V>(document: Document<T, V>, variables?: V): Promise<T> {
    const result = await this.request(document, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data as T;
  }

  /** The errors of a request that must fail; checks each carries a documented, non-internal code. */
  async errors<T, V>(document: Document<T, V>, variables?: V): Promise<GraphQLErrorBody[]> {
    const result = await this.request(document, variables);
    expect(result.errors?.length, 'expected errors').toBeGreaterThan(0);
    for (const e of result.errors!) expect(e.extensions?.code).not.toBe('INTERNAL');
    return result.errors!;
  }
}

/** The payload of a mutation result union (`…Success { data }` or `UserError`). */
export function ok<T>(result: { __typename?: string; data?: T } | { __typename?: string } | null | undefined): T {
  expect(result?.__typename, JSON.stringify(result)).toMatch(/Success$/);
  return (result as { data: T }).data;
}

export interface UserErrorShape {
  __typename?: string;
  code?: string;
  message?: string;
  issues?: { path: string[]; code: string; message: string }[];
}

/** The UserError of a mutation that must fail. */
export function userError(result: unknown): Required<Pick<UserErrorShape, 'code' | 'message' | 'issues'>> {
  const r = result as UserErrorShape;
  expect(r?.__typename, JSON.stringify(result)).toBe('UserError');
  return { code: r.code!, message: r.message!, issues: r.issues ?? [] };
}
