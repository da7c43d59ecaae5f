import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/prisma.js';
import type { FieldIssue, IssueCode } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { FieldInput } from './field-input.js';
import { normalizeOptions } from './field-options.js';
import { FIELD_TYPE_SPECS, isFieldType, KEY_PATTERN, RESERVED_KEYS, type FieldType } from './field-types.js';
import { checkFormula } from './formula-check.js';
import type { FieldConfig, FieldDefinition, RollupFunction } from './schema.js';
import { isUuid } from './sql.js';
import { isCurrencyCode, normalizeValue } from './values.js';

const ROLLUP_FUNCTIONS: RollupFunction[] = ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT'];
export const MAX_FIELDS = 500;

/**
 * Checks one field definition in the context of its collection (`siblings`: the other fields,
 * including new ones of the same call). Returns the definition to store.
 */
export async function checkField(
  db: Db,
  workspaceId: string,
  input: FieldInput,
  siblings: FieldDefinition[],
  path: string[],
  issues: FieldIssue[],
  existing?: FieldDefinition,
): Promise<FieldDefinition | null> {
  const before = issues.length;
  const add = (sub: string, code: IssueCode, message: string) => issues.push({ path: [...path, sub], code, message });
  if (!existing) {
    if (!KEY_PATTERN.test(input.key)) add('key', 'INVALID_KEY', 'A key matches [a-z][a-z0-9_]* and has at most 63 characters');
    else if (RESERVED_KEYS.has(input.key)) add('key', 'RESERVED_KEY', `"${input.key}" is reserved`);
    else if (siblings.some((f) => f.key === input.key)) add('key', 'DUPLICATE_KEY', `Another field has the key "${input.key}"`);
  }
  if (!input.label?.trim()) add('label', 'REQUIRED', 'A field needs a label');
  if (!isFieldType(input.type)) {
    add('type', 'INVALID_VALUE', `Unknown field type ${input.type}`);
    return null;
  }
  const type: FieldType = input.type;
  const spec = FIELD_TYPE_SPECS[type];
  const allowMultiple = !!input.allowMultiple;
  if (allowMultiple && !spec.settings.includes('allowMultiple')) add('allowMultiple', 'NOT_APPLICABLE', `${type} fields hold one value`);
  const optionIssues = issues.length;
  const options = type === 'STATIC_SELECT' ? normalizeOptions(input.options, path, issues) : [];
  if (type === 'STATIC_SELECT') {
    if (issues.length === optionIssues && options.length === 0) add('options', 'REQUIRED', 'A STATIC_SELECT field needs options');
    if (options.some((o) => !o.label)) add('options', 'REQUIRED', 'Every option needs a label');
  } else if (input.options?.length) add('options', 'NOT_APPLICABLE', `${type} fields have no options`);
  const given = input.config ?? {};
  const config: FieldConfig = {};
  if (type === 'LINK') {
    const target = given.targetCollectionId;
    const found = isUuid(target) ? await db.collection.findFirst({ where: { id: target, workspaceId }, select: { id: true } }) : null;
    if (!found) add('config', 'NOT_FOUND', 'A LINK field needs config.targetCollectionId of a collection in this workspace');
    else config.targetCollectionId = found.id;
  }
  if (type === 'COUNT' || type === 'ROLLUP') {
    const link = siblings.find((f) => f.key === given.linkField);
    if (link?.type !== 'LINK') add('config', 'INVALID_VALUE', `${type} needs config.linkField naming a LINK field of the same collection`);
    else config.linkField = link.key;
    if (type === 'ROLLUP') {
      const fn = given.function ?? 'SUM';
      if (!ROLLUP_FUNCTIONS.includes(fn)) add('config', 'INVALID_VALUE', `config.function is one of ${ROLLUP_FUNCTIONS.join(', ')}`);
      config.function = fn;
      if (link?.type === 'LINK' && link.config.targetCollectionId) {
        const target = await db.fieldDef.findFirst({ where: { collectionId: link.config.targetCollectionId, key: given.targetField ?? '' } });
        if (target?.type !== 'NUMBER') add('config', 'INVALID_VALUE', 'ROLLUP needs config.targetField naming a NUMBER field of the linked collection');
        else config.targetField = target.key;
      }
    }
  }
  if (type === 'CURRENCY') {
    if (!isCurrencyCode(given.currency)) add('config', 'INVALID_CURRENCY', 'A CURRENCY field needs config.currency, an ISO 4217 code such as "EUR"');
    else config.currency = given.currency;
  }
  if (type === 'FORMULA') checkFormula(input, given, siblings, existing, config, [...path, 'config', 'expression'], issues);
  if (input.indexed && !['TEXT', 'NUMBER', 'DATETIME', 'BOOLEAN', 'STATIC_SELECT', 'USER', 'WEBSITE', 'EMAIL', 'PHONE_NUMBER', 'CURRENCY'].includes(type)) {
    add('indexed', 'NOT_APPLICABLE', `${type} fields cannot be indexed`);
  }
  const def: FieldDefinition = {
    id: existing?.id ?? randomUUID(),
    collectionId: existing?.collectionId ?? '',
    key: existing?.key ?? input.key,
    label: input.label?.trim() ?? '',
    description: input.description ?? null,
    type,
    required: !!input.required && !spec.readOnly,
    allowMultiple,
    options,
    defaultValue: null,
    position: existing?.position ?? 0,
    visible: input.visible ?? true,
    indexed: !!input.indexed,
    config,
  };
  if (input.indexed && type === 'USER' && allowMultiple) add('indexed', 'NOT_APPLICABLE', 'Multi-user fields cannot be indexed');
  if (input.defaultValue !== undefined && input.defaultValue !== null && issues.length === before) {
    if (type === 'LINK' || type === 'USER' || type === 'FILE' || spec.readOnly) add('defaultValue', 'NOT_APPLICABLE', `${type} fields have no default value`);
    else {
      const r = normalizeValue(def, input.defaultValue);
      if (!r.ok) add('defaultValue', r.code, r.message);
      else def.defaultValue = r.value ?? null;
    }
  }
  return issues.length === before ? def : null;
}

/** A checked definition as the columns of its FieldDef row. */
export const fieldData = (f: FieldDefinition) => ({
  key: f.key,
  label: f.label,
  description: f.description,
  type: f.type,
  required: f.required,
  allowMultiple: f.allowMultiple,
  options: f.type === 'STATIC_SELECT' ? (f.options as unknown as Prisma.InputJsonValue) : undefined,
  defaultValue: f.defaultValue === null ? undefined : (f.defaultValue as Prisma.InputJsonValue),
  position: f.position,
  visible: f.visible,
  indexed: f.indexed,
  config: Object.keys(f.config).length ? (f.config as Prisma.InputJsonValue) : undefined,
});
