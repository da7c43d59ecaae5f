/** What GraphiQL shows first: enough to see who you are and what exists. */
export const DEFAULT_DOCUMENT = `# Welcome to formgraph.
# Send your API key as a header (bottom panel, "Headers"):
#   { "x-api-key": "fgk_..." }
# Create one with:  npm run formgraph -- create-api-key --workspace <id>

query Viewer {
  viewer {
    kind
    role
    scopes
    workspace { id name }
    user { id email name }
  }
}
`;
