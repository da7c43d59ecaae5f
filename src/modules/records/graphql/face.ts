/**
 * A "face" of the typed-records engine: the GraphQL names one kind of collection goes by
 * (Form/Entry, Module/ModuleRecord). The shared definitions (collection.graphql.ts,
 * record.graphql.ts, field.graphql.ts, view.graphql.ts) take a face and the literal names of the
 * fields they add, so every mutation is written out under its own name where the face is declared.
 */
import { requireWorkspace, type GraphQLContext } from '../../../context.js';
import { createRecords, MAX_BULK_CREATE, type RecordScope } from '../../../core/records/index.js';
import { badInput, invalidField } from '../../../errors.js';
import type { PrismaRefOf } from '../../../graphql/builder-types.js';
import { markEngineRows } from '../record-rows.js';

export interface RecordFace {
  scope: RecordScope;
  /** The collection's type (Form, Module) and the argument naming it in mutations (form, module). */
  collectionType: PrismaRefOf<'Collection'>;
  collectionArg: string;
  /** The record's type and its name (Entry, ModuleRecord), for global ids. */
  recordType: PrismaRefOf<'DataRecord'>;
  recordTypeName: string;
  /** How descriptions and errors call a record: entry/entries, record/records. */
  noun: { one: string; many: string };
}

/**
 * The collection id a mutation names in the face's collection argument (`form`, `module`). The
 * argument's name differs by face, so the resolver reads it by name rather than through Pothos's types.
 */
export function collectionIdIn(face: RecordFace, args: object): string {
  const arg = Object.entries(args).find(([name]) => name === face.collectionArg)?.[1];
  if (typeof arg === 'object' && arg !== null && 'id' in arg && typeof arg.id === 'string') return arg.id;
  throw invalidField([face.collectionArg], 'REQUIRED', `The ${face.collectionArg} is required`);
}

/** Reads a collection again with the caller's Prisma selection, after a mutation changed it. */
export const reloadCollection = (ctx: GraphQLContext, query: object, id: string) => ctx.db.collection.findUniqueOrThrow({ ...query, where: { id } });

/** Creates records through the engine (all or none), refusing more than MAX_BULK_CREATE at once. */
export async function createFaceRecords(ctx: GraphQLContext, face: RecordFace, collectionId: string, values: unknown[], path: string[]) {
  requireWorkspace(ctx);
  if (values.length > MAX_BULK_CREATE)
    throw badInput(`At most ${MAX_BULK_CREATE} ${face.noun.many} per call`, [{ path, code: 'TOO_MANY', message: `At most ${MAX_BULK_CREATE}` }]);
  return markEngineRows(await createRecords(ctx, face.scope, collectionId, values, path));
}
