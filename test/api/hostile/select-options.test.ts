import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant } from '../../helpers/fixtures.js';
import type { GraphQLClient } from '../../helpers/graphql-client.js';
import { MAX_OPTIONS } from '../../../src/core/records/field-options.js';
import { createForm } from '../forms/helpers.js';

let t: TestServer;
let c: GraphQLClient;
let form: { id: string };

beforeAll(async () => {
  t = await startTestServer();
  c = t.client.as((await createTenant(t.server.db)).key);
  form = await createForm(c, { name: 'Options', fields: [{ key: 'title', label: 'Title', type: 'TEXT' }] });
});
afterAll(() => t?.stop());

const CREATE_FIELD = `mutation($form: ID!, $input: FieldInput!) { createField(form: $form, input: $input) {
  __typename ... on MutationCreateFieldSuccess { data { key options { id label } } } ... on UserError { code issues { path code } } } }`;

const select = (key: string, options: Array<{ id?: string; label: string }>) => ({ key, label: key, type: 'STATIC_SELECT', options });
const fieldCount = () => t.server.db.fieldDef.count();

describe('STATIC_SELECT options', () => {
  it('refuses a duplicate option id at the offending option instead of renaming it', async () => {
    const before = await fieldCount();
    const r = await c.data<any, any>(CREATE_FIELD, {
      form: form.id,
      input: select('status', [
        { id: 'a', label: 'A' },
        { id: 'b', label: 'B' },
        { id: 'a', label: 'Again' },
      ]),
    });
    expect(r.createField).toEqual({
      __typename: 'UserError',
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['input', 'options', '2', 'id'], code: 'DUPLICATE_OPTION' }],
    });
    expect(await fieldCount()).toBe(before);
  });

  it('refuses two labels that give the same id when no id is given', async () => {
    const r = await c.data<any, any>(CREATE_FIELD, { form: form.id, input: select('answer', [{ label: 'Yes' }, { label: 'yes' }]) });
    expect(r.createField.issues).toEqual([{ path: ['input', 'options', '1', 'id'], code: 'DUPLICATE_OPTION' }]);
  });

  it('refuses more than MAX_OPTIONS options before looking at them', async () => {
    const many = Array.from({ length: MAX_OPTIONS + 1 }, () => ({ id: 'a', label: 'A' }));
    const r = await c.request<any, any>(CREATE_FIELD, { form: form.id, input: select('many', many) });
    expect(r.data.createField).toEqual({ __typename: 'UserError', code: 'BAD_USER_INPUT', issues: [{ path: ['input', 'options'], code: 'TOO_MANY' }] });
  });

  it('answers the 12,000 options sharing one id of the report cheaply, with BAD_USER_INPUT', async () => {
    const before = await fieldCount();
    const many = Array.from({ length: 12_000 }, () => ({ id: 'a', label: 'A' }));
    const r = await c.request<any, any>(CREATE_FIELD, { form: form.id, input: select('attack', many) });
    expect(r.errors?.map((e) => e.extensions?.code) ?? [r.data.createField.code]).toEqual(['BAD_USER_INPUT']);
    // refused before anything is read or written beyond the credential
    expect(r.statements).toBeLessThanOrEqual(2);
    expect(await fieldCount()).toBe(before);
  });

  it('accepts exactly MAX_OPTIONS distinct options', async () => {
    const options = Array.from({ length: MAX_OPTIONS }, (_, i) => ({ id: `o${i}`, label: `Option ${i}` }));
    const r = await c.data<any, any>(CREATE_FIELD, { form: form.id, input: select('wide', options) });
    expect(r.createField.__typename).toBe('MutationCreateFieldSuccess');
    expect(r.createField.data.options).toHaveLength(MAX_OPTIONS);
    expect(r.createField.data.options[MAX_OPTIONS - 1]).toEqual({ id: `o${MAX_OPTIONS - 1}`, label: `Option ${MAX_OPTIONS - 1}` });
  });
});
