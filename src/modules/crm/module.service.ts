/**
 * CRM modules are collections of kind MODULE in the shared records engine; their records are the
 * engine's records. This file holds only what is CRM-specific: a module needs a handle, and a
 * module that pages use is not deleted unless forced.
 */
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, failedDependency, type FieldIssue } from '../../errors.js';
import {
  createCollection,
  deleteCollection,
  loadSchema,
  updateCollection,
  type CollectionInput,
  type RecordScope,
  type RecordsContext,
} from '../../core/records/index.js';

export const MODULE_SCOPE: RecordScope = { kind: 'MODULE', collectionNoun: 'Module', recordNoun: 'Record' };

export async function createModule(ctx: RecordsContext, input: CollectionInput) {
  const issues: FieldIssue[] = [];
  if (!input.handle?.trim()) issues.push({ path: ['handle'], code: 'REQUIRED', message: 'A module needs a handle, e.g. "opportunity"' });
  assertNoIssues(issues);
  return createCollection(ctx, MODULE_SCOPE, { ...input, handle: input.handle!.trim() });
}

export async function updateModule(ctx: RecordsContext, id: string, input: { name?: string | null; description?: string | null; handle?: string | null }) {
  if (input.handle === null) assertNoIssues([{ path: ['handle'], code: 'REQUIRED', message: 'A module keeps a handle' }]);
  return updateCollection(ctx, MODULE_SCOPE, id, input);
}

/** Titles of the pages that use a module: its record pages, and blocks listing its records or showing its charts. */
export async function pagesUsingModule(ctx: RecordsContext, moduleId: string): Promise<{ id: string; title: string }[]> {
  const { workspaceId } = requireWorkspace(ctx);
  return ctx.db.$queryRaw<{ id: string; title: string }[]>`
    select p.id::text as id, p.title from "Page" p
    where p."workspaceId" = ${workspaceId}::uuid
      and (p."moduleId" = ${moduleId}::uuid
        or p.blocks @> ${JSON.stringify([{ type: 'RECORD_LIST', props: { moduleId } }])}::jsonb
        or exists (
          select 1 from "Chart" c
          where c."moduleId" = ${moduleId}::uuid
            and p.blocks @> jsonb_build_array(jsonb_build_object('type', 'CHART', 'props', jsonb_build_object('chartId', c.id::text)))))
    order by p.title`;
}

/**
 * Deletes a module with its fields, records, views and charts. Refused while pages use it, unless
 * `force`: then its record pages become ordinary pages and blocks that referenced it show nothing.
 */
export async function deleteModule(ctx: RecordsContext, id: string, force = false) {
  await loadSchema(ctx, id, MODULE_SCOPE);
  if (!force) {
    const pages = await pagesUsingModule(ctx, id);
    if (pages.length) {
      const names = pages
        .slice(0, 5)
        .map((p) => `"${p.title}"`)
        .join(', ');
      throw failedDependency(`${pages.length} page(s) use this module (${names}${pages.length > 5 ? ', …' : ''}); change them first or delete with force`);
    }
  }
  return deleteCollection(ctx, MODULE_SCOPE, id);
}
