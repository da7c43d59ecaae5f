import { builder } from '../../../graphql/builder.js';
import type { BuilderTypes } from '../../../graphql/builder-types.js';
import { invalidField } from '../../../errors.js';
import type { FieldConfig } from '../../../core/records/index.js';
import { FieldTypeEnum } from './field-type.graphql.js';
import { SelectOptionInput } from './select-option.graphql.js';

export const RollupFunctionEnum = builder.enumType('RollupFunction', {
  description: 'How a rollup field combines the values of linked records.',
  values: ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT'] as const,
});

export const FieldConfigInput = builder.inputType('FieldConfigInput', {
  description: 'Settings of a field that depend on its type.',
  fields: (t) => ({
    target: t.globalID({ required: false, description: 'LINK: the Form (or Module) whose records it links' }),
    linkField: t.string({ required: false, description: 'COUNT, ROLLUP: key of a LINK field of the same collection' }),
    targetField: t.string({ required: false, description: 'ROLLUP: key of a NUMBER field of the linked collection' }),
    function: t.field({ type: RollupFunctionEnum, required: false }),
    currency: t.string({ required: false, description: 'CURRENCY: ISO 4217 code' }),
    expression: t.string({
      required: false,
      description:
        'FORMULA: an expression over other fields\' keys, e.g. `price * quantity`, `first_name & " " & last_name`, `DATEDIFF(closed_at, opened_at, "days")`, `IF(amount > 1000, "big", "small")`. Operators + - * / % & == != < <= > >= && || ! and ?:, functions IF, CONCAT, ROUND, ABS, MIN, MAX, UPPER, LOWER, LEN, AND, OR, NOT, ISBLANK, NOW, DATEDIFF',
    }),
  }),
});

const fieldInputFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>, creating: boolean) => ({
  label: t.string({ required: creating }),
  description: t.string({ required: false }),
  type: t.field({ type: FieldTypeEnum, required: creating }),
  required: t.boolean({ required: false }),
  allowMultiple: t.boolean({ required: false }),
  options: t.field({ type: [SelectOptionInput], required: false }),
  defaultValue: t.field({ type: 'JSON', required: false }),
  visible: t.boolean({ required: false }),
  indexed: t.boolean({ required: false }),
  config: t.field({ type: FieldConfigInput, required: false }),
});

export const FieldInputType = builder.inputType('FieldInput', {
  description: 'A field of a form or module: its key, label, type and settings.',
  fields: (t) => ({ key: t.string({ description: 'Stable key [a-z][a-z0-9_]*; cannot change later' }), ...fieldInputFields(t, true) }),
});
export const FieldUpdateInputType = builder.inputType('FieldUpdateInput', {
  description: 'Changes to a field; absent settings stay. A type change is refused unless every stored value converts.',
  fields: (t) => fieldInputFields(t, false),
});

type GivenConfig = typeof FieldConfigInput.$inferInput;

/** GraphQL field input -> engine field input (global ids decoded); `path` locates `config` in errors. */
export function toFieldInput<T extends { config?: GivenConfig | null }>(input: T, path: string[] = ['config']): Omit<T, 'config'> & { config?: FieldConfig } {
  const { config, ...rest } = input;
  if (!config) return { ...rest, config: config === null ? {} : undefined };
  if (config.target && !['Form', 'Module'].includes(config.target.typename))
    throw invalidField([...path, 'target'], 'INVALID_VALUE', 'A LINK target is a Form or a Module');
  return {
    ...rest,
    config: {
      targetCollectionId: config.target?.id,
      linkField: config.linkField ?? undefined,
      targetField: config.targetField ?? undefined,
      function: config.function ?? undefined,
      currency: config.currency ?? undefined,
      expression: config.expression ?? undefined,
    },
  };
}
