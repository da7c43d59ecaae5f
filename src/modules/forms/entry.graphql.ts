/**
 * Entry: a record of a form. Its value fields are the shared record fields
 * (src/modules/records/graphql/record.graphql.ts); only `archived` is the forms face's own. The entry
 * mutations are defined with the form's face in form.graphql.ts.
 */
import { builder } from '../../graphql/builder.js';
import { defineRecordValueFields } from '../records/graphql/record.graphql.js';
import { FORM_SCOPE } from './forms.service.js';

export const EntryType = builder.prismaNode('DataRecord', {
  variant: 'Entry',
  description: 'An entry of a form: values keyed by field key, with a version for optimistic concurrency.',
  id: { field: 'id' },
  // a missing or foreign id answers null, not an error
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', collection: { kind: 'FORM' } }),
  fields: (t) => ({
    archived: t.exposeBoolean('archived'),
  }),
});
defineRecordValueFields(EntryType, FORM_SCOPE);
