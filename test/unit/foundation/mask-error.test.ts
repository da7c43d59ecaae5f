import { Writable } from 'node:stream';
import { GraphQLError, parse } from 'graphql';
import { PothosValidationError } from '@pothos/core';
import { describe, expect, it } from 'vitest';
import { createMaskError } from '../../../src/graphql/mask-error.js';
import { decodeUuidGlobalID } from '../../../src/graphql/global-id.js';
import { AppError, badInput } from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';
import { requestScope } from '../../../src/db/statement-counter.js';

function setup() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, cb) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, mask: createMaskError(createLogger('info', destination)) };
}

/** How graphql-js hands a resolver's error to the mask: located, with the original inside. */
const located = (error: Error) => new GraphQLError(error.message, { path: ['field'], originalError: error });

describe('maskError', () => {
  it("keeps an AppError's code, message and issues", () => {
    const { mask, lines } = setup();
    const masked = mask(located(badInput('Invalid input', [{ path: ['name'], code: 'REQUIRED', message: 'Name is required' }]))) as GraphQLError;
    expect(masked.message).toBe('Invalid input');
    expect(masked.path).toEqual(['field']);
    expect(masked.extensions).toEqual({ code: 'BAD_USER_INPUT', issues: [{ path: ['name'], code: 'REQUIRED', message: 'Name is required' }] });
    expect(lines).toEqual([]);
  });

  it.each([
    'ID: QXBpS2V5OjE= is not of type: Workspace',
    'Invalid cursor',
    'Argument "first" must be a non-negative integer',
    'Arguments "before" and "after" are not supported at the same time',
  ])('answers the client-input PothosValidationError "%s" with BAD_USER_INPUT', (message) => {
    const { mask, lines } = setup();
    const masked = mask(located(new PothosValidationError(message))) as GraphQLError;
    expect([masked.message, masked.extensions.code]).toEqual([message, 'BAD_USER_INPUT']);
    expect(lines).toEqual([]);
  });

  it.each(['garbage', Buffer.from('Form:1').toString('base64'), Buffer.from('Form:').toString('base64')])(
    'decodes the malformed global id "%s" to a coded BAD_USER_INPUT, without a message pattern',
    (id) => {
      const { mask, lines } = setup();
      let thrown: unknown;
      try {
        decodeUuidGlobalID(id);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      const masked = mask(located(thrown as Error)) as GraphQLError;
      expect([masked.message, masked.extensions.code]).toEqual([`Invalid global ID: ${id}`, 'BAD_USER_INPUT']);
      expect(lines).toEqual([]);
      expect((mask(located(new PothosValidationError(`Invalid global ID: ${id}`))) as GraphQLError).extensions.code).toBe('INTERNAL');
    },
  );

  it('masks a PothosValidationError about our own schema code as INTERNAL', () => {
    const { mask, lines } = setup();
    const masked = mask(located(new PothosValidationError('Form does not support loading by id'))) as GraphQLError;
    expect([masked.message, masked.extensions.code]).toEqual(['Unexpected error.', 'INTERNAL']);
    expect(lines.map((l) => l.msg)).toEqual(['unexpected error']);
  });

  it('masks anything else as INTERNAL with the request id, and logs it in full with that id', () => {
    const { mask, lines } = setup();
    const masked = requestScope.run(
      { requestId: 'req-7', statements: 0, sqlMs: 0 },
      () => mask(located(new Error('relation "Secret" does not exist'))) as GraphQLError,
    );
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions).toEqual({ code: 'INTERNAL', requestId: 'req-7' });
    expect(JSON.stringify(masked)).not.toContain('Secret');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'unexpected error', requestId: 'req-7', err: { message: 'relation "Secret" does not exist' } });
  });

  it('keeps the message of request errors and gives them a code and a 400', () => {
    const { mask } = setup();
    const syntax = mask(new GraphQLError('Syntax Error: Expected Name, found <EOF>.')) as GraphQLError;
    expect(syntax.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } });
    const validation = mask(new GraphQLError('Cannot query field "x" on type "Query".', { nodes: parse('{ x }').definitions[0] })) as GraphQLError;
    expect(validation.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const request = mask(new GraphQLError('POST body sent invalid JSON.', { extensions: { http: { status: 400 } } })) as GraphQLError;
    expect(request.extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
    const variable = mask(new GraphQLError('Variable "$id" got invalid value 5.5; ID cannot represent value: 5.5')) as GraphQLError;
    expect(variable.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('never lets an AppError-like code from an unknown error through', () => {
    const { mask } = setup();
    const masked = mask(located(Object.assign(new Error('boom'), { code: 'FORBIDDEN', extensions: { code: 'FORBIDDEN' } }))) as GraphQLError;
    expect(masked.extensions.code).toBe('INTERNAL');
    expect(new AppError('FORBIDDEN', 'x')).toBeInstanceOf(Error);
  });
});
