/**
 * The block catalog of CRM pages. A page stores its blocks as JSON; every block that reaches the
 * database has passed `parseBlocks`, and every block read back is parsed again, so a stored block
 * is always one of these shapes. References (charts, modules) are checked against the database by
 * the page service; here only their form is checked.
 */
import { z } from 'zod';
import type { FieldIssue } from '../../errors.js';

export const BLOCK_TYPES = ['HEADING', 'TEXT', 'CHART', 'RECORD_LIST', 'RECORD_DETAIL', 'EMBED'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/** The key of each block type in the `BlockInput` oneOf input, used in issue paths. */
export const BLOCK_INPUT_KEY: Record<BlockType, string> = {
  HEADING: 'heading',
  TEXT: 'text',
  CHART: 'chart',
  RECORD_LIST: 'recordList',
  RECORD_DETAIL: 'recordDetail',
  EMBED: 'embed',
};

export const MAX_BLOCKS = 100;
const FIELD_KEY = /^[a-z][a-z0-9_]*$/;

const title = z
  .string()
  .trim()
  .max(200, 'At most 200 characters')
  .nullish()
  .transform((t) => (t ? t : null));
const fieldKeys = z
  .array(z.string().regex(FIELD_KEY, 'Not a field key'))
  .max(100, 'At most 100 fields')
  .refine((keys) => new Set(keys).size === keys.length, 'Field keys repeat');
const uuid = z.uuid('Not an id');

const heading = z.object({
  type: z.literal('HEADING'),
  title,
  props: z.object({
    text: z.string().trim().min(1, 'Required').max(200, 'At most 200 characters'),
    level: z.number().int().min(1, 'Between 1 and 6').max(6, 'Between 1 and 6').default(2),
  }),
});

const text = z.object({
  type: z.literal('TEXT'),
  title,
  props: z.object({ body: z.string().max(20_000, 'At most 20000 characters') }),
});

const chart = z.object({
  type: z.literal('CHART'),
  title,
  props: z.object({ chartId: uuid }),
});

const recordList = z.object({
  type: z.literal('RECORD_LIST'),
  title,
  props: z.object({
    moduleId: uuid,
    /** a saved view of the module; its filter and order apply */
    viewId: uuid.nullish().transform((v) => v ?? null),
    /** the columns; empty = the module's visible fields */
    fields: fieldKeys.default([]),
    pageSize: z.number().int().min(1, 'Between 1 and 100').max(100, 'Between 1 and 100').default(20),
  }),
});

const recordDetail = z.object({
  type: z.literal('RECORD_DETAIL'),
  title,
  /** only on record pages; the fields of the page's module to show, empty = all */
  props: z.object({ fields: fieldKeys.default([]) }),
});

const embed = z.object({
  type: z.literal('EMBED'),
  title,
  props: z.object({
    url: z
      .string()
      .max(2000, 'At most 2000 characters')
      .refine((u) => URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol), 'Must be an http or https URL'),
    height: z
      .number()
      .int()
      .min(50, 'Between 50 and 4000')
      .max(4000, 'Between 50 and 4000')
      .nullish()
      .transform((h) => h ?? null),
  }),
});

export const BlockSchema = z.discriminatedUnion('type', [heading, text, chart, recordList, recordDetail, embed]);
export type Block = z.output<typeof BlockSchema>;
export type BlockOf<T extends BlockType> = Extract<Block, { type: T }>;

/**
 * Validates a list of blocks. Issue paths point into the `BlockInput` list of the mutation:
 * `[...prefix, index, <input key>, <prop>]`, e.g. `blocks.2.heading.level`.
 */
export function parseBlocks(input: unknown, prefix: string[] = ['blocks']): { blocks: Block[]; issues: FieldIssue[] } {
  if (!Array.isArray(input)) return { blocks: [], issues: [{ path: prefix, code: 'INVALID_VALUE', message: 'Blocks must be a list' }] };
  if (input.length > MAX_BLOCKS) return { blocks: [], issues: [{ path: prefix, code: 'TOO_MANY', message: `At most ${MAX_BLOCKS} blocks` }] };
  const blocks: Block[] = [];
  const issues: FieldIssue[] = [];
  input.forEach((raw, index) => {
    const result = BlockSchema.safeParse(raw);
    if (result.success) {
      blocks.push(result.data);
      return;
    }
    const type = (raw as { type?: unknown } | null)?.type;
    const key = typeof type === 'string' && type in BLOCK_INPUT_KEY ? BLOCK_INPUT_KEY[type as BlockType] : 'type';
    for (const issue of result.error.issues) {
      // zod paths are [props, name] or [title]; the input nests props directly under the type key
      const rest = issue.path.map(String).filter((p, i) => !(i === 0 && (p === 'props' || p === 'type')));
      issues.push({
        path: [...prefix, String(index), key, ...rest],
        code: issue.code === 'invalid_union' || issue.path[0] === 'type' ? 'UNKNOWN_BLOCK_TYPE' : 'INVALID_VALUE',
        message: issue.message,
      });
    }
  });
  return { blocks, issues };
}

/** Blocks read from the database; anything that no longer parses is dropped, never served raw. */
export function storedBlocks(json: unknown): Block[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((raw) => {
    const r = BlockSchema.safeParse(raw);
    return r.success ? [r.data] : [];
  });
}

/** Ids the blocks reference, for checking that they exist in the workspace. */
export function blockReferences(blocks: Block[]) {
  const charts = new Map<string, number[]>();
  const modules = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, id: string, i: number) => m.set(id, [...(m.get(id) ?? []), i]);
  blocks.forEach((b, i) => {
    if (b.type === 'CHART') add(charts, b.props.chartId, i);
    if (b.type === 'RECORD_LIST') add(modules, b.props.moduleId, i);
  });
  return { charts, modules };
}
