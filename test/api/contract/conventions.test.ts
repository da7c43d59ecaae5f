import { describe, expect, it } from 'vitest';
import { getNamedType, isInputObjectType, isListType, isNonNullType, isObjectType, isUnionType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { buildSchema } from '../../../src/schema.js';

/** What docs/api-conventions.md promises and a schema walk can check. */

const schema = buildSchema();
const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => !!t);
const rootFields = roots.flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field, name: `${type.name}.${field.name}` })));
const connections = types.filter((t): t is GraphQLObjectType => isObjectType(t) && t.name.endsWith('Connection'));
const connectionFields = types
  .filter((t): t is GraphQLObjectType => isObjectType(t))
  .flatMap((type) => Object.values(type.getFields()).map((field) => ({ field, name: `${type.name}.${field.name}` })))
  .filter(({ field }) => connections.includes(getNamedType(field.type) as GraphQLObjectType));
const scopeOf = (field: GraphQLField<unknown, unknown>) => /Scope: ([^.]+)\.$/.exec(field.description ?? '')?.[1];

describe('lists', () => {
  it.each(connections.map((c) => [c.name, c] as const))('%s has totalCount, nodes, edges and pageInfo', (_name, connection) => {
    expect(Object.keys(connection.getFields())).toEqual(expect.arrayContaining(['totalCount', 'nodes', 'edges', 'pageInfo']));
  });

  it.each(connectionFields.map((f) => [f.name, f] as const))(
    '%s states its default and maximum page size, and takes the paging arguments',
    (_name, { field }) => {
      expect(field.description).toMatch(/Page size: default \d+, maximum \d+\./);
      expect(field.args.map((a) => a.name)).toEqual(expect.arrayContaining(['first', 'after', 'last', 'before']));
    },
  );

  it.each(connectionFields.map((f) => [f.name, f] as const))('%s also takes offset', (_name, { field }) => {
    expect(field.args.map((a) => a.name)).toContain('offset');
  });

  it('has one list type per node type', () => {
    const byNode = new Map<string, string[]>();
    for (const c of connections) {
      const edge = getNamedType(c.getFields().edges!.type) as GraphQLObjectType;
      const node = getNamedType(edge.getFields().node!.type).name;
      byNode.set(node, [...(byNode.get(node) ?? []), c.name]);
    }
    const duplicates = [...byNode].filter(([, names]) => names.length > 1).map(([node, names]) => `${node}: ${names.sort().join(', ')}`);
    expect(duplicates).toEqual([]);
  });
});

const fieldsWithArgs = types
  .filter((t): t is GraphQLObjectType => isObjectType(t))
  .flatMap((type) => Object.values(type.getFields()).map((field) => ({ field, name: `${type.name}.${field.name}` })))
  .filter(({ field }) => field.args.length > 0);

describe('sorts', () => {
  it('no field takes a sortBy or sort argument unless it is a deprecated alias of orderBy', () => {
    const undeprecated = fieldsWithArgs.flatMap(({ field, name }) =>
      field.args.filter((a) => ['sortBy', 'sort'].includes(a.name) && !a.deprecationReason).map((a) => `${name}(${a.name})`),
    );
    expect(undeprecated).toEqual([]);
  });

  it.each(fieldsWithArgs.filter(({ field }) => field.args.some((a) => a.name === 'orderBy')).map((f) => [f.name, f] as const))(
    '%s takes orderBy: [<Type>Order!] of { field, direction: SortDirection }',
    (_name, { field }) => {
      const orderBy = field.args.find((a) => a.name === 'orderBy')!;
      expect(isListType(orderBy.type)).toBe(true);
      const item = isListType(orderBy.type) ? orderBy.type.ofType : null;
      expect(isNonNullType(item)).toBe(true);
      const input = getNamedType(orderBy.type);
      expect(input.name).toMatch(/Order$/);
      if (!isInputObjectType(input)) throw new Error(`${input.name} is no input type`);
      const fields = input.getFields();
      expect(fields.field).toBeDefined();
      expect(getNamedType(fields.direction!.type).name).toBe('SortDirection');
    },
  );
});

describe('sizes and statuses', () => {
  const objectFields = types
    .filter((t): t is GraphQLObjectType => isObjectType(t))
    .flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field, name: `${type.name}.${field.name}` })));

  it('every byte size is a Float named byteSize (other size fields are deprecated)', () => {
    const sizes = objectFields.filter(({ field }) => /^(size|byteSize|bytes)$/.test(field.name) && !field.deprecationReason);
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.filter(({ field }) => field.name !== 'byteSize' || getNamedType(field.type).name !== 'Float').map((f) => f.name)).toEqual([]);
  });

  it('imports and exports have no undeprecated status of their own (they report jobStatus)', () => {
    const statuses = objectFields.filter(({ field }) => field.name === 'status' && !field.deprecationReason);
    // imports and exports run as jobs: their status is the Job vocabulary (jobStatus), their own enums are deprecated
    expect(statuses.filter(({ type }) => ['Import', 'Export'].includes(type.name)).map((f) => f.name)).toEqual([]);
  });
});

describe('root fields', () => {
  it.each(rootFields.map((r) => [r.name, r] as const))('%s is described and states its scope', (_name, { field }) => {
    expect(field.description?.replace(/ ?Scope: [^.]+\.$/, '').trim()).toBeTruthy();
    expect(scopeOf(field)).toBeDefined();
  });

  it.each(Object.values(schema.getMutationType()!.getFields()).map((f) => [f.name, f] as const))(
    'Mutation.%s returns Mutation<Name>Success | UserError',
    (name, field) => {
      const result = getNamedType(field.type);
      expect(isUnionType(result)).toBe(true);
      if (!isUnionType(result)) return;
      expect(
        result
          .getTypes()
          .map((t) => t.name)
          .sort(),
      ).toEqual([`Mutation${name[0]!.toUpperCase()}${name.slice(1)}Success`, 'UserError']);
    },
  );
});

/**
 * The scope rule: READ reads, WRITE changes data, MANAGE changes schemas, settings and credentials,
 * INTERNAL archives. Schemas and settings are forms, modules and their fields and views,
 * workflows, charts, pages and the onboarding; credentials are API keys, OAuth clients and members.
 */
const MANAGE =
  /^(create|update|delete|remove|reorder)(Module)?(Field|Fields|View)$|^(create|update|delete)(Form|Module|Workflow|Chart|Page)$|^reorderPages$|^(create|revoke)ApiKey$|^createOAuthClient$|^removeMember$|^updateOnboarding$/;

describe('deletes', () => {
  const deletes = Object.values(schema.getMutationType()!.getFields()).filter((f) => /^delete[A-Z]/.test(f.name));

  it.each(deletes.map((f) => [f.name, f] as const))('%s answers deleted: Deleted! (data, where left, is deprecated)', (_name, field) => {
    const result = getNamedType(field.type);
    const success = isUnionType(result) ? result.getTypes().find((t) => t.name.endsWith('Success')) : undefined;
    const fields = success!.getFields();
    expect(String(fields.deleted?.type)).toBe('Deleted!');
    expect(Object.keys(fields).filter((name) => name !== 'deleted' && !fields[name]!.deprecationReason)).toEqual([]);
  });
});

describe('the scope rule', () => {
  it.each(rootFields.map((r) => [r.name, r] as const))('%s', (name, { type, field }) => {
    const scope = scopeOf(field);
    if (name === 'Mutation.signUp') return expect(scope).toMatch(/^public/);
    if (['Query.node', 'Query.nodes', 'Query.viewer'].includes(name)) return expect(scope).toBe('any valid credential');
    if (name === 'Query.apiKeys') return expect(scope).toBe('MANAGE');
    if (type.name !== 'Mutation') return expect(scope).toBe('READ');
    if (/^(un)?archive/.test(field.name)) return expect(scope).toBe('INTERNAL or an OWNER/ADMIN user');
    if (MANAGE.test(field.name)) return expect(scope).toBe('MANAGE');
    expect(scope).toBe('WRITE');
  });
});

describe('descriptions', () => {
  it('every type is described: objects, inputs, enums, interfaces, unions and scalars', () => {
    expect(types.filter((t) => !t.description).map((t) => t.name)).toEqual([]);
  });

  it('every field of the generated types is described: connections, edges, page info, mutation results and successes', () => {
    const generated = types.filter(
      (t): t is GraphQLObjectType => isObjectType(t) && /(Connection|Edge)$|^PageInfo$|^Mutation\w+(Result|Success)$/.test(t.name),
    );
    expect(generated.length).toBeGreaterThan(100);
    const undescribed = generated.flatMap((t) =>
      Object.values(t.getFields())
        .filter((f) => !f.description)
        .map((f) => `${t.name}.${f.name}`),
    );
    expect(undescribed).toEqual([]);
  });
});
