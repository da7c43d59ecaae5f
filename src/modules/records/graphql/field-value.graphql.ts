import { builder } from '../../../graphql/builder.js';
import { effectiveType, presentValue, type FieldDefinition, type Json, type SelectOption } from '../../../core/records/index.js';
import { UserType } from '../../identity/user.graphql.js';
import { userLoader } from '../user-loader.js';
import { FieldTypeEnum } from './field-type.graphql.js';
import { FieldRef } from './field.graphql.js';
import { SelectOptionType } from './select-option.graphql.js';
import { FileValueType, type FileValue } from './file.graphql.js';

export interface TypedValue {
  field: FieldDefinition;
  value: Json | undefined;
}

type ChecklistItem = { label: string; checked: boolean };

/** Stored values were checked on write; these guards only let TypeScript see their shape. */
const isChecklistItem = (v: Json): v is ChecklistItem => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.label === 'string';
const isFileValue = (v: Json): v is FileValue => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.id === 'string';

export const ChecklistItemType = builder.objectRef<ChecklistItem>('ChecklistItem').implement({
  description: 'One item of a checklist value.',
  fields: (t) => ({ label: t.exposeString('label'), checked: t.exposeBoolean('checked') }),
});

const list = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The typed per-field accessor: one slot per shape, filled for the field's type. */
export const FieldValueType = builder.objectRef<TypedValue>('FieldValue').implement({
  description: "One field's value of a record, typed: read the slot of the field's type (e.g. `number` for NUMBER, `decimal` + `currency` for CURRENCY).",
  fields: (t) => ({
    key: t.string({ resolve: (v) => v.field.key }),
    type: t.field({ type: FieldTypeEnum, resolve: (v) => v.field.type }),
    field: t.field({ type: FieldRef, resolve: (v) => v.field }),
    isEmpty: t.boolean({ resolve: (v) => v.value === undefined || v.value === null }),
    json: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The value as in `values` (ids are global ids)',
      resolve: (v) => presentValue(v.field, v.value) ?? null,
    }),
    text: t.string({
      nullable: true,
      resolve: (v) => (['TEXT', 'WEBSITE', 'EMAIL', 'PHONE_NUMBER'].includes(effectiveType(v.field)) && typeof v.value === 'string' ? v.value : null),
    }),
    number: t.float({
      nullable: true,
      resolve: (v) => (['NUMBER', 'COUNT', 'ROLLUP', 'AUTO_NUMBER'].includes(effectiveType(v.field)) && typeof v.value === 'number' ? v.value : null),
    }),
    decimal: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'CURRENCY amount (exact), or a NUMBER as a decimal string',
      resolve: (v) => (v.field.type === 'CURRENCY' && v.value ? (v.value as { amount: string }).amount : typeof v.value === 'number' ? String(v.value) : null),
    }),
    currency: t.string({ nullable: true, resolve: (v) => (v.field.type === 'CURRENCY' && v.value ? (v.value as { currency: string }).currency : null) }),
    dateTime: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (v) => (effectiveType(v.field) === 'DATETIME' && typeof v.value === 'string' ? v.value : null),
    }),
    boolean: t.boolean({ nullable: true, resolve: (v) => (effectiveType(v.field) === 'BOOLEAN' && typeof v.value === 'boolean' ? v.value : null) }),
    options: t.field({
      type: [SelectOptionType],
      nullable: true,
      resolve: (v) =>
        v.field.type === 'STATIC_SELECT'
          ? list(v.value)
              .map((id) => v.field.options.find((o) => o.id === id))
              .filter((o): o is SelectOption => !!o)
          : null,
    }),
    ids: t.idList({
      nullable: true,
      description: 'LINK: linked record ids; USER: user ids (global ids, as in `values`)',
      resolve: (v) => (v.field.type === 'LINK' || v.field.type === 'USER' ? (list(presentValue(v.field, v.value)) as string[]) : null),
    }),
    users: t.field({
      type: [UserType],
      nullable: true,
      resolve: async (v, _a, ctx) => {
        if (v.field.type !== 'USER') return null;
        const users = await Promise.all((list(v.value) as string[]).map((id) => userLoader(ctx).load(id)));
        return users.filter((u): u is NonNullable<typeof u> => !!u);
      },
    }),
    files: t.field({ type: [FileValueType], nullable: true, resolve: (v) => (v.field.type === 'FILE' ? list(v.value).filter(isFileValue) : null) }),
    items: t.field({
      type: [ChecklistItemType],
      nullable: true,
      resolve: (v) => (v.field.type === 'CHECKLIST' ? list(v.value).filter(isChecklistItem) : null),
    }),
  }),
});
