import { builder } from './builder.js';
import { ROLES, SCOPES } from '../auth/principal.js';

export const RoleEnum = builder.enumType('Role', {
  description: "A member's role in a workspace.",
  values: ROLES,
});
export const ScopeEnum = builder.enumType('Scope', {
  description: 'What a credential may do: READ reads, WRITE changes data, MANAGE changes schemas, settings and credentials, INTERNAL archives.',
  values: {
    READ: { description: 'read data' },
    WRITE: { description: 'create, change and delete data' },
    MANAGE: { description: 'manage schemas, settings and credentials' },
    INTERNAL: { description: 'system operations such as archiving entries' },
  },
});
export { SCOPES };

/** The direction of every order term: record lists (RecordOrder) and feedback lists (<Type>Order). */
export const SortDirectionEnum = builder.enumType('SortDirection', { description: 'Ascending or descending.', values: ['ASC', 'DESC'] as const });
