import { builder } from './builder.js';
import { ROLES, SCOPES } from '../auth/principal.js';

export const RoleEnum = builder.enumType('Role', { values: ROLES });
export const ScopeEnum = builder.enumType('Scope', {
  values: {
    READ: { description: 'read data' },
    WRITE: { description: 'create, change and delete data' },
    MANAGE: { description: 'manage schemas, settings and credentials' },
    INTERNAL: { description: 'system operations such as archiving entries' },
  },
});
export { SCOPES };

/** The direction of every order term: record lists (RecordOrder) and feedback lists (<Type>Order). */
export const SortDirectionEnum = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });
