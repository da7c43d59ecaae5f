/**
 * The GraphQL face of the page block catalog (src/modules/crm/blocks.ts): an interface with one
 * object type per block type for reading, and a oneOf input for writing.
 */
import { builder } from '../../graphql/builder.js';
import { BLOCK_TYPES, type Block, type BlockOf } from './blocks.js';

export const PageBlockTypeEnum = builder.enumType('PageBlockType', { values: BLOCK_TYPES });

export const PageBlockInterface = builder.interfaceRef<Block>('PageBlock').implement({
  description: 'One block of a page. Each block type has its own object type with its typed properties.',
  resolveType: (block) => `${block.type === 'RECORD_LIST' ? 'RecordList' : block.type === 'RECORD_DETAIL' ? 'RecordDetail' : block.type[0] + block.type.slice(1).toLowerCase()}Block`,
  fields: (t) => ({
    type: t.field({ type: PageBlockTypeEnum, resolve: (b) => b.type }),
    title: t.string({ nullable: true, resolve: (b) => b.title }),
  }),
});

function blockObject<T extends Block['type']>(name: string, description: string) {
  return builder.objectRef<BlockOf<T>>(name).implement({ description, interfaces: [PageBlockInterface] });
}

builder.objectFields(blockObject<'HEADING'>('HeadingBlock', 'A heading of level 1 to 6.'), (t) => ({
  text: t.string({ resolve: (b) => b.props.text }),
  level: t.int({ resolve: (b) => b.props.level }),
}));

builder.objectFields(blockObject<'TEXT'>('TextBlock', 'A text in Markdown.'), (t) => ({
  body: t.string({ resolve: (b) => b.props.body }),
}));

builder.objectFields(blockObject<'EMBED'>('EmbedBlock', 'An embedded web page (http or https).'), (t) => ({
  url: t.string({ resolve: (b) => b.props.url }),
  height: t.int({ nullable: true, description: 'Height in pixels; null = automatic', resolve: (b) => b.props.height }),
}));

export const RecordDetailBlockRef = blockObject<'RECORD_DETAIL'>('RecordDetailBlock', "The record of a record page; only on pages with a module.");
builder.objectFields(RecordDetailBlockRef, (t) => ({
  fields: t.stringList({ description: "Keys of the module's fields to show; empty = all", resolve: (b) => b.props.fields }),
}));

const HeadingBlockInput = builder.inputType('HeadingBlockInput', {
  fields: (t) => ({
    title: t.string({ required: false }),
    text: t.string(),
    level: t.int({ required: false, description: '1 to 6; default 2' }),
  }),
});
const TextBlockInput = builder.inputType('TextBlockInput', {
  fields: (t) => ({ title: t.string({ required: false }), body: t.string({ description: 'Markdown' }) }),
});
const EmbedBlockInput = builder.inputType('EmbedBlockInput', {
  fields: (t) => ({ title: t.string({ required: false }), url: t.string(), height: t.int({ required: false }) }),
});
const RecordDetailBlockInput = builder.inputType('RecordDetailBlockInput', {
  fields: (t) => ({ title: t.string({ required: false }), fields: t.stringList({ required: false }) }),
});

export const BlockInput = builder.inputType('BlockInput', {
  description: 'One block: set exactly one of the fields.',
  isOneOf: true,
  fields: (t) => ({
    heading: t.field({ type: HeadingBlockInput, required: false }),
    text: t.field({ type: TextBlockInput, required: false }),
    recordDetail: t.field({ type: RecordDetailBlockInput, required: false }),
    embed: t.field({ type: EmbedBlockInput, required: false }),
  }),
});

type BlockInputShape = typeof BlockInput.$inferInput;

/** The stored shape of a block input, before validation (blocks.ts validates it). */
export function blockFromInput(input: BlockInputShape): unknown {
  const { heading, text, recordDetail, embed } = input;
  if (heading) return { type: 'HEADING', title: heading.title, props: { text: heading.text, level: heading.level ?? undefined } };
  if (text) return { type: 'TEXT', title: text.title, props: { body: text.body } };
  if (recordDetail) return { type: 'RECORD_DETAIL', title: recordDetail.title, props: { fields: recordDetail.fields ?? undefined } };
  if (embed) return { type: 'EMBED', title: embed.title, props: { url: embed.url, height: embed.height } };
  return { type: null };
}
