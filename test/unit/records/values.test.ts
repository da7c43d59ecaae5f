import { describe, expect, it } from 'vitest';
import {
  FIELD_TYPES,
  FIELD_TYPE_SPECS,
  normalizeDecimal,
  normalizeValue,
  validateValues,
  buildSchema,
  type FieldDefinition,
  type FieldType,
} from '../../../src/core/records/index.js';

const field = (type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  id: '00000000-0000-4000-8000-000000000001',
  collectionId: '00000000-0000-4000-8000-000000000002',
  key: 'f',
  label: 'F',
  description: null,
  type,
  required: false,
  allowMultiple: false,
  options:
    type === 'STATIC_SELECT'
      ? [
          { id: 'red', label: 'Red', order: 0 },
          { id: 'blue', label: 'Blue', order: 1 },
        ]
      : [],
  defaultValue: null,
  position: 0,
  visible: true,
  indexed: false,
  config: type === 'CURRENCY' ? { currency: 'EUR' } : type === 'LINK' ? { targetCollectionId: '00000000-0000-4000-8000-000000000003' } : {},
  ...extra,
});

const UUID = '6f1c7a52-3b8e-4c1e-9a55-0d2a9c1e7b44';

/** Per type: inputs that are valid (with what they normalise to) and inputs that are refused (with the code). */
const CASES: Record<FieldType, { valid: Array<[unknown, unknown]>; invalid: Array<[unknown, string]>; multiple?: boolean }> = {
  TEXT: {
    valid: [
      ['hello', 'hello'],
      ['', undefined],
      [null, undefined],
    ],
    invalid: [
      [12, 'INVALID_TYPE'],
      ['x'.repeat(100_001), 'TOO_LONG'],
      [['a'], 'INVALID_TYPE'],
    ],
  },
  NUMBER: {
    valid: [
      [12, 12],
      [-0.5, -0.5],
      [null, undefined],
    ],
    invalid: [
      ['12', 'INVALID_TYPE'],
      [Number.NaN, 'INVALID_TYPE'],
      [true, 'INVALID_TYPE'],
    ],
  },
  DATETIME: {
    valid: [
      ['2026-05-01T10:00:00Z', '2026-05-01T10:00:00.000Z'],
      ['2026-05-01T12:00:00+02:00', '2026-05-01T10:00:00.000Z'],
      ['2026-05-01', '2026-05-01T00:00:00.000Z'],
    ],
    invalid: [
      ['yesterday', 'INVALID_VALUE'],
      [1700000000, 'INVALID_VALUE'],
      ['0999-01-01', 'INVALID_VALUE'],
      ['2026-13-45', 'INVALID_VALUE'],
    ],
  },
  BOOLEAN: {
    valid: [
      [true, true],
      [false, false],
    ],
    invalid: [
      ['true', 'INVALID_TYPE'],
      [1, 'INVALID_TYPE'],
    ],
  },
  STATIC_SELECT: {
    valid: [
      ['red', 'red'],
      ['Blue', 'blue'],
    ],
    invalid: [
      ['green', 'UNKNOWN_OPTION'],
      [3, 'INVALID_TYPE'],
      [['red'], 'INVALID_TYPE'],
    ],
  },
  LINK: {
    valid: [
      [UUID, [UUID]],
      [UUID.toUpperCase(), [UUID]],
    ],
    invalid: [
      ['nope', 'INVALID_VALUE'],
      [[UUID, UUID.replace('6f', '7f')], 'INVALID_TYPE'],
    ],
  },
  USER: {
    valid: [[UUID, UUID]],
    invalid: [
      ['bob', 'INVALID_VALUE'],
      [5, 'INVALID_VALUE'],
    ],
  },
  WEBSITE: {
    valid: [
      ['https://example.com/a', 'https://example.com/a'],
      ['example.com', 'https://example.com'],
    ],
    invalid: [
      ['ftp://example.com', 'INVALID_VALUE'],
      ['not a url', 'INVALID_VALUE'],
      [5, 'INVALID_TYPE'],
    ],
  },
  EMAIL: {
    valid: [[' Ann@Example.COM ', 'ann@example.com']],
    invalid: [
      ['ann@', 'INVALID_VALUE'],
      ['ann example.com', 'INVALID_VALUE'],
      [1, 'INVALID_TYPE'],
    ],
  },
  FILE: {
    valid: [
      [UUID, [UUID]],
      [{ id: UUID, name: 'a.txt' }, [UUID]],
    ],
    invalid: [['x', 'INVALID_VALUE']],
  },
  ROLLUP: { valid: [], invalid: [[5, 'READ_ONLY']] },
  PHONE_NUMBER: {
    valid: [
      ['+49 (30) 123-456', '+4930123456'],
      ['030 123456', '030123456'],
    ],
    invalid: [
      ['12', 'INVALID_VALUE'],
      ['call me', 'INVALID_VALUE'],
      [4930123456, 'INVALID_TYPE'],
    ],
  },
  COUNT: { valid: [], invalid: [[1, 'READ_ONLY']] },
  CURRENCY: {
    valid: [
      ['12.50', { amount: '12.5', currency: 'EUR' }],
      [
        { amount: '-0007.10', currency: 'EUR' },
        { amount: '-7.1', currency: 'EUR' },
      ],
      ['0.1', { amount: '0.1', currency: 'EUR' }],
    ],
    invalid: [
      [12.5, 'INVALID_TYPE'],
      ['12,50', 'INVALID_VALUE'],
      [{ amount: '1', currency: 'USD' }, 'INVALID_CURRENCY'],
      [{ amount: '1', currency: 'EUR', rate: 2 }, 'INVALID_VALUE'],
    ],
  },
  AUTO_NUMBER: { valid: [], invalid: [[1, 'READ_ONLY']] },
  FORMULA: { valid: [], invalid: [[1, 'READ_ONLY']] },
  CHECKLIST: {
    valid: [
      [
        [{ label: 'a' }, { label: 'b', checked: true }],
        [
          { label: 'a', checked: false },
          { label: 'b', checked: true },
        ],
      ],
    ],
    invalid: [
      ['a', 'INVALID_TYPE'],
      [[{ checked: true }], 'INVALID_VALUE'],
      [[{ label: 'a', checked: 'yes' }], 'INVALID_TYPE'],
    ],
  },
};

describe('value validation per field type', () => {
  it('covers every type of the catalog', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FIELD_TYPES].sort());
  });
  for (const type of FIELD_TYPES) {
    describe(type, () => {
      for (const [input, expected] of CASES[type].valid) {
        it(`accepts ${JSON.stringify(input)?.slice(0, 40)}`, () => {
          expect(normalizeValue(field(type), input)).toEqual({ ok: true, value: expected });
        });
      }
      for (const [input, code] of CASES[type].invalid) {
        it(`refuses ${JSON.stringify(input)?.slice(0, 40)} with ${code}`, () => {
          const r = normalizeValue(field(type), input);
          expect(r.ok).toBe(false);
          expect(r.ok ? null : r.code).toBe(code);
        });
      }
      if (FIELD_TYPE_SPECS[type].readOnly) it('is read-only in the catalog', () => expect(CASES[type].valid).toEqual([]));
    });
  }

  it('keeps multiple values as a de-duplicated list when allowMultiple', () => {
    expect(normalizeValue(field('STATIC_SELECT', { allowMultiple: true }), ['red', 'Red', 'blue'])).toEqual({ ok: true, value: ['red', 'blue'] });
    expect(normalizeValue(field('USER', { allowMultiple: true }), UUID)).toEqual({ ok: true, value: [UUID] });
  });

  it('normalises decimals exactly, never through floats', () => {
    expect(normalizeDecimal('0.1')).toBe('0.1');
    expect(normalizeDecimal('123456789012345678.12345678')).toBe('123456789012345678.12345678');
    expect(normalizeDecimal('-0.00')).toBe('0');
    expect(normalizeDecimal('1e5')).toBeNull();
  });
});

describe('validateValues', () => {
  const collection = {
    id: '00000000-0000-4000-8000-000000000002',
    workspaceId: '',
    kind: 'FORM',
    name: 'x',
    description: null,
    handle: null,
    nextAutoNumber: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
  } as const;
  const rows = [
    { ...field('TEXT'), key: 'name', required: true },
    { ...field('NUMBER'), key: 'qty', defaultValue: 1 },
    { ...field('AUTO_NUMBER'), key: 'no' },
  ].map((f) => ({ ...f, options: f.options, config: f.config, createdAt: new Date(), updatedAt: new Date() }));
  const schema = buildSchema(collection as never, rows as never);

  it('reports every problem at once with a path per key', () => {
    const r = validateValues(schema, { qty: 'x', no: 3, bogus: 1 }, 'create', ['values']);
    expect(r.issues.map((i) => [i.path.join('.'), i.code]).sort()).toEqual([
      ['values.bogus', 'UNKNOWN_FIELD'],
      ['values.name', 'REQUIRED'],
      ['values.no', 'READ_ONLY'],
      ['values.qty', 'INVALID_TYPE'],
    ]);
  });

  it('applies defaults on create only, and patch keeps other values', () => {
    expect(validateValues(schema, { name: 'a' }, 'create', []).values).toEqual({ name: 'a', qty: 1 });
    expect(validateValues(schema, { name: 'a' }, 'replace', []).values).toEqual({ name: 'a' });
    expect(validateValues(schema, { qty: null }, 'patch', [], { name: 'b', qty: 4 }).values).toEqual({ name: 'b' });
    expect(validateValues(schema, { name: null }, 'patch', [], { name: 'b' }).issues[0]!.code).toBe('REQUIRED');
  });
});
