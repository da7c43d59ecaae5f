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
    WRITE: { description: 'create and change data' },
    MANAGE: { description: 'delete data, manage schemas and credentials' },
    INTERNAL: { description: 'system operations such as archiving entries' },
  },
});
export { SCOPES };
