/** What GraphiQL shows first: working examples for each domain; a test validates it against the schema. */
export const DEFAULT_DOCUMENT = `# Welcome to formgraph.
#
# 1. A key: \`npm run formgraph -- demo\` creates demo data and prints one (or run SignUp below,
#    then CreateApiKey with { "authorization": "Bearer fga_..." } under Headers).
# 2. Put it under "Headers" (below):  { "x-api-key": "fgk_..." }
# 3. Pick an operation with the run button. Ids come from earlier answers: put them under
#    "Variables", e.g. { "form": "Rm9ybTo..." }. Each field's description names the scope it needs.

query Viewer {
  viewer { kind role scopes workspace { id name } }
}

mutation SignUp {
  signUp(email: "you@example.com", name: "You", password: "a long passphrase", workspaceName: "My workspace") {
    ... on MutationSignUpSuccess { data { accessToken workspace { id name } } }
    ... on UserError { code message issues { path message } }
  }
}

mutation CreateApiKey {
  createApiKey(name: "GraphiQL", scopes: [READ, WRITE, MANAGE]) {
    ... on MutationCreateApiKeySuccess { data { secret } }
    ... on UserError { code message }
  }
}

# Forms: typed fields, validated entries, filters, aggregates
query Forms {
  forms(first: 10) {
    edges { node { id name entryCount entries(first: 5, orderBy: [{ field: "createdAt", direction: DESC }]) { totalCount edges { node { id values } } } } }
  }
}

mutation CreateEntry($form: ID!) {
  createEntry(form: $form, values: { name: "Margaret", budget: 3000 }) {
    ... on MutationCreateEntrySuccess { data { id values } }
    ... on UserError { code message issues { path code message } }
  }
}

# CRM: modules of records, charts computed in SQL, pages of blocks
query Crm {
  modules(first: 10) { edges { node { id name records(first: 5) { totalCount edges { node { id values } } } } } }
  charts(first: 10) { edges { node { id name data { labels datasets { label data } } } } }
  pageTree { id title }
}

# Feedback: surveys, responses with scores, sentiment and tags, NPS/CSAT/CES
query Feedback {
  surveys(first: 10) { edges { node { id name status } } }
  responses(first: 5) { totalCount edges { node { score metricType feedback sentiment tags { name } } } }
  responseMetrics { responseCount nps csat ces }
}

# Workflows and jobs: start a job, then follow its progress live
query Workflows {
  workflows(first: 10) { edges { node { id name } } }
  jobs(first: 5) { edges { node { id name status progress { done total } } } }
}

mutation StartJob($workflow: ID!) {
  createJob(input: { workflow: $workflow, parameters: { name: "Barbara" } }) {
    ... on MutationCreateJobSuccess { data { id status } }
    ... on UserError { code message }
  }
}

subscription JobProgress($job: ID!) {
  jobUpdated(id: $job) { status progress { done total } error { message task } finishedAt }
}
`;
