import type { FieldIssue } from '../../errors.js';
import { scalarExpr } from './expressions.js';
import type { FieldInput } from './field-input.js';
import { compileFormula, FormulaError, formulaReferences } from './formula/compile.js';
import type { CollectionSchema, FieldConfig, FieldDefinition } from './schema.js';

/**
 * Parses and type-checks a FORMULA's expression against the collection as it would be (siblings
 * plus this field), and re-checks every other formula, so no change leaves a formula that no
 * longer compiles or changes type under another one.
 */
export function checkFormula(
  input: FieldInput,
  given: FieldConfig,
  siblings: FieldDefinition[],
  existing: FieldDefinition | undefined,
  config: FieldConfig,
  path: string[],
  issues: FieldIssue[],
) {
  const expression = typeof given.expression === 'string' ? given.expression.trim() : '';
  if (!expression) {
    issues.push({ path, code: 'REQUIRED', message: 'A FORMULA field needs config.expression, e.g. "price * quantity"' });
    return;
  }
  const key = existing?.key ?? input.key;
  const self: FieldDefinition = {
    id: existing?.id ?? '',
    collectionId: existing?.collectionId ?? '',
    key,
    label: input.label ?? key,
    description: null,
    type: 'FORMULA',
    required: false,
    allowMultiple: false,
    options: [],
    defaultValue: null,
    position: 0,
    visible: true,
    indexed: false,
    config: { expression },
  };
  const fields = [...siblings.filter((f) => f.key !== key), self];
  const schema = { collection: {} as CollectionSchema['collection'], fields, byKey: new Map(fields.map((f) => [f.key, f])) } as CollectionSchema;
  const compile = (f: FieldDefinition) => compileFormula(schema, f, (x) => scalarExpr(schema, x));
  try {
    self.config.resultType = compile(self).type;
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    issues.push({ path, code: e.code, message: e.message });
    return;
  }
  for (const other of fields) {
    if (other.type !== 'FORMULA' || other === self || !formulaReferences(other.config.expression ?? '').has(key)) continue;
    let problem: string | null = null;
    try {
      const type = compile(other).type;
      if (type !== other.config.resultType) problem = `it would turn "${other.key}" from ${other.config.resultType} into ${type}`;
    } catch (e) {
      if (!(e instanceof FormulaError)) throw e;
      problem = `"${other.key}" would not compute: ${e.message}`;
    }
    if (problem) issues.push({ path, code: e2code(problem), message: `The formula "${other.key}" uses "${key}": ${problem}` });
  }
  config.expression = expression;
  config.resultType = self.config.resultType;
}

const e2code = (problem: string) => (problem.includes('refers to itself') ? 'CIRCULAR_REFERENCE' : 'BREAKS_DEPENDENT_FORMULA');

/** Formula fields whose expression names `key`. */
export const formulasUsing = (fields: FieldDefinition[], key: string) =>
  fields.filter((f) => f.type === 'FORMULA' && f.key !== key && formulaReferences(f.config.expression ?? '').has(key));
