import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { ok, userError } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import { verifyPassword } from '../../../src/auth/secrets.js';

const SignUp = graphql(`
  mutation FoundationSignUp($email: String!, $name: String!, $password: String!, $workspaceName: String!) {
    signUp(email: $email, name: $name, password: $password, workspaceName: $workspaceName) {
      __typename
      ... on MutationSignUpSuccess {
        data {
          accessToken
          refreshToken
          expiresIn
          user {
            id
            email
            name
          }
          workspace {
            id
            name
          }
        }
      }
      ...UserErrorFields
    }
  }
`);

const Me = graphql(`
  query FoundationSignUpMe {
    viewer {
      kind
      role
      scopes
      user {
        email
      }
      workspace {
        name
        members(first: 10) {
          totalCount
          edges {
            node {
              role
              user {
                email
              }
            }
          }
        }
      }
    }
  }
`);

describe('signUp', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.stop());

  it('creates a user, a workspace and the OWNER membership, and signs the user in', async () => {
    const result = ok(
      (await t.client.data(SignUp, { email: 'Ada@Example.com', name: ' Ada ', password: 'analytical engine', workspaceName: 'Engines' })).signUp,
    );
    expect(result.user).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expect(result.workspace.name).toBe('Engines');
    expect(result.expiresIn).toBe(7200);
    expect(result.accessToken).toMatch(/^fga_/);
    expect(result.refreshToken).toMatch(/^fgr_/);

    const me = await t.client.as(result.accessToken).data(Me);
    expect(me.viewer).toMatchObject({ kind: 'USER', role: 'OWNER', scopes: ['READ', 'WRITE', 'MANAGE'], user: { email: 'ada@example.com' } });
    expect(me.viewer.workspace.members.totalCount).toBe(1);
    expect(me.viewer.workspace.members.edges[0]!.node).toEqual({ role: 'OWNER', user: { email: 'ada@example.com' } });

    // the password is stored as an argon2id hash only
    const row = await t.server.db.user.findUniqueOrThrow({ where: { email: 'ada@example.com' } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash, 'analytical engine')).toBe(true);

    // and the password grant works with it
    const token = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: 'ada@example.com', password: 'analytical engine' }),
    });
    expect(token.status).toBe(200);
  });

  it('refuses an email that is taken, in any case, with CONFLICT and writes nothing', async () => {
    await t.client.data(SignUp, { email: 'grace@example.com', name: 'Grace', password: 'compiler compiler', workspaceName: 'Navy' });
    const workspaces = await t.server.db.workspace.count();
    const error = userError(
      (await t.client.data(SignUp, { email: 'GRACE@example.com', name: 'G', password: 'another password', workspaceName: 'Second' })).signUp,
    );
    expect(error.code).toBe('CONFLICT');
    expect(await t.server.db.workspace.count()).toBe(workspaces);
  });

  it('reports every invalid field at once', async () => {
    const error = userError((await t.client.data(SignUp, { email: 'not-an-email', name: ' ', password: 'short', workspaceName: '' })).signUp);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues.map((i) => [i.path.join('.'), i.code]).sort()).toEqual([
      ['email', 'INVALID_EMAIL'],
      ['name', 'REQUIRED'],
      ['password', 'TOO_SHORT'],
      ['workspaceName', 'REQUIRED'],
    ]);
    expect(await t.server.db.user.count({ where: { email: 'not-an-email' } })).toBe(0);
  });
});

describe('signUp with SIGNUP_ENABLED=false', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SIGNUP_ENABLED: 'false' });
  });
  afterAll(() => t?.stop());

  it('answers FORBIDDEN and creates nothing', async () => {
    const errors = await t.client.errors(SignUp, { email: 'eve@example.com', name: 'Eve', password: 'long enough password', workspaceName: 'Nope' });
    expect(errors.map((e) => [e.path, e.extensions?.code])).toEqual([[['signUp'], 'FORBIDDEN']]);
    expect(errors[0]!.message).toBe('Sign-up is disabled on this server');
    expect(await t.server.db.user.count()).toBe(0);
  });
});
