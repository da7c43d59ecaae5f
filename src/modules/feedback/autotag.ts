import { Prisma } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../db/prisma.js';
import { rulesHoldSql } from './tag.rules.js';
import { matchedTextSentiment } from './tag-sentiment.js';

/**
 * Automatic tagging (TEXT_MATCH and SMART tags), entirely in SQL so new and existing responses
 * follow one definition: a response gets an enabled automatic tag when its feedback matches one
 * of the tag's terms as whole words, case-insensitively (PostgreSQL `~*` with `\m` / `\M` word
 * boundaries; other characters of a term are escaped, whitespace matches any whitespace run),
 * every filter rule of the tag holds, and, for a tag with scopeByParent, the response already
 * carries the parent tag.
 */

// regex pieces passed as parameters, so no SQL/JS escaping is involved
const ESCAPE_CLASS = '([^[:alnum:][:space:]])';
const ESCAPE_WITH = String.raw`\\\1`;
const SPACES = String.raw`\s+`;
const SPACES_WITH = String.raw`\\s+`;
const OPEN = String.raw`\m(?:`;
const CLOSE = String.raw`)\M`;

/** A position in the workspace's list order (feedbackDate desc, id desc). */
type ListKey = { feedbackDate: Date; id: string };

/**
 * Which responses: given ids, or a slice of the workspace's list order (newest first): after
 * `after` (exclusive) down to `upTo` (inclusive), each open when null. Slices walk the
 * (workspaceId, feedbackDate, id) index, so one workspace's re-tag never reads other workspaces.
 */
export type Scope = { responseIds: string[] } | { after: ListKey | null; upTo: ListKey | null };

function responseScopeSql(scope: Scope) {
  if ('responseIds' in scope) return Prisma.sql`r.id = ANY(CAST(${scope.responseIds} AS uuid[]))`;
  const parts: Prisma.Sql[] = [];
  if (scope.after) parts.push(Prisma.sql`(r."feedbackDate", r.id) < (${scope.after.feedbackDate}, CAST(${scope.after.id} AS uuid))`);
  if (scope.upTo) parts.push(Prisma.sql`(r."feedbackDate", r.id) >= (${scope.upTo.feedbackDate}, CAST(${scope.upTo.id} AS uuid))`);
  return parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`true`;
}

/** An assignment just made; feedback and terms only for TEXT_MATCH tags, whose sentiment is their own. */
interface Inserted {
  responseId: string;
  tagId: string;
  feedback: string | null;
  terms: string[] | null;
}

async function insertMatches(tx: Tx, workspaceId: string, scope: Scope, tagIds: string[] | null, scoped: boolean): Promise<number> {
  const tagFilter = tagIds ? Prisma.sql`AND t.id = ANY(CAST(${tagIds} AS uuid[]))` : Prisma.empty;
  const scopeFilter = scoped
    ? Prisma.sql`AND t."scopeByParent" AND t."parentId" IS NOT NULL`
    : Prisma.sql`AND NOT (t."scopeByParent" AND t."parentId" IS NOT NULL)`;
  const inserted: Inserted[] = await tx.$queryRaw`
    WITH tp AS (
      SELECT t.id, t."parentId", t."filterRules",
        ${OPEN} || string_agg(regexp_replace(regexp_replace(term, ${ESCAPE_CLASS}, ${ESCAPE_WITH}, 'g'), ${SPACES}, ${SPACES_WITH}, 'g'), '|') || ${CLOSE} AS pattern
      FROM "Tag" t CROSS JOIN LATERAL unnest(t."textMatchTerms") AS term
      WHERE t."workspaceId" = CAST(${workspaceId} AS uuid) AND t.mode IN ('TEXT_MATCH', 'SMART') AND t.enabled ${tagFilter} ${scopeFilter}
      GROUP BY t.id
    )
    , ins AS (
    INSERT INTO "ResponseTag" ("responseId", "tagId", "feedbackDate")
    SELECT r.id, tp.id, r."feedbackDate"
    FROM "Response" r JOIN tp ON r.feedback ~* tp.pattern
    WHERE r."workspaceId" = CAST(${workspaceId} AS uuid) AND ${responseScopeSql(scope)}
      AND ${rulesHoldSql(Prisma.sql`tp."filterRules"`)}
      AND (${scoped ? Prisma.sql`EXISTS (SELECT 1 FROM "ResponseTag" pt WHERE pt."responseId" = r.id AND pt."tagId" = tp."parentId")` : Prisma.sql`true`})
    ON CONFLICT DO NOTHING
    RETURNING "responseId", "tagId"
    )
    SELECT ins."responseId", ins."tagId",
      CASE WHEN t.mode = 'TEXT_MATCH' THEN r.feedback END AS feedback, CASE WHEN t.mode = 'TEXT_MATCH' THEN t."textMatchTerms" END AS terms
    FROM ins JOIN "Tag" t ON t.id = ins."tagId" JOIN "Response" r ON r.id = ins."responseId"`;
  await storeMatchSentiments(
    tx,
    inserted.filter((m) => m.feedback !== null && m.terms !== null),
  );
  return inserted.length;
}

/**
 * A new assignment copies its response's sentiment (the insert trigger); a TEXT_MATCH tag's
 * becomes the sentiment of the text that matched (tag-sentiment.ts), in one statement.
 */
async function storeMatchSentiments(tx: Tx, matches: Inserted[]) {
  if (matches.length === 0) return;
  const sentiments = matches.map((m) => matchedTextSentiment(m.feedback!, m.terms!));
  await tx.$executeRaw`
    UPDATE "ResponseTag" rt SET sentiment = CAST(s.sentiment AS "Sentiment")
    FROM unnest(CAST(${matches.map((m) => m.responseId)} AS uuid[]), CAST(${matches.map((m) => m.tagId)} AS uuid[]), CAST(${sentiments} AS text[])) AS s(response_id, tag_id, sentiment)
    WHERE rt."responseId" = s.response_id AND rt."tagId" = s.tag_id AND rt.sentiment IS DISTINCT FROM CAST(s.sentiment AS "Sentiment")`;
}

/** Applies automatic tags (all of them, or `tagIds`) to the responses in scope. Returns assignments made. */
export async function applyAutoTags(tx: Tx, workspaceId: string, scope: Scope, tagIds: string[] | null = null): Promise<number> {
  let total = await insertMatches(tx, workspaceId, scope, tagIds, false);
  // scoped tags depend on their parent's assignments: repeat for nested scoped tags (bounded depth)
  for (let depth = 0; depth < 8; depth++) {
    const n = await insertMatches(tx, workspaceId, scope, tagIds, true);
    total += n;
    if (n === 0) break;
  }
  return total;
}

export interface RetagParams {
  workspaceId: string;
  tagIds: string[];
  /** responses per transaction (default RETAG_CHUNK) */
  chunkSize?: number;
}

export interface RetagRun {
  log(level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR', message: string, data?: unknown): Promise<void>;
  progress(done: number, total: number): Promise<void>;
  throwIfCancelled(): void;
}

export const RETAG_CHUNK = 5000;

/**
 * Re-tags every existing response of the workspace for the given tags (and their scoped
 * descendants): per chunk of responses, in one transaction, their assignments of those tags are
 * removed and recomputed, so readers never see a half-done chunk. Tags that are gone, disabled or
 * no longer automatic lose their automatic assignments; MANUAL assignments are never touched.
 */
export async function retagResponses(db: Db, params: RetagParams, run: RetagRun): Promise<{ responses: number; assignments: number }> {
  const { workspaceId } = params;
  const tags = await collectScopedDescendants(db, workspaceId, params.tagIds);
  if (tags.length === 0) {
    await run.log('INFO', 'No automatic tags to re-apply');
    await run.progress(0, 0);
    return { responses: 0, assignments: 0 };
  }
  const total = await db.response.count({ where: { workspaceId } });
  await run.log('INFO', `Re-tagging ${total} responses for ${tags.length} tag(s)`, { tagIds: tags });
  await run.progress(0, total);
  let done = 0;
  let assignments = 0;
  let after: ListKey | null = null;
  for (;;) {
    run.throwIfCancelled();
    const bound: ListKey[] = await db.$queryRaw`
      SELECT "feedbackDate", id FROM "Response" r WHERE r."workspaceId" = CAST(${workspaceId} AS uuid)
        AND ${responseScopeSql({ after, upTo: null })}
      ORDER BY r."feedbackDate" DESC, r.id DESC OFFSET ${(params.chunkSize ?? RETAG_CHUNK) - 1} LIMIT 1`;
    const upTo: ListKey | null = bound[0] ?? null;
    const scope: Scope = { after, upTo };
    const [inChunk, made] = await db.$transaction(async (tx) => {
      const count: { n: number }[] = await tx.$queryRaw`
        SELECT CAST(count(*) AS int) AS n FROM "Response" r WHERE r."workspaceId" = CAST(${workspaceId} AS uuid) AND ${responseScopeSql(scope)}`;
      await tx.$executeRaw`
        DELETE FROM "ResponseTag" rt USING "Response" r, "Tag" t
        WHERE rt."responseId" = r.id AND rt."tagId" = t.id AND t.mode <> 'MANUAL'
          AND rt."tagId" = ANY(CAST(${tags} AS uuid[])) AND r."workspaceId" = CAST(${workspaceId} AS uuid) AND ${responseScopeSql(scope)}`;
      return [count[0]!.n, await applyAutoTags(tx, workspaceId, scope, tags)] as const;
    });
    done += inChunk;
    assignments += made;
    await run.progress(done, Math.max(total, done));
    if (!upTo) break;
    after = upTo;
  }
  await run.log('INFO', `Re-tagged ${done} responses: ${assignments} assignment(s)`);
  return { responses: done, assignments };
}

/** The tags plus, transitively, their children that are scoped by their parent. */
async function collectScopedDescendants(db: Db, workspaceId: string, tagIds: string[]): Promise<string[]> {
  if (tagIds.length === 0) return [];
  const rows: { id: string }[] = await db.$queryRaw`
    WITH RECURSIVE tree AS (
      SELECT id FROM "Tag" WHERE "workspaceId" = CAST(${workspaceId} AS uuid) AND id = ANY(CAST(${tagIds} AS uuid[]))
      UNION
      SELECT c.id FROM "Tag" c JOIN tree ON c."parentId" = tree.id WHERE c."scopeByParent"
    )
    SELECT id FROM tree`;
  return rows.map((r) => r.id);
}
