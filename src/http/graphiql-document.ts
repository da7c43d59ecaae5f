/** What GraphiQL shows first: enough to see who you are and what exists. */
export const DEFAULT_DOCUMENT = `# Welcome to formgraph.
# Send your API key as a header (bottom panel, "Headers"):
#   { "x-api-key": "fgk_..." }
# No key yet? Run the signUp mutation below (it returns an access token: send it as
#   { "authorization": "Bearer fga_..." }), or use the CLI:
#   npm run formgraph -- create-workspace --name "Acme"
#   npm run formgraph -- create-api-key --workspace <id> --name "me" --scopes READ,WRITE,MANAGE

query Viewer {
  viewer {
    kind
    role
    scopes
    workspace { id name }
    user { id email name }
  }
}

mutation SignUp {
  signUp(email: "you@example.com", name: "You", password: "a long passphrase", workspaceName: "My workspace") {
    ... on MutationSignUpSuccess { data { accessToken workspace { id name } } }
    ... on UserError { code message issues { path message } }
  }
}
`;
