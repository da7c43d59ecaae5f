import { requireWorkspace, type ServiceContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { createRecords, isUuid, queryRecords, setArchived, updateRecord, type FilterInput } from '../../core/records/index.js';
import { FORM_SCOPE } from '../forms/forms.service.js';
import type { JobRun } from '../../core/jobs/job-run.js';

/** Entries one updateEntries/archiveEntries task may touch; more is refused before any write. */
export const MAX_ENTRIES_PER_TASK = 10_000;
const PAGE = 500;

/** A form by global id (`Form:<uuid>`), database id, or exact name, in the job's workspace. */
export async function resolveForm(ctx: ServiceContext, ref: string): Promise<string> {
  const { workspaceId } = requireWorkspace(ctx);
  let id: string | null = isUuid(ref) ? ref : null;
  if (!id) {
    const decoded = Buffer.from(ref, 'base64').toString('utf8');
    if (decoded.startsWith('Form:') && isUuid(decoded.slice(5))) id = decoded.slice(5);
  }
  const form = await ctx.db.collection.findFirst({ where: { workspaceId, kind: 'FORM', ...(id ? { id } : { name: ref }) }, select: { id: true } });
  if (!form) throw notFound('Form');
  return form.id;
}

async function matchingIds(ctx: ServiceContext, formId: string, filter: FilterInput): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await queryRecords(ctx, FORM_SCOPE, formId, { filter, first: PAGE, after });
    ids.push(...page.rows.map((r) => r.id));
    if (ids.length > MAX_ENTRIES_PER_TASK) throw new Error(`The filter matches more than ${MAX_ENTRIES_PER_TASK} entries; narrow it`);
    if (!page.hasNextPage || page.rows.length === 0) return ids;
    after = page.cursors[page.cursors.length - 1]!;
  }
}

export async function createEntryTask(p: { form: string; values: Record<string, unknown> }, job: JobRun) {
  const formId = await resolveForm(job.ctx, p.form);
  const [entry] = await createRecords(job.ctx, FORM_SCOPE, formId, [p.values]);
  await job.log('INFO', `Created entry #${entry!.autoNumber}`, { entryId: entry!.id });
}

/** Patches every matching entry (each write validated by the engine); ids are collected first. */
export async function updateEntriesTask(p: { form: string; filter: Record<string, unknown>; patch: Record<string, unknown> }, job: JobRun) {
  const formId = await resolveForm(job.ctx, p.form);
  const ids = await matchingIds(job.ctx, formId, p.filter as FilterInput);
  for (const id of ids) await updateRecord(job.ctx, FORM_SCOPE, id, p.patch, { mode: 'patch' });
  await job.log('INFO', `Updated ${ids.length} entr${ids.length === 1 ? 'y' : 'ies'}`, { count: ids.length });
}

export async function archiveEntriesTask(p: { form: string; filter: Record<string, unknown> }, job: JobRun) {
  const formId = await resolveForm(job.ctx, p.form);
  const ids = await matchingIds(job.ctx, formId, p.filter as FilterInput);
  for (const id of ids) await setArchived(job.ctx, FORM_SCOPE, id, true);
  await job.log('INFO', `Archived ${ids.length} entr${ids.length === 1 ? 'y' : 'ies'}`, { count: ids.length });
}
