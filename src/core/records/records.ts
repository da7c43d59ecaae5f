import { randomUUID } from 'node:crypto';
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, badInput, conflict, notFound, type FieldIssue } from '../../errors.js';
import { aggregate, type AggregateArgs, type AggregateResult } from './aggregate.js';
import { pageRecords, readRecords, ROW_COLUMNS, type QueryArgs, type RecordPage, type RecordRow } from './query.js';
import { FIELD_TYPE_SPECS } from './field-types.js';
import { loadSchema, type CollectionSchema, type RecordScope, type RecordsContext } from './schema.js';
import { execute, isUuid, keyLiteral, query, runnerFor, sql, uuidLiteral, type Runner } from './sql.js';
import { collectReferences, emptyReferences, validateValues, type Json, type References } from './values.js';

export const MAX_BULK_CREATE = 1000;

/**
 * Proves that LINK, USER and FILE references exist in the caller's workspace (one statement per
 * kind present), and fills FILE values with the files' metadata.
 */
async function checkReferences(db: Runner, workspaceId: string, refs: References): Promise<{ missing: Set<string>; files: Map<string, Json> }> {
  const missing = new Set<string>();
  const files = new Map<string, Json>();
  const links = [...refs.records.entries()].flatMap(([collectionId, ids]) => [...ids].map((id) => ({ collectionId, id })));
  if (links.length) {
    const found = await query<{ id: string; collectionId: string }>(
      db,
      sql`select id::text, "collectionId"::text from "Record" where "workspaceId" = ${uuidLiteral(workspaceId)} and id = any(${links.map((l) => l.id)}::uuid[])`,
    );
    const ok = new Set(found.map((f) => `${f.collectionId}/${f.id}`));
    for (const l of links) if (!ok.has(`${l.collectionId}/${l.id}`)) missing.add(l.id);
  }
  if (refs.users.size) {
    const found = await query<{ userId: string }>(
      db,
      sql`select "userId"::text from "Membership" where "workspaceId" = ${uuidLiteral(workspaceId)} and "userId" = any(${[...refs.users]}::uuid[])`,
    );
    const ok = new Set(found.map((f) => f.userId));
    for (const id of refs.users) if (!ok.has(id)) missing.add(id);
  }
  if (refs.files.size) {
    const found = await query<{ id: string; name: string; size: number; contentType: string }>(
      db,
      sql`select id::text, name, size, "contentType" from "StoredFile" where "workspaceId" = ${uuidLiteral(workspaceId)} and id = any(${[...refs.files]}::uuid[])`,
    );
    for (const f of found) files.set(f.id, { id: f.id, name: f.name, size: f.size, contentType: f.contentType });
    for (const id of refs.files) if (!files.has(id)) missing.add(id);
  }
  return { missing, files };
}

/** Validates a batch of value objects, reporting every issue (unknown references included) with its path; nothing is written. */
async function prepare(
  ctx: RecordsContext,
  schema: CollectionSchema,
  inputs: Array<{ values: unknown; current?: Record<string, Json>; path: string[] }>,
  mode: 'create' | 'replace' | 'patch',
): Promise<Record<string, Json>[]> {
  const { workspaceId } = requireWorkspace(ctx);
  const issues: FieldIssue[] = [];
  const refs = emptyReferences();
  const results = inputs.map((input) => {
    const r = validateValues(schema, input.values, mode, input.path, input.current);
    issues.push(...r.issues);
    collectReferences(schema, r.values, refs);
    return r.values;
  });
  // references of the values that are valid are checked even when others are not: one answer
  // lists every problem
  const { missing, files } = await checkReferences(runnerFor(ctx), workspaceId, refs);
  results.forEach((values, i) => {
    for (const [key, v] of Object.entries(values)) {
      const field = schema.byKey.get(key)!;
      if (field.type !== 'LINK' && field.type !== 'USER' && field.type !== 'FILE') continue;
      const list = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x.id as string) : (x as string)));
      const gone = list.filter((id) => missing.has(id));
      if (gone.length) {
        const what = field.type === 'LINK' ? 'record' : field.type === 'USER' ? 'workspace member' : 'file';
        issues.push({ path: [...inputs[i]!.path, key], code: 'NOT_FOUND', message: `No ${what} with id ${gone.join(', ')}` });
      } else if (field.type === 'FILE') values[key] = list.map((id) => files.get(id)!);
    }
  });
  assertNoIssues(issues);
  return results;
}

/**
 * Creates records atomically: all are validated first (every issue reported), then the
 * auto-numbers are taken with one `update ... returning` (a row lock, so concurrent creates never
 * share a number) and the rows written with one multi-row insert, in one transaction.
 */
export async function createRecords(
  ctx: RecordsContext,
  scope: RecordScope,
  collectionId: string,
  inputs: unknown[],
  path: string[] = ['values'],
): Promise<RecordRow[]> {
  const principal = requireWorkspace(ctx);
  if (inputs.length === 0) return [];
  if (inputs.length > MAX_BULK_CREATE)
    throw badInput(`At most ${MAX_BULK_CREATE} records per call`, [{ path, code: 'TOO_MANY', message: `At most ${MAX_BULK_CREATE}` }]);
  const schema = await loadSchema(ctx, collectionId, scope);
  const many = inputs.length > 1;
  const values = await prepare(
    ctx,
    schema,
    inputs.map((v, i) => ({ values: v, path: many ? [...path, String(i)] : path })),
    'create',
  );
  // one statement, so atomic without a transaction: the counter row is locked while the
  // numbers are taken, then every row is inserted and read back with its computed values
  const rows = values.map((v, i) => ({ id: randomUUID(), v, i }));
  const inserted = await query<RecordRow>(
    runnerFor(ctx),
    sql`with n as (
          update "Collection" set "nextAutoNumber" = "nextAutoNumber" + ${values.length}::int where id = ${uuidLiteral(schema.collection.id)} returning "nextAutoNumber" - ${values.length}::int as first
        ), ins as (
          insert into "Record" (id, "workspaceId", "collectionId", values, "autoNumber", "createdById", "updatedAt")
          select x.id, ${principal.workspaceId}::uuid, ${schema.collection.id}::uuid, x.v, n.first + x.i, ${principal.userId}::uuid, now()
          from n, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, v jsonb, i int)
          returning *
        )
        select ${ROW_COLUMNS(schema)} from ins r order by r."autoNumber"`,
  );
  return inserted;
}

/** A record of the caller's workspace and the face's kind, with its collection's schema. */
export async function loadRecord(ctx: RecordsContext, scope: RecordScope, recordId: string): Promise<{ schema: CollectionSchema; record: RecordRow }> {
  const { workspaceId } = requireWorkspace(ctx);
  const [row] = isUuid(recordId)
    ? await query<{ collectionId: string }>(
        runnerFor(ctx),
        sql`select "collectionId"::text as "collectionId" from "Record" where id = ${recordId}::uuid and "workspaceId" = ${workspaceId}::uuid`,
      )
    : [];
  if (!row) throw notFound(scope.recordNoun);
  const schema = await loadSchema(ctx, row.collectionId, scope).catch(() => {
    throw notFound(scope.recordNoun);
  });
  const [record] = await readRecords(runnerFor(ctx), schema, [recordId]);
  if (!record) throw notFound(scope.recordNoun);
  return { schema, record };
}

export interface UpdateOptions {
  /** replace: the values become exactly the input; patch: only the given keys change (null clears) */
  mode: 'replace' | 'patch';
  /** when given, a record at another version answers CONFLICT and nothing is written */
  expectedVersion?: number | null;
}

/** Stored values only (computed ones are re-derived on read). */
function storedValues(schema: CollectionSchema, values: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(values)) {
    const f = schema.byKey.get(k);
    if (f && !FIELD_TYPE_SPECS[f.type].readOnly) out[k] = v;
  }
  return out;
}

/**
 * Replaces or patches a record's values. The write is conditional on the version that was read
 * (`where version = $read`): a concurrent writer makes it retry (patch) or, with an expected
 * version, answer CONFLICT. Bumps `version`.
 */
export async function updateRecord(
  ctx: RecordsContext,
  scope: RecordScope,
  recordId: string,
  input: unknown,
  options: UpdateOptions,
  path: string[] = ['values'],
): Promise<RecordRow> {
  for (let attempt = 0; ; attempt++) {
    const { schema, record } = await loadRecord(ctx, scope, recordId);
    if (options.expectedVersion != null && record.version !== options.expectedVersion) {
      throw conflict(`${scope.recordNoun} is at version ${record.version}, not ${options.expectedVersion}; read it again and retry`);
    }
    const [values] = await prepare(ctx, schema, [{ values: input, current: storedValues(schema, record.values), path }], options.mode);
    const [updated] = await query<RecordRow>(
      runnerFor(ctx),
      sql`update "Record" as r set values = ${JSON.stringify(values)}::jsonb, version = r.version + 1, "updatedAt" = now()
          where r.id = ${uuidLiteral(recordId)} and r.version = ${record.version}::int returning ${ROW_COLUMNS(schema)}`,
    );
    if (updated) return updated;
    if (options.expectedVersion != null || attempt >= 3) throw conflict(`${scope.recordNoun} was changed by someone else; read it again and retry`);
  }
}

export async function setArchived(
  ctx: RecordsContext,
  scope: RecordScope,
  recordId: string,
  archived: boolean,
  expectedVersion?: number | null,
): Promise<RecordRow> {
  const { schema, record } = await loadRecord(ctx, scope, recordId);
  if (expectedVersion != null && record.version !== expectedVersion)
    throw conflict(`${scope.recordNoun} is at version ${record.version}, not ${expectedVersion}`);
  if (record.archived === archived) return record;
  const [updated] = await query<RecordRow>(
    runnerFor(ctx),
    sql`update "Record" as r set archived = ${archived}, version = r.version + 1, "updatedAt" = now() where r.id = ${uuidLiteral(recordId)} returning ${ROW_COLUMNS(schema)}`,
  );
  return updated!;
}

/** Deletes a record and removes it from LINK fields that point at it, in one transaction. */
export async function deleteRecord(ctx: RecordsContext, scope: RecordScope, recordId: string): Promise<RecordRow> {
  const { workspaceId } = requireWorkspace(ctx);
  const { record } = await loadRecord(ctx, scope, recordId);
  const links = await ctx.db.fieldDef.findMany({
    where: { type: 'LINK', collection: { workspaceId }, config: { path: ['targetCollectionId'], equals: record.collectionId } },
    select: { key: true, collectionId: true },
  });
  await ctx.db.$transaction(async (tx) => {
    await execute(tx, sql`delete from "Record" where id = ${uuidLiteral(recordId)}`);
    for (const l of links) {
      await execute(
        tx,
        sql`update "Record" set values = case when jsonb_array_length((values->${keyLiteral(l.key)}) - ${recordId}::text) = 0 then values - ${keyLiteral(l.key)} else jsonb_set(values, array[${keyLiteral(l.key)}], (values->${keyLiteral(l.key)}) - ${recordId}::text) end, version = version + 1, "updatedAt" = now()
            where "collectionId" = ${uuidLiteral(l.collectionId)} and values->${keyLiteral(l.key)} @> jsonb_build_array(${recordId}::text)`,
      );
    }
  });
  return record;
}

/** A page of records of one collection: filter, search, order, cursors (see query.ts). */
export async function queryRecords(ctx: RecordsContext, scope: RecordScope, collectionId: string, args: QueryArgs): Promise<RecordPage> {
  const schema = await loadSchema(ctx, collectionId, scope);
  return pageRecords(runnerFor(ctx), schema, args);
}

export async function aggregateRecords(ctx: RecordsContext, scope: RecordScope, collectionId: string, args: AggregateArgs): Promise<AggregateResult> {
  const schema = await loadSchema(ctx, collectionId, scope);
  return aggregate(runnerFor(ctx), schema, args);
}

/** Non-archived record counts of several collections in one statement (for `entryCount` lists). */
export async function countRecords(db: Runner, collectionIds: string[]): Promise<Map<string, number>> {
  const ids = collectionIds.filter(isUuid);
  if (!ids.length) return new Map();
  const rows = await query<{ id: string; n: number }>(
    db,
    sql`select "collectionId"::text as id, count(*)::int as n from "Record" where "collectionId" = any(${ids}::uuid[]) and not archived group by 1`,
  );
  return new Map(ids.map((id) => [id, rows.find((r) => r.id === id)?.n ?? 0]));
}
