import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  parseValue,
  printSchema,
  validate,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { buildSchema, sortedSchema } from '../../../src/schema.js';
import { DEFAULT_DOCUMENT } from '../../../src/http/graphiql-document.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * Root fields anyone may call without a credential. Adding one here is a security decision:
 * say why next to it.
 */
const PUBLIC = new Set([
  // getting started: creates a user and a workspace; SIGNUP_ENABLED=false turns it off
  'Mutation.signUp',
]);

const schema = buildSchema();
const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => !!t);
const rootFields = roots.flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field, name: `${type.name}.${field.name}` })));

interface PothosFieldOptions {
  authScopes?: unknown;
  skipTypeScopes?: boolean;
}
const optionsOf = (field: GraphQLField<unknown, unknown>) => (field.extensions as { pothosOptions?: PothosFieldOptions }).pothosOptions ?? {};

interface RelayIdExtensions {
  isRelayGlobalID?: boolean;
  relayGlobalIDFor?: { typename: string }[] | null;
}

/**
 * A literal that passes GraphQL validation for a required argument. Global ids are decoded before
 * authorization runs (Pothos maps arguments first), so ids name a type the argument accepts.
 */
function literal(type: GraphQLInputType, extensions: RelayIdExtensions = {}): string {
  if (isNonNullType(type)) return literal(type.ofType, extensions);
  if (isListType(type)) return `[${literal(type.ofType, extensions)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type, f.extensions as RelayIdExtensions)}`).join(', ')} }`;
  }
  if (extensions.isRelayGlobalID) {
    const typename = extensions.relayGlobalIDFor?.[0]?.typename ?? 'Workspace';
    return JSON.stringify(encodeGlobalID(typename, '00000000-0000-4000-8000-000000000000'));
  }
  if (isScalarType(type)) {
    if (type.name === 'ID') return JSON.stringify(encodeGlobalID('Workspace', '00000000-0000-4000-8000-000000000000'));
    // the first candidate the scalar itself accepts (custom scalars of any domain included)
    const accepted = SCALAR_CANDIDATES.find((candidate) => {
      try {
        type.parseLiteral(parseValue(candidate), undefined);
        return true;
      } catch {
        return false;
      }
    });
    if (accepted === undefined) throw new NoLiteral(`no inline value for scalar ${type.name}`);
    return accepted;
  }
  throw new NoLiteral(`no literal for ${String(type)}`);
}

/** Arguments that cannot be written inline (e.g. Upload, sent as a multipart file part). */
class NoLiteral extends Error {}

const SCALAR_CANDIDATES = [
  '"x"',
  '1',
  'true',
  '"2030-01-01T00:00:00Z"',
  '"2030-01-01"',
  '"1.00"',
  '"00000000-0000-4000-8000-000000000000"',
  '"someone@example.com"',
  '"https://example.com"',
  '{}',
  '[]',
];

function operationFor(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string {
  const keyword = type === schema.getMutationType() ? 'mutation' : type === schema.getSubscriptionType() ? 'subscription' : 'query';
  const required = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type) && a.defaultValue === undefined);
  const args = required.length ? `(${required.map((a) => `${a.name}: ${literal(a.type, a.extensions as RelayIdExtensions)}`).join(', ')})` : '';
  const named = getNamedType(getNullableType(field.type));
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  return `${keyword} { ${field.name}${args}${selection} }`;
}

describe('every root field declares who may call it', () => {
  it.each(rootFields.map((r) => [r.name, r] as const))('%s', (name, { type, field }) => {
    const options = optionsOf(field);
    if (PUBLIC.has(name)) {
      expect(options.skipTypeScopes, `${name} is public and must opt out of the type's scopes explicitly`).toBe(true);
      expect(options.authScopes, `${name} is public: it must not also declare scopes`).toBeUndefined();
      return;
    }
    expect(options.skipTypeScopes, `${name} skips the type's scopes but is not in PUBLIC`).not.toBe(true);
    expect(
      options.authScopes,
      `${name} has no field-level authScopes: add authScopes: { scope: 'READ' } (or WRITE/MANAGE/INTERNAL, admin, authenticated)`,
    ).toBeDefined();
    expect(type.name).toMatch(/^(Query|Mutation|Subscription)$/);
  });

  it('lists only fields that exist in PUBLIC', () => {
    const names = new Set(rootFields.map((r) => r.name));
    for (const name of PUBLIC) expect(names.has(name), name).toBe(true);
  });
});

describe('without a credential, every non-public root field answers HTTP 401 UNAUTHENTICATED before anything runs', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.stop());

  // subscriptions are tested end to end by their own domains, and fields whose required arguments
  // cannot be written inline (file uploads) by theirs: the static check above covers them all
  const callable = rootFields.filter((r) => {
    if (PUBLIC.has(r.name) || r.type === schema.getSubscriptionType()) return false;
    try {
      operationFor(r.type, r.field);
      return true;
    } catch (error) {
      if (error instanceof NoLiteral) return false;
      throw error;
    }
  });

  it('covers at least the identity root fields', () => {
    expect(callable.map((r) => r.name)).toEqual(expect.arrayContaining(['Query.viewer', 'Query.node', 'Mutation.createApiKey', 'Mutation.revokeApiKey']));
  });

  it.each(callable.map((r) => [r.name, r] as const))('%s', async (_name, { type, field }) => {
    const operation = operationFor(type, field);
    const r = await t.client.request(operation);
    expect(r.status, `${operation} -> ${JSON.stringify(r)}`).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(r.data).toBeUndefined();
    expect(
      r.errors!.map((e) => e.extensions?.code),
      operation,
    ).toEqual(['UNAUTHENTICATED']);
  });
});

describe("GraphiQL's default document", () => {
  it('is valid against the schema', () => {
    expect(validate(schema, parse(DEFAULT_DOCUMENT)).map((e) => e.message)).toEqual([]);
  });
});

describe('schema/schema.graphql', () => {
  it('is the printed schema (run `npm run schema` after changing GraphQL types)', () => {
    const committed = fs.readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed === `${printSchema(sortedSchema())}\n`, 'schema/schema.graphql is stale: run `npm run schema`').toBe(true);
  });
});
