import { Prisma } from '../../generated/prisma/client.js';
import type { ServiceContext } from '../../context.js';
import type { Tx } from '../../db/prisma.js';
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, failedDependency, type FieldIssue } from '../../errors.js';
import { categoryByKey } from './onboarding.catalog.js';

export const ONBOARDING_REQUIRED_MESSAGE = 'Complete feedback onboarding first: choose a product category with updateOnboarding(onboarded: true)';

/** Onboarded workspaces per service context (one request or one job); only the positive answer is kept. */
const onboardedContexts = new WeakMap<object, string>();

/**
 * The workspace of the caller, once its feedback onboarding is complete; every feedback operation
 * except onboarding itself starts here. Fails FAILED_DEPENDENCY before onboarding.
 */
export async function feedbackWorkspace(ctx: ServiceContext): Promise<string> {
  const { workspaceId } = requireWorkspace(ctx);
  if (onboardedContexts.get(ctx) === workspaceId) return workspaceId;
  const row = await ctx.db.feedbackOnboarding.findUnique({ where: { workspaceId }, select: { onboarded: true } });
  if (!row?.onboarded) throw failedDependency(ONBOARDING_REQUIRED_MESSAGE);
  onboardedContexts.set(ctx, workspaceId);
  return workspaceId;
}

/** The gate as a column `"onboarded"`, for a list to answer in its own statement (see pageWithFacts). */
export const onboardedColumn = (workspaceId: string) =>
  Prisma.sql`coalesce((SELECT o.onboarded FROM "FeedbackOnboarding" o WHERE o."workspaceId" = CAST(${workspaceId} AS uuid)), false) AS "onboarded"`;

/** Passes the gate on the answer of onboardedColumn; later gates of the same request then cost nothing. */
export function passOnboardingGate(ctx: ServiceContext, workspaceId: string, onboarded: boolean) {
  if (!onboarded) throw failedDependency(ONBOARDING_REQUIRED_MESSAGE);
  onboardedContexts.set(ctx, workspaceId);
}

/** Builds a list's SQL; when its arguments are refused, the gate answers first, as if it had been checked before them. */
export async function gateBeforeRefusal<T>(ctx: ServiceContext, build: () => T): Promise<T> {
  try {
    return build();
  } catch (err) {
    await feedbackWorkspace(ctx);
    throw err;
  }
}

export async function getOnboarding(ctx: ServiceContext) {
  const { workspaceId } = requireWorkspace(ctx);
  const row = await ctx.db.feedbackOnboarding.findUnique({ where: { workspaceId } });
  return { workspaceId, onboarded: row?.onboarded ?? false, category: row?.category ?? null };
}

export interface OnboardingInput {
  category: string;
  onboarded: boolean;
  firstProjectName?: string | null;
}

/** More of the same mutation (e.g. the first import's defaults): validated with it, written in its transaction. */
export interface OnboardingStep {
  issues: FieldIssue[];
  write: (tx: Tx) => Promise<void>;
}

/**
 * Chooses the product category (creating its SMART tags; SMART tags of a previously chosen
 * category are disabled, not deleted, so their assignments survive a switch back), sets the
 * onboarded flag and optionally creates the first project. SMART tags that became active are
 * handed to `onTagsActivated` inside the transaction, which re-tags existing responses. All or
 * nothing: every issue (the `step`'s included) is reported before anything is written, and
 * everything is written in one transaction.
 */
export async function updateOnboarding(
  ctx: ServiceContext,
  input: OnboardingInput,
  onTagsActivated: (tx: Tx, tagIds: string[]) => Promise<void>,
  step?: OnboardingStep,
) {
  const { workspaceId } = requireWorkspace(ctx);
  const issues: FieldIssue[] = [...(step?.issues ?? [])];
  const category = categoryByKey(input.category);
  if (!category) issues.push({ path: ['input', 'category'], code: 'INVALID_VALUE', message: `Unknown category ${input.category}` });
  const projectName = input.firstProjectName?.trim();
  if (input.firstProjectName !== undefined && input.firstProjectName !== null) {
    if (!projectName) issues.push({ path: ['input', 'firstProjectName'], code: 'REQUIRED', message: 'Project name must not be blank' });
    else if (projectName.length > 200)
      issues.push({ path: ['input', 'firstProjectName'], code: 'TOO_LONG', message: 'Project name is at most 200 characters' });
  }
  assertNoIssues(issues);
  onboardedContexts.delete(ctx);
  const names = category!.tags.map((t) => t.name);
  const activated = await ctx.db.$transaction(async (tx) => {
    const previous = await tx.feedbackOnboarding.findUnique({ where: { workspaceId } });
    await tx.feedbackOnboarding.upsert({
      where: { workspaceId },
      create: { workspaceId, category: category!.key, onboarded: input.onboarded },
      update: { category: category!.key, onboarded: input.onboarded },
    });
    const existing = await tx.tag.findMany({ where: { workspaceId, name: { in: names } }, select: { id: true, name: true, mode: true, enabled: true } });
    const taken = new Set(existing.map((t) => t.name));
    // a user tag may already carry a SMART tag's name: the user's tag wins, no SMART duplicate
    await tx.tag.createMany({
      data: category!.tags
        .filter((t) => !taken.has(t.name))
        .map((t) => ({ workspaceId, name: t.name, displayName: t.displayName, description: t.description, mode: 'SMART' as const, textMatchTerms: t.terms })),
    });
    if (previous?.category !== category!.key) {
      await tx.tag.updateMany({ where: { workspaceId, mode: 'SMART', name: { notIn: names } }, data: { enabled: false } });
      await tx.tag.updateMany({ where: { workspaceId, mode: 'SMART', name: { in: names }, enabled: false }, data: { enabled: true } });
    }
    if (projectName) {
      await tx.project.upsert({ where: { workspaceId_name: { workspaceId, name: projectName } }, create: { workspaceId, name: projectName }, update: {} });
    }
    const wasActive = new Set(existing.filter((t) => t.mode === 'SMART' && t.enabled).map((t) => t.name));
    const now = await tx.tag.findMany({ where: { workspaceId, mode: 'SMART', enabled: true, name: { in: names } }, select: { id: true, name: true } });
    const activated = now.filter((t) => !wasActive.has(t.name)).map((t) => t.id);
    if (activated.length) await onTagsActivated(tx, activated);
    await step?.write(tx);
    return activated;
  });
  return { onboarding: await getOnboarding(ctx), activatedTagIds: activated };
}
