/**
 * The field-type catalog: what each type stores, which filter operators and aggregations apply,
 * whether it sorts, and whether clients may write it. The filter compiler, the validators and
 * the GraphQL `fieldTypes` query all read this one table.
 */
export const FIELD_TYPES = [
  'TEXT',
  'NUMBER',
  'DATETIME',
  'BOOLEAN',
  'STATIC_SELECT',
  'LINK',
  'USER',
  'WEBSITE',
  'EMAIL',
  'FILE',
  'ROLLUP',
  'PHONE_NUMBER',
  'COUNT',
  'CURRENCY',
  'AUTO_NUMBER',
  'CHECKLIST',
  'FORMULA',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const OPERATORS = [
  'CONTAINS',
  'DOES_NOT_CONTAIN',
  'IS',
  'IS_NOT',
  'GREATER',
  'GREATER_OR_EQUAL',
  'LESS',
  'LESS_OR_EQUAL',
  'BETWEEN',
  'IS_EMPTY',
  'IS_NOT_EMPTY',
  'IN',
  'NOT_IN',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const AGGREGATE_FUNCTIONS = ['COUNT', 'COUNT_EMPTY', 'COUNT_NOT_EMPTY', 'SUM', 'AVG', 'MIN', 'MAX'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/** The field settings a type reads, each documented in FieldTypeSpec.settings. */
export type FieldSetting = 'options' | 'allowMultiple' | 'targetCollectionId' | 'linkField' | 'targetField' | 'function' | 'currency' | 'expression';

export interface FieldTypeSpec {
  id: FieldType;
  description: string;
  /** the JSON shape of a value in `values` */
  valueShape: string;
  settings: FieldSetting[];
  operators: Operator[];
  aggregations: AggregateFunction[];
  sortable: boolean;
  /** computed or assigned by the server; writing it is an error */
  readOnly: boolean;
  /** `search` looks into it */
  searchable: boolean;
  /** can be a `groupBy` key */
  groupable: boolean;
}

const TEXT_OPS: Operator[] = ['CONTAINS', 'DOES_NOT_CONTAIN', 'IS', 'IS_NOT', 'IN', 'NOT_IN', 'IS_EMPTY', 'IS_NOT_EMPTY'];
const RANGE_OPS: Operator[] = ['IS', 'IS_NOT', 'GREATER', 'GREATER_OR_EQUAL', 'LESS', 'LESS_OR_EQUAL', 'BETWEEN', 'IN', 'NOT_IN', 'IS_EMPTY', 'IS_NOT_EMPTY'];
const DATE_OPS: Operator[] = ['IS', 'IS_NOT', 'GREATER', 'GREATER_OR_EQUAL', 'LESS', 'LESS_OR_EQUAL', 'BETWEEN', 'IS_EMPTY', 'IS_NOT_EMPTY'];
const CHOICE_OPS: Operator[] = ['IS', 'IS_NOT', 'IN', 'NOT_IN', 'IS_EMPTY', 'IS_NOT_EMPTY'];
const COUNTS: AggregateFunction[] = ['COUNT', 'COUNT_EMPTY', 'COUNT_NOT_EMPTY'];
const NUMERIC: AggregateFunction[] = [...COUNTS, 'SUM', 'AVG', 'MIN', 'MAX'];
const ORDERED: AggregateFunction[] = [...COUNTS, 'MIN', 'MAX'];

const spec = (s: Omit<FieldTypeSpec, 'searchable' | 'groupable'> & Partial<Pick<FieldTypeSpec, 'searchable' | 'groupable'>>): FieldTypeSpec => ({
  searchable: false,
  groupable: false,
  ...s,
});

export const FIELD_TYPE_SPECS: Record<FieldType, FieldTypeSpec> = {
  TEXT: spec({
    id: 'TEXT',
    description: 'Free text',
    valueShape: 'string',
    settings: [],
    operators: TEXT_OPS,
    aggregations: ORDERED,
    sortable: true,
    readOnly: false,
    searchable: true,
    groupable: true,
  }),
  NUMBER: spec({
    id: 'NUMBER',
    description: 'A number',
    valueShape: 'number',
    settings: [],
    operators: RANGE_OPS,
    aggregations: NUMERIC,
    sortable: true,
    readOnly: false,
    groupable: true,
  }),
  DATETIME: spec({
    id: 'DATETIME',
    description: 'A point in time, stored as ISO 8601 UTC',
    valueShape: 'string (ISO 8601, e.g. "2026-05-01T10:00:00.000Z")',
    settings: [],
    operators: DATE_OPS,
    aggregations: ORDERED,
    sortable: true,
    readOnly: false,
    groupable: true,
  }),
  BOOLEAN: spec({
    id: 'BOOLEAN',
    description: 'Yes or no',
    valueShape: 'boolean',
    settings: [],
    operators: ['IS', 'IS_NOT', 'IS_EMPTY', 'IS_NOT_EMPTY'],
    aggregations: COUNTS,
    sortable: true,
    readOnly: false,
    groupable: true,
  }),
  STATIC_SELECT: spec({
    id: 'STATIC_SELECT',
    description: 'One option (or several with allowMultiple) of a fixed list',
    valueShape: 'option id string, or a list of them when allowMultiple',
    settings: ['options', 'allowMultiple'],
    operators: CHOICE_OPS,
    aggregations: COUNTS,
    sortable: true,
    readOnly: false,
    groupable: true,
  }),
  LINK: spec({
    id: 'LINK',
    description: 'Records of another collection',
    valueShape: 'record id, or a list of them when allowMultiple',
    settings: ['targetCollectionId', 'allowMultiple'],
    operators: ['CONTAINS', 'DOES_NOT_CONTAIN', 'IS_EMPTY', 'IS_NOT_EMPTY'],
    aggregations: COUNTS,
    sortable: false,
    readOnly: false,
  }),
  USER: spec({
    id: 'USER',
    description: 'A member of the workspace',
    valueShape: 'user id, or a list of them when allowMultiple',
    settings: ['allowMultiple'],
    operators: CHOICE_OPS,
    aggregations: COUNTS,
    sortable: false,
    readOnly: false,
    groupable: true,
  }),
  WEBSITE: spec({
    id: 'WEBSITE',
    description: 'An http(s) URL',
    valueShape: 'string',
    settings: [],
    operators: TEXT_OPS,
    aggregations: COUNTS,
    sortable: true,
    readOnly: false,
    searchable: true,
  }),
  EMAIL: spec({
    id: 'EMAIL',
    description: 'An email address (lower-cased)',
    valueShape: 'string',
    settings: [],
    operators: TEXT_OPS,
    aggregations: COUNTS,
    sortable: true,
    readOnly: false,
    searchable: true,
    groupable: true,
  }),
  FILE: spec({
    id: 'FILE',
    description: 'Uploaded files (upload with the multipart request spec first)',
    valueShape: 'file id, or a list of them when allowMultiple; read back as [{ id, name, size, contentType }]',
    settings: ['allowMultiple'],
    operators: ['CONTAINS', 'DOES_NOT_CONTAIN', 'IS_EMPTY', 'IS_NOT_EMPTY'],
    aggregations: COUNTS,
    sortable: false,
    readOnly: false,
  }),
  ROLLUP: spec({
    id: 'ROLLUP',
    description: 'SUM, AVG, MIN, MAX or COUNT of a NUMBER field across the linked records of a LINK field',
    valueShape: 'number (read-only)',
    settings: ['linkField', 'targetField', 'function'],
    operators: RANGE_OPS,
    aggregations: NUMERIC,
    sortable: true,
    readOnly: true,
  }),
  PHONE_NUMBER: spec({
    id: 'PHONE_NUMBER',
    description: 'A phone number, stored as + and digits',
    valueShape: 'string (e.g. "+4930123456")',
    settings: [],
    operators: TEXT_OPS,
    aggregations: COUNTS,
    sortable: true,
    readOnly: false,
    searchable: true,
  }),
  COUNT: spec({
    id: 'COUNT',
    description: 'The number of linked records of a LINK field',
    valueShape: 'integer (read-only)',
    settings: ['linkField'],
    operators: RANGE_OPS,
    aggregations: NUMERIC,
    sortable: true,
    readOnly: true,
  }),
  CURRENCY: spec({
    id: 'CURRENCY',
    description: "An exact decimal amount in the field's ISO 4217 currency; never a float",
    valueShape: '{ amount: "12.50", currency: "EUR" } (input may also be the amount string)',
    settings: ['currency'],
    operators: RANGE_OPS,
    aggregations: NUMERIC,
    sortable: true,
    readOnly: false,
  }),
  AUTO_NUMBER: spec({
    id: 'AUTO_NUMBER',
    description: 'Assigned by the server, increasing per collection',
    valueShape: 'integer (read-only)',
    settings: [],
    operators: RANGE_OPS,
    aggregations: ORDERED,
    sortable: true,
    readOnly: true,
  }),
  FORMULA: spec({
    id: 'FORMULA',
    description:
      'Computed from other fields of the same record by config.expression (arithmetic, text joins, date differences, IF, ...), in SQL. Its config.resultType (NUMBER, TEXT, BOOLEAN or DATETIME) decides which of these operators and aggregations apply: those of that type',
    valueShape: 'number, string, boolean or ISO 8601 date-time, by config.resultType (read-only)',
    settings: ['expression'],
    operators: [...new Set([...RANGE_OPS, ...TEXT_OPS])],
    aggregations: NUMERIC,
    sortable: true,
    readOnly: true,
    groupable: true,
  }),
  CHECKLIST: spec({
    id: 'CHECKLIST',
    description: 'Items with a label and a checked flag',
    valueShape: '[{ label: string, checked: boolean }]',
    settings: [],
    operators: ['CONTAINS', 'DOES_NOT_CONTAIN', 'IS_EMPTY', 'IS_NOT_EMPTY'],
    aggregations: COUNTS,
    sortable: false,
    readOnly: false,
    searchable: true,
  }),
};

/** The catalog entry whose operators and aggregations apply to a field (a FORMULA's result type). */
export const effectiveType = (field: { type: FieldType; config: { resultType?: FieldType } }): FieldType =>
  field.type === 'FORMULA' ? (field.config.resultType ?? 'TEXT') : field.type;

export const isFieldType = (s: string): s is FieldType => (FIELD_TYPES as readonly string[]).includes(s);

/** System fields every collection has; filters and orderBy name them like fields. */
export const SYSTEM_FIELDS = ['id', 'createdAt', 'updatedAt', 'archived'] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];
export const SYSTEM_FIELD_OPERATORS: Record<SystemField, Operator[]> = {
  id: ['IS', 'IS_NOT', 'IN', 'NOT_IN'],
  createdAt: ['IS', 'IS_NOT', 'GREATER', 'GREATER_OR_EQUAL', 'LESS', 'LESS_OR_EQUAL', 'BETWEEN'],
  updatedAt: ['IS', 'IS_NOT', 'GREATER', 'GREATER_OR_EQUAL', 'LESS', 'LESS_OR_EQUAL', 'BETWEEN'],
  archived: ['IS', 'IS_NOT'],
};

/** Keys a field may not take: they would read like system fields. */
export const RESERVED_KEYS = new Set(['id', 'archived', 'version', 'created_at', 'updated_at', 'created_by', 'auto_number']);
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
