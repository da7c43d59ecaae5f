import type { ServiceContext } from '../../context.js';
import { conflict, invalidField, notFound } from '../../errors.js';
import { feedbackWorkspace } from './onboarding.service.js';
import { conflictOnDuplicate } from './unique.js';

export const MAX_PROJECT_NAME = 200;

function cleanName(name: string): string {
  const n = name.trim();
  if (!n) throw invalidField(['name'], 'REQUIRED', 'Project name is required');
  if (n.length > MAX_PROJECT_NAME) throw invalidField(['name'], 'TOO_LONG', `Project name is at most ${MAX_PROJECT_NAME} characters`);
  return n;
}

/** Project names are unique per workspace (exact match). */
export async function createProject(ctx: ServiceContext, name: string) {
  const workspaceId = await feedbackWorkspace(ctx);
  const clean = cleanName(name);
  return ctx.db.$transaction(async (tx) => {
    if (await tx.project.findUnique({ where: { workspaceId_name: { workspaceId, name: clean } }, select: { id: true } }))
      throw conflict(`A project named "${clean}" already exists`);
    return conflictOnDuplicate(tx.project.create({ data: { workspaceId, name: clean }, select: { id: true } }), `A project named "${clean}" already exists`);
  });
}

export async function renameProject(ctx: ServiceContext, id: string, name: string) {
  const workspaceId = await feedbackWorkspace(ctx);
  const clean = cleanName(name);
  return ctx.db.$transaction(async (tx) => {
    const project = await tx.project.findFirst({ where: { id, workspaceId }, select: { id: true } });
    if (!project) throw notFound('Project');
    const other = await tx.project.findUnique({ where: { workspaceId_name: { workspaceId, name: clean } }, select: { id: true } });
    if (other && other.id !== id) throw conflict(`A project named "${clean}" already exists`);
    return conflictOnDuplicate(tx.project.update({ where: { id }, data: { name: clean }, select: { id: true } }), `A project named "${clean}" already exists`);
  });
}

/** Deletes the project; its responses stay, they just leave the project. */
export async function deleteProject(ctx: ServiceContext, id: string) {
  const workspaceId = await feedbackWorkspace(ctx);
  const { count } = await ctx.db.project.deleteMany({ where: { id, workspaceId } });
  if (count === 0) throw notFound('Project');
  return id;
}
