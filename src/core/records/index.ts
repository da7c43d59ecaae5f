/**
 * The typed-records engine shared by forms and CRM modules. No GraphQL in here: faces (src/modules/forms,
 * src/modules/crm) call these functions with a RecordScope naming their kind and nouns.
 */
export * from './field-types.js';
export * from './schema.js';
export * from './values.js';
export * from './filter.js';
export * from './query.js';
export * from './aggregate.js';
export * from './records.js';
export * from './collections.js';
export * from './fields.js';
export * from './views.js';
export type { FieldInput, FieldUpdate } from './field-input.js';
export { MAX_OPTIONS } from './field-options.js';
export { scalarExpr, valuesSelect, emptyExpr } from './expressions.js';
export { isUuid, runnerFor } from './sql.js';
export * from './ids.js';
export * from './links.js';
export * from './formula/compile.js';
