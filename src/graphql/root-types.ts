import { builder } from './builder.js';

// Every root field needs a credential unless it opts out with `skipTypeScopes: true`;
// test/api/root-field-auth.test.ts lists the few that do.
builder.queryType({ description: 'Everything a client can read.', authScopes: { authenticated: true } });
builder.mutationType({
  description: 'Everything a client can change; each mutation answers its Success type or a UserError.',
  authScopes: { authenticated: true },
});
builder.subscriptionType({ description: 'Live updates over WebSocket (graphql-ws) or server-sent events.', authScopes: { authenticated: true } });
