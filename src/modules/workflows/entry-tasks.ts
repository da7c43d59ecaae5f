import { requireWorkspace, type ServiceContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { createRecords, isUuid, queryRecords, setArchived, updateRecord, type FilterInput, type RecordScope } from '../../core/records/index.js';
import { FORM_SCOPE } from '../forms/forms.service.js';
import { MODULE_SCOPE } from '../crm/module.service.js';
import type { JobRun } from '../../core/jobs/job-run.js';
import type { TaskRunContext } from './task-types.js';

/** Entries one updateEntries/archiveEntries task may touch; more is refused before any write. */
export const MAX_ENTRIES_PER_TASK = 10_000;
const PAGE = 500;

/** What an entry task works on: a form's entries or a CRM module's records (exactly one is given). */
export interface CollectionRef {
  form?: string;
  module?: string;
}

interface Collection {
  id: string;
  scope: RecordScope;
}

/**
 * A form or module by global id (`Form:<uuid>`, `Module:<uuid>`), database id or exact name (a
 * module also by handle), in the job's workspace.
 */
export async function resolveCollection(ctx: ServiceContext, ref: CollectionRef): Promise<Collection> {
  const { workspaceId } = requireWorkspace(ctx);
  const scope = ref.module !== undefined ? MODULE_SCOPE : FORM_SCOPE;
  const given = (ref.module ?? ref.form)!;
  let id: string | null = isUuid(given) ? given : null;
  if (!id) {
    const decoded = Buffer.from(given, 'base64').toString('utf8');
    const prefix = `${scope.collectionNoun}:`;
    if (decoded.startsWith(prefix) && isUuid(decoded.slice(prefix.length))) id = decoded.slice(prefix.length);
  }
  const byName = scope === MODULE_SCOPE ? { OR: [{ name: given }, { handle: given }] } : { name: given };
  const found = await ctx.db.collection.findFirst({ where: { workspaceId, kind: scope.kind, ...(id ? { id } : byName) }, select: { id: true } });
  if (!found) throw notFound(scope.collectionNoun);
  return { id: found.id, scope };
}

const counted = (n: number, scope: RecordScope) => (scope === FORM_SCOPE ? `${n} entr${n === 1 ? 'y' : 'ies'}` : `${n} record${n === 1 ? '' : 's'}`);

async function matchingIds(ctx: ServiceContext, collection: Collection, filter: FilterInput): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await queryRecords(ctx, collection.scope, collection.id, { filter, first: PAGE, after });
    ids.push(...page.rows.map((r) => r.id));
    if (ids.length > MAX_ENTRIES_PER_TASK) throw new Error(`The filter matches more than ${counted(MAX_ENTRIES_PER_TASK, collection.scope)}; narrow it`);
    if (!page.hasNextPage || page.rows.length === 0) return ids;
    after = page.cursors[page.cursors.length - 1]!;
  }
}

/** Idempotent by job and task index: the record commits together with the task's finished record. */
export async function createEntryTask(p: CollectionRef & { values: Record<string, unknown> }, t: TaskRunContext) {
  const { scope, created } = await t.atomically(async (ctx) => {
    const collection = await resolveCollection(ctx, p);
    const [row] = await createRecords(ctx, collection.scope, collection.id, [p.values]);
    return { scope: collection.scope, created: row! };
  });
  await t.job.log('INFO', `Created ${scope.recordNoun === 'Entry' ? 'entry' : 'record'} #${created.autoNumber}`, {
    [scope === FORM_SCOPE ? 'entryId' : 'recordId']: created.id,
  });
}

/** Patches every matching record (each write validated by the engine); ids are collected first. */
export async function updateEntriesTask(p: CollectionRef & { filter: Record<string, unknown>; patch: Record<string, unknown> }, job: JobRun) {
  const collection = await resolveCollection(job.ctx, p);
  const ids = await matchingIds(job.ctx, collection, p.filter as FilterInput);
  for (const id of ids) await updateRecord(job.ctx, collection.scope, id, p.patch, { mode: 'patch' });
  await job.log('INFO', `Updated ${counted(ids.length, collection.scope)}`, { count: ids.length });
}

export async function archiveEntriesTask(p: CollectionRef & { filter: Record<string, unknown> }, job: JobRun) {
  const collection = await resolveCollection(job.ctx, p);
  const ids = await matchingIds(job.ctx, collection, p.filter as FilterInput);
  for (const id of ids) await setArchived(job.ctx, collection.scope, id, true);
  await job.log('INFO', `Archived ${counted(ids.length, collection.scope)}`, { count: ids.length });
}
