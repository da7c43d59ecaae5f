import { builder } from './builder.js';

// Every root field needs a credential unless it opts out with `skipTypeScopes: true`;
// test/api/root-field-auth.test.ts lists the few that do.
builder.queryType({ authScopes: { authenticated: true } });
builder.mutationType({ authScopes: { authenticated: true } });
builder.subscriptionType({ authScopes: { authenticated: true } });
