import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from './graphql/builder.js';
import './graphql/scalars.js';
import './graphql/root-types.js';
import './graphql/enums.js';
import './modules/identity/workspace.graphql.js';
import './modules/identity/user.graphql.js';
import './modules/identity/api-key.graphql.js';
import './modules/identity/viewer.graphql.js';
import './modules/identity/sign-up.graphql.js';
import './modules/feedback/tag.graphql.js';
import './modules/feedback/onboarding.graphql.js';
import './modules/feedback/project.graphql.js';
import './modules/feedback/survey.graphql.js';
import './modules/feedback/response.graphql.js';
import './modules/workflows/workflow.graphql.js';
import './modules/jobs/job.graphql.js';
import './modules/jobs/job-subscriptions.graphql.js';
import './modules/imports/import.graphql.js';
import './modules/exports/export.graphql.js';
import './modules/records/records.graphql.js';
import './modules/records/files.graphql.js';
import './modules/forms/form.graphql.js';
import './modules/forms/entry.graphql.js';
import './modules/crm/block.graphql.js';
import './modules/crm/module.graphql.js';
import './modules/crm/chart.graphql.js';
import './modules/crm/page.graphql.js';

let schema: GraphQLSchema | null = null;

export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });
  return schema;
}

export const sortedSchema = () => lexicographicSortSchema(buildSchema());
