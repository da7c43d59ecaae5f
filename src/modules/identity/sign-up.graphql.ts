import { builder } from '../../graphql/builder.js';
import { forbidden } from '../../errors.js';
import { signUp } from './identity.service.js';
import { tokenGrant } from '../../auth/oauth.service.js';
import { WorkspaceType } from './workspace.graphql.js';
import { UserType } from './user.graphql.js';

const SignUpResult = builder.simpleObject('SignUpResult', {
  description: 'The new user, their workspace and a first credential.',
  fields: (t) => ({
    user: t.field({ description: 'The new user', type: UserType }),
    workspace: t.field({ description: 'The new workspace, with the user as OWNER', type: WorkspaceType }),
    accessToken: t.string({ description: 'An OAuth access token for the new user; send it as `Authorization: Bearer …`' }),
    refreshToken: t.string({ description: 'Exchange it at the token endpoint for access tokens' }),
    expiresIn: t.int({ description: 'Seconds until the access token expires' }),
  }),
});

builder.mutationFields((t) => ({
  signUp: t.field({
    errors: {},
    type: SignUpResult,
    description: 'Creates a user, a workspace and its OWNER membership. Can be disabled with SIGNUP_ENABLED=false.',
    skipTypeScopes: true,
    args: {
      email: t.arg.string(),
      name: t.arg.string(),
      password: t.arg.string(),
      workspaceName: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      if (!ctx.config.signUpEnabled) throw forbidden('Sign-up is disabled on this server');
      const { user, workspace } = await signUp(ctx.db, args);
      const token = await tokenGrant(
        ctx.db,
        ctx.config,
        { grant_type: 'password', username: user.email, password: args.password, workspace_id: workspace.id },
        null,
      );
      return { user, workspace, accessToken: token.access_token, refreshToken: token.refresh_token!, expiresIn: token.expires_in };
    },
  }),
}));
