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
import './modules/records/graphql/field-type.graphql.js';
import './modules/records/graphql/field.graphql.js';
import './modules/records/graphql/field-input.graphql.js';
import './modules/records/graphql/field-value.graphql.js';
import './modules/records/graphql/record-filter.graphql.js';
import './modules/records/graphql/record-order.graphql.js';
import './modules/records/graphql/aggregate-input.graphql.js';
import './modules/records/graphql/record-aggregates.graphql.js';
import './modules/records/graphql/select-option.graphql.js';
import './modules/records/graphql/view.graphql.js';
import './modules/records/graphql/file.graphql.js';
import './modules/records/graphql/upload.graphql.js';
import './modules/forms/form.graphql.js';
import './modules/forms/entry.graphql.js';
import './modules/crm/block.graphql.js';
import './modules/crm/module.graphql.js';
import './modules/crm/chart.graphql.js';
import './modules/crm/page.graphql.js';
import './modules/links/links.graphql.js';
import './modules/lookups.graphql.js';

let schema: GraphQLSchema | null = null;

export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });
  return schema;
}

export const sortedSchema = () => lexicographicSortSchema(buildSchema());
