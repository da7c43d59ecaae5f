import { type LoaderContext, loaderFor } from '../../loaders.js';
import { notFound } from '../../errors.js';
import type { Collection, FieldDef } from '../../generated/prisma/client.js';
import { isFieldType, type FieldType } from './field-types.js';
import type { FormulaType } from './formula/compile.js';
import { isUuid, query, runnerFor, sql } from './sql.js';

export type CollectionKind = 'FORM' | 'MODULE';

export interface SelectOption {
  id: string;
  label: string;
  order: number;
}

export type RollupFunction = 'SUM' | 'AVG' | 'MIN' | 'MAX' | 'COUNT';

export interface FieldConfig {
  /** LINK: the collection whose records it links */
  targetCollectionId?: string;
  /** COUNT, ROLLUP: the key of a LINK field of the same collection */
  linkField?: string;
  /** ROLLUP: the key of a NUMBER field of the linked collection */
  targetField?: string;
  /** ROLLUP */
  function?: RollupFunction;
  /** CURRENCY: ISO 4217 code every value of the field is in */
  currency?: string;
  /** FORMULA: the expression (src/core/records/formula/compile.ts) */
  expression?: string;
  /** FORMULA: the type of its value, found when the expression is checked */
  resultType?: FormulaType;
}

export interface FieldDefinition {
  id: string;
  collectionId: string;
  key: string;
  label: string;
  description: string | null;
  type: FieldType;
  required: boolean;
  allowMultiple: boolean;
  options: SelectOption[];
  defaultValue: unknown;
  position: number;
  visible: boolean;
  indexed: boolean;
  config: FieldConfig;
  /** LINK: the kind of the linked collection (read with the schema, not stored) */
  targetKind?: CollectionKind;
}

/** What records queries take from a saved view. */
export interface SavedView {
  id: string;
  filter: unknown;
  orderBy: unknown;
  search: string | null;
  visibleFields: string[];
}

export interface CollectionSchema {
  collection: Collection;
  fields: FieldDefinition[];
  byKey: Map<string, FieldDefinition>;
  /** the view `isDefault` marks, applied when a query names no view */
  defaultView?: SavedView | null;
}

/** How a face (forms, CRM modules) names things: used for not-found messages and kind checks. */
export interface RecordScope {
  kind: CollectionKind;
  /** e.g. "Form" */
  collectionNoun: string;
  /** e.g. "Entry" */
  recordNoun: string;
}

/** Per-request memo: services accept any context; GraphQL contexts bring a `loaders` map. */
export type RecordsContext = LoaderContext;

export function toFieldDefinition(row: FieldDef & { targetKind?: CollectionKind | null }): FieldDefinition {
  if (!isFieldType(row.type)) throw new Error(`unknown field type ${row.type} on field ${row.id}`);
  return {
    id: row.id,
    collectionId: row.collectionId,
    key: row.key,
    label: row.label,
    description: row.description,
    type: row.type,
    required: row.required,
    allowMultiple: row.allowMultiple,
    options: ((row.options as SelectOption[] | null) ?? []).slice().sort((a, b) => a.order - b.order),
    defaultValue: row.defaultValue ?? null,
    position: row.position,
    visible: row.visible,
    indexed: row.indexed,
    config: (row.config as FieldConfig | null) ?? {},
    ...(row.targetKind ? { targetKind: row.targetKind } : {}),
  };
}

export function buildSchema(collection: Collection, rows: FieldDef[], defaultView: SavedView | null = null): CollectionSchema {
  const fields = rows.map(toFieldDefinition).sort((a, b) => a.position - b.position || a.key.localeCompare(b.key));
  return { collection, fields, byKey: new Map(fields.map((f) => [f.key, f])), defaultView };
}

/**
 * The collection and its fields, scoped to the caller's workspace: one statement, memoised per
 * request. Schemas asked for while one request resolves a level of its selection load together
 * (a list of 50 forms with their fields costs one query, not 50). Another workspace's collection
 * answers exactly like a missing one.
 */
export async function loadSchema(ctx: RecordsContext, collectionId: string, scope: RecordScope): Promise<CollectionSchema> {
  const schema = isUuid(collectionId) ? await schemas(ctx).load(collectionId) : null;
  if (!schema || schema.collection.kind !== scope.kind) throw notFound(scope.collectionNoun);
  return schema;
}

const schemas = (ctx: RecordsContext) =>
  loaderFor(ctx, 'records:schemas', async (ids, workspaceId) => {
    const found = await loadMany(ctx, workspaceId, [...ids]);
    return ids.map((id) => found.get(id) ?? null);
  });

async function loadMany(ctx: RecordsContext, workspaceId: string, ids: string[]): Promise<Map<string, CollectionSchema>> {
  // one statement: the collections and their fields as JSON
  const rows = await query<{ collection: Record<string, unknown>; fields: FieldDef[]; defaultView: SavedView | null }>(
    runnerFor(ctx),
    sql`select to_jsonb(c) as collection, coalesce((select jsonb_agg(to_jsonb(f) || jsonb_build_object('targetKind', t.kind)) from "FieldDef" f left join "Collection" t on f.type = 'LINK' and t.id = (f.config->>'targetCollectionId')::uuid where f."collectionId" = c.id), '[]'::jsonb) as fields,
          (select jsonb_build_object('id', v.id, 'filter', v.filter, 'orderBy', v."orderBy", 'search', v.search, 'visibleFields', to_jsonb(v."visibleFields")) from "View" v where v."collectionId" = c.id and v."isDefault" order by v."createdAt" limit 1) as "defaultView"
        from "Collection" c where c.id = any(${ids}::uuid[]) and c."workspaceId" = ${workspaceId}::uuid`,
  );
  const utc = (v: unknown) => new Date(`${String(v)}Z`);
  return new Map(
    rows.map((row) => {
      const collection = { ...row.collection, createdAt: utc(row.collection.createdAt), updatedAt: utc(row.collection.updatedAt) } as unknown as Collection;
      return [collection.id, buildSchema(collection, row.fields, row.defaultView)];
    }),
  );
}

/** Forget the memo after changing a collection's fields within the same request. */
export function forgetSchema(ctx: RecordsContext, collectionId: string) {
  schemas(ctx).clear(collectionId);
}
