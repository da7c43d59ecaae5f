import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { GraphQLScalarType, Kind } from 'graphql';
import { builder } from './builder.js';
import { ERROR_CODES, UserError } from '../errors.js';
import { issuesUnderArguments } from './issue-paths.js';
import { parseDateBound, type DateBound } from '../core/date-bounds.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);
builder.addScalarType(
  'DateBound',
  new GraphQLScalarType({
    name: 'DateBound',
    description:
      'A bound of a date filter: a calendar day "2018-12-31" (UTC), which stands for that whole day (as an upper bound it includes everything that happened that day), or an ISO 8601 date-time, which stands for its instant.',
    serialize: () => {
      throw new TypeError('DateBound is an input type');
    },
    parseValue: (v) => parseBound(v),
    parseLiteral: (ast) => parseBound(ast.kind === Kind.STRING ? ast.value : null),
  }),
);
builder.addScalarType(
  'Decimal',
  new GraphQLScalarType({
    name: 'Decimal',
    description: 'An exact decimal number as a string, e.g. "1234.50". Never a float.',
    serialize: (v) => String(v),
    parseValue: (v) => parseDecimal(v),
    parseLiteral: (ast) => parseDecimal(ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? ast.value : null),
  }),
);

// `Upload` (multipart file parts) is defined in modules/records/files.graphql.ts; graphql/uploads.ts
// streams those parts to disk.

function parseBound(v: unknown): DateBound {
  const bound = parseDateBound(v);
  if (!bound) throw new TypeError('DateBound must be a date like "2018-12-31" or an ISO 8601 date-time like "2018-12-31T18:30:00Z"');
  return bound;
}

function parseDecimal(v: unknown): string {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !/^-?\d+(\.\d+)?$/.test(s)) throw new TypeError('Decimal must be a string like "12.50"');
  return s;
}

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'The stable code of an error or of a UserError (see `extensions.code`).',
  values: ERROR_CODES,
});

const FieldIssueRef = builder.objectRef<{ path: string[]; code: string; message: string }>('FieldIssue').implement({
  description: 'One problem with one input value. `path` points at it inside the input.',
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Where the value is inside the input, e.g. ["input", "fields", "2", "key"]' }),
    code: t.exposeString('code', { description: 'Stable machine-readable reason, e.g. REQUIRED, INVALID_VALUE, UNKNOWN_FIELD' }),
    message: t.exposeString('message', { description: 'What is wrong, for people' }),
  }),
});

builder.objectType(UserError, {
  name: 'UserError',
  description: 'An expected failure of a mutation. Nothing was written.',
  fields: (t) => ({
    code: t.field({ description: 'Stable machine-readable reason', type: ErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message', { description: 'What went wrong, for people' }),
    issues: t.field({
      type: [FieldIssueRef],
      description: 'Paths start at an argument of the mutation, e.g. ["input", "name"]',
      resolve: (e, _args, _ctx, info) => issuesUnderArguments(e.issues, info),
    }),
  }),
});
