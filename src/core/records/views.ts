import { requireWorkspace } from '../../context.js';
import { assertNoIssues, notFound, type FieldIssue } from '../../errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import { scalarExpr } from './expressions.js';
import { effectiveType, FIELD_TYPE_SPECS } from './field-types.js';
import { compileFilter, type FilterInput } from './filter.js';
import { compileOrder, type OrderInput } from './query.js';
import { forgetSchema, loadSchema, type CollectionSchema, type RecordScope, type RecordsContext } from './schema.js';
import { isUuid } from './sql.js';

export interface ViewInput {
  name?: string | null;
  filter?: FilterInput | null;
  orderBy?: OrderInput[] | null;
  search?: string | null;
  visibleFields?: string[] | null;
  isDefault?: boolean | null;
  description?: string | null;
  kind?: ViewKind | null;
  groupByField?: string | null;
}

export const VIEW_KINDS = ['TABLE', 'BOARD', 'CALENDAR', 'GALLERY', 'LIST'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

function checkView(schema: CollectionSchema, input: ViewInput, requireName: boolean) {
  const issues: FieldIssue[] = [];
  if ((requireName || input.name !== undefined) && !input.name?.trim()) issues.push({ path: ['name'], code: 'REQUIRED', message: 'A view needs a name' });
  for (const [i, key] of (input.visibleFields ?? []).entries()) {
    if (!schema.byKey.has(key)) issues.push({ path: ['visibleFields', String(i)], code: 'UNKNOWN_FIELD', message: `No field with key "${key}"` });
  }
  if (input.groupByField != null) {
    const field = schema.byKey.get(input.groupByField);
    if (!field) issues.push({ path: ['groupByField'], code: 'UNKNOWN_FIELD', message: `No field with key "${input.groupByField}"` });
    else if (!FIELD_TYPE_SPECS[effectiveType(field)].groupable || !scalarExpr(schema, field))
      issues.push({ path: ['groupByField'], code: 'NOT_GROUPABLE', message: `Records cannot be grouped by "${field.key}" (${field.type})` });
  }
  if (input.kind === 'BOARD' && !input.groupByField) issues.push({ path: ['groupByField'], code: 'REQUIRED', message: 'A BOARD view needs groupByField' });
  assertNoIssues(issues);
  // compiling proves the filter and order are valid for this collection (throws BAD_USER_INPUT)
  if (input.filter) compileFilter(schema, input.filter);
  if (input.orderBy) compileOrder(schema, input.orderBy);
}

export async function createView(ctx: RecordsContext, scope: RecordScope, collectionId: string, input: ViewInput) {
  const schema = await loadSchema(ctx, collectionId, scope);
  checkView(schema, input, true);
  return ctx.db
    .$transaction(async (tx) => {
      if (input.isDefault) await tx.view.updateMany({ where: { collectionId }, data: { isDefault: false } });
      return tx.view.create({
        data: {
          workspaceId: schema.collection.workspaceId,
          collectionId,
          name: input.name!.trim(),
          filter: (input.filter ?? undefined) as unknown as Prisma.InputJsonValue | undefined,
          orderBy: (input.orderBy ?? undefined) as unknown as Prisma.InputJsonValue | undefined,
          search: input.search ?? null,
          visibleFields: input.visibleFields ?? [],
          isDefault: !!input.isDefault,
          description: input.description ?? null,
          kind: input.kind ?? 'TABLE',
          groupByField: input.groupByField ?? null,
        },
      });
    })
    .finally(() => forgetSchema(ctx, collectionId));
}

export async function viewOf(ctx: RecordsContext, scope: RecordScope, viewId: string) {
  const { workspaceId } = requireWorkspace(ctx);
  const view = isUuid(viewId) ? await ctx.db.view.findFirst({ where: { id: viewId, workspaceId, collection: { kind: scope.kind } } }) : null;
  if (!view) throw notFound('View');
  return view;
}

export async function updateView(ctx: RecordsContext, scope: RecordScope, viewId: string, input: ViewInput) {
  const view = await viewOf(ctx, scope, viewId);
  const schema = await loadSchema(ctx, view.collectionId, scope);
  checkView(
    schema,
    { ...input, kind: input.kind ?? (view.kind as ViewKind), groupByField: input.groupByField === undefined ? view.groupByField : input.groupByField },
    false,
  );
  forgetSchema(ctx, view.collectionId);
  return ctx.db.$transaction(async (tx) => {
    if (input.isDefault) await tx.view.updateMany({ where: { collectionId: view.collectionId, id: { not: viewId } }, data: { isDefault: false } });
    return tx.view.update({
      where: { id: viewId },
      data: {
        name: input.name?.trim() ?? undefined,
        filter: input.filter === undefined ? undefined : input.filter ? (input.filter as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
        orderBy: input.orderBy === undefined ? undefined : input.orderBy ? (input.orderBy as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
        search: input.search === undefined ? undefined : input.search,
        visibleFields: input.visibleFields ?? undefined,
        isDefault: input.isDefault ?? undefined,
        description: input.description === undefined ? undefined : input.description,
        kind: input.kind ?? undefined,
        groupByField: input.groupByField === undefined ? undefined : input.groupByField,
      },
    });
  });
}

export async function deleteView(ctx: RecordsContext, scope: RecordScope, viewId: string) {
  const view = await viewOf(ctx, scope, viewId);
  await ctx.db.view.delete({ where: { id: viewId } });
  forgetSchema(ctx, view.collectionId);
  return view;
}

/** Query arguments with a view applied: the view's filter ANDed with the given one; the given order wins. */
export function applyView<T extends { filter?: FilterInput | null; orderBy?: OrderInput[] | null; search?: string | null }>(
  args: T,
  view: { filter: unknown; orderBy: unknown; search: string | null } | null,
): T {
  if (!view) return args;
  const filters = [view.filter as FilterInput | null, args.filter].filter((f): f is FilterInput => !!f);
  return {
    ...args,
    filter: filters.length > 1 ? { and: filters } : (filters[0] ?? null),
    orderBy: args.orderBy?.length ? args.orderBy : ((view.orderBy as OrderInput[] | null) ?? null),
    search: args.search ?? view.search,
  };
}
