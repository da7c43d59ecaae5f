/**
 * The GraphQL face of the page block catalog (src/modules/crm/blocks.ts): an interface with one
 * object type per block type for reading, and a oneOf input for writing.
 */
import { builder } from '../../graphql/builder.js';
import type { GraphQLContext } from '../../context.js';
import { inKeyOrder, loaderFor } from '../../loaders.js';
import { ViewType } from '../records/graphql/view.graphql.js';
import { BLOCK_TYPES, type Block, type BlockOf } from './blocks.js';
import { ChartType } from './chart.graphql.js';
import { moduleLoader, ModuleType } from './module.graphql.js';

/** Charts and views blocks reference, by id within the workspace: one statement each per request. */
const chartLoader = (ctx: GraphQLContext) =>
  loaderFor(ctx, 'crm:blockCharts', async (ids, workspaceId) => inKeyOrder(ids, await ctx.db.chart.findMany({ where: { id: { in: [...ids] }, workspaceId } })));
const viewLoader = (ctx: GraphQLContext) =>
  loaderFor(ctx, 'crm:blockViews', async (ids, workspaceId) => inKeyOrder(ids, await ctx.db.view.findMany({ where: { id: { in: [...ids] }, workspaceId } })));

export const PageBlockTypeEnum = builder.enumType('PageBlockType', {
  description: 'The kind of a block on a page.',
  values: BLOCK_TYPES,
});

export const PageBlockInterface = builder.interfaceRef<Block>('PageBlock').implement({
  description: 'One block of a page. Each block type has its own object type with its typed properties.',
  resolveType: (block) =>
    `${block.type === 'RECORD_LIST' ? 'RecordList' : block.type === 'RECORD_DETAIL' ? 'RecordDetail' : block.type[0] + block.type.slice(1).toLowerCase()}Block`,
  fields: (t) => ({
    type: t.field({ description: 'The kind of block', type: PageBlockTypeEnum, resolve: (b) => b.type }),
    title: t.string({ description: 'A title shown above the block; null: none', nullable: true, resolve: (b) => b.title }),
  }),
});

function blockObject<T extends Block['type']>(name: string, description: string) {
  return builder.objectRef<BlockOf<T>>(name).implement({ description, interfaces: [PageBlockInterface] });
}

builder.objectFields(blockObject<'HEADING'>('HeadingBlock', 'A heading of level 1 to 6.'), (t) => ({
  text: t.string({ description: 'The heading', resolve: (b) => b.props.text }),
  level: t.int({ description: '1 (largest) to 6', resolve: (b) => b.props.level }),
}));

builder.objectFields(blockObject<'TEXT'>('TextBlock', 'A text in Markdown.'), (t) => ({
  body: t.string({ description: 'The text, in Markdown', resolve: (b) => b.props.body }),
}));

builder.objectFields(blockObject<'EMBED'>('EmbedBlock', 'An embedded web page (http or https).'), (t) => ({
  url: t.string({ description: 'The embedded page (http or https)', resolve: (b) => b.props.url }),
  height: t.int({ nullable: true, description: 'Height in pixels; null = automatic', resolve: (b) => b.props.height }),
}));

export const RecordDetailBlockRef = blockObject<'RECORD_DETAIL'>('RecordDetailBlock', 'The record of a record page; only on pages with a module.');
builder.objectFields(RecordDetailBlockRef, (t) => ({
  fields: t.stringList({ description: "Keys of the module's fields to show; empty = all", resolve: (b) => b.props.fields }),
}));

builder.objectFields(blockObject<'CHART'>('ChartBlock', 'A saved chart.'), (t) => ({
  chart: t.field({
    type: ChartType,
    nullable: true,
    description: 'null when the chart was deleted',
    resolve: (b, _a, ctx) => chartLoader(ctx).load(b.props.chartId),
  }),
}));

builder.objectFields(blockObject<'RECORD_LIST'>('RecordListBlock', "A list of a module's records, through one of its views."), (t) => ({
  module: t.field({
    type: ModuleType,
    nullable: true,
    description: 'null when the module was deleted',
    resolve: (b, _a, ctx) => moduleLoader(ctx).load(b.props.moduleId),
  }),
  view: t.field({
    type: ViewType,
    nullable: true,
    description: 'The view giving filter, order and columns; null: all records',
    resolve: (b, _a, ctx) => (b.props.viewId ? viewLoader(ctx).load(b.props.viewId) : null),
  }),
  fields: t.stringList({ description: "Keys of the columns; empty = the view's or the module's visible fields", resolve: (b) => b.props.fields }),
  pageSize: t.int({ description: 'Records per page', resolve: (b) => b.props.pageSize }),
}));

const HeadingBlockInput = builder.inputType('HeadingBlockInput', {
  description: 'A heading block.',
  fields: (t) => ({
    title: t.string({ description: 'A title shown above the block', required: false }),
    text: t.string({ description: 'The heading' }),
    level: t.int({ required: false, description: '1 to 6; default 2' }),
  }),
});
const TextBlockInput = builder.inputType('TextBlockInput', {
  description: 'A block of text.',
  fields: (t) => ({
    title: t.string({ required: false, description: 'A title shown above the block' }),
    body: t.string({ description: 'Markdown' }),
  }),
});
const EmbedBlockInput = builder.inputType('EmbedBlockInput', {
  description: 'A block embedding an external page by URL.',
  fields: (t) => ({
    title: t.string({ description: 'A title shown above the block', required: false }),
    url: t.string({ description: 'The page to embed (http or https)' }),
    height: t.int({ description: 'Height in pixels; default automatic', required: false }),
  }),
});
const ChartBlockInput = builder.inputType('ChartBlockInput', {
  description: 'A block showing a chart.',
  fields: (t) => ({
    title: t.string({ description: 'A title shown above the block', required: false }),
    chart: t.globalID({ description: 'The chart to show', for: ChartType }),
  }),
});
const RecordListBlockInput = builder.inputType('RecordListBlockInput', {
  description: 'A block listing records of a module.',
  fields: (t) => ({
    title: t.string({ description: 'A title shown above the block', required: false }),
    module: t.globalID({ description: 'The module whose records it lists', for: ModuleType }),
    view: t.globalID({ description: 'A view of the module for filter, order and columns', for: ViewType, required: false }),
    fields: t.stringList({ description: 'Keys of the fields to show; default all', required: false }),
    pageSize: t.int({ required: false, description: '1 to 100; default 20' }),
  }),
});
const RecordDetailBlockInput = builder.inputType('RecordDetailBlockInput', {
  description: 'A block showing one record.',
  fields: (t) => ({
    title: t.string({ description: 'A title shown above the block', required: false }),
    fields: t.stringList({ description: "Keys of the module's fields to show; default all", required: false }),
  }),
});

export const BlockInput = builder.inputType('BlockInput', {
  description: 'One block: set exactly one of the fields.',
  isOneOf: true,
  fields: (t) => ({
    heading: t.field({ description: 'A heading', type: HeadingBlockInput, required: false }),
    text: t.field({ description: 'A text in Markdown', type: TextBlockInput, required: false }),
    chart: t.field({ description: 'A chart', type: ChartBlockInput, required: false }),
    recordList: t.field({ description: 'A list of records', type: RecordListBlockInput, required: false }),
    recordDetail: t.field({ description: 'The record of a record page', type: RecordDetailBlockInput, required: false }),
    embed: t.field({ description: 'An embedded web page', type: EmbedBlockInput, required: false }),
  }),
});

type BlockInputShape = typeof BlockInput.$inferInput;

/** The stored shape of a block input, before validation (blocks.ts validates it). */
export function blockFromInput(input: BlockInputShape): unknown {
  const { heading, text, chart, recordList, recordDetail, embed } = input;
  if (heading) return { type: 'HEADING', title: heading.title, props: { text: heading.text, level: heading.level ?? undefined } };
  if (text) return { type: 'TEXT', title: text.title, props: { body: text.body } };
  if (chart) return { type: 'CHART', title: chart.title, props: { chartId: String(chart.chart.id) } };
  if (recordList)
    return {
      type: 'RECORD_LIST',
      title: recordList.title,
      props: {
        moduleId: String(recordList.module.id),
        viewId: recordList.view ? String(recordList.view.id) : null,
        fields: recordList.fields ?? undefined,
        pageSize: recordList.pageSize ?? undefined,
      },
    };
  if (recordDetail) return { type: 'RECORD_DETAIL', title: recordDetail.title, props: { fields: recordDetail.fields ?? undefined } };
  if (embed) return { type: 'EMBED', title: embed.title, props: { url: embed.url, height: embed.height } };
  return { type: null };
}
