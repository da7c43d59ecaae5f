import { BYTE_SIZE_DESCRIPTION } from '../../../graphql/byte-size.js';
import { builder } from '../../../graphql/builder.js';
import type { GraphQLContext } from '../../../context.js';
import { toGlobalId } from '../../../core/records/index.js';
import { storeUpload } from '../files.service.js';

export const FileType = builder.prismaNode('StoredFile', {
  description: 'An uploaded file that FILE values point to.',
  variant: 'File',
  id: { field: 'id' },
  // a missing or foreign id answers null, not an error
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name'),
    size: t.exposeInt('size', { deprecationReason: 'Use byteSize' }),
    byteSize: t.float({ description: BYTE_SIZE_DESCRIPTION, resolve: (f) => f.size }),
    contentType: t.exposeString('contentType'),
    url: t.string({ description: 'Download URL; send the same credential', resolve: (f, _a, ctx) => fileUrl(ctx, f.id) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const fileUrl = (ctx: GraphQLContext, id: string) => `${ctx.config.publicUrl ?? ''}/files/${id}`;

builder.mutationFields((t) => ({
  uploadFile: t.prismaField({
    type: FileType,
    description: 'Uploads a file (multipart request spec). Use its id as the value of FILE fields.',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { file: t.arg({ type: 'Upload' }) },
    resolve: async (query, _root, { file }, ctx) => {
      const stored = await storeUpload(ctx, file);
      return ctx.db.storedFile.findUniqueOrThrow({ ...query, where: { id: stored.id } });
    },
  }),
}));

export type FileValue = { id: string; name: string; size: number; contentType: string };

export const FileValueType = builder.objectRef<FileValue>('FileValue').implement({
  description: 'An uploaded file as stored in a FILE value',
  fields: (t) => ({
    id: t.id({ description: "The file's global id (as in `values`)", resolve: (f) => toGlobalId('File', f.id) }),
    name: t.exposeString('name'),
    size: t.exposeInt('size', { deprecationReason: 'Use byteSize' }),
    byteSize: t.float({ description: BYTE_SIZE_DESCRIPTION, resolve: (f) => f.size }),
    contentType: t.exposeString('contentType'),
    url: t.string({ resolve: (f, _a, ctx) => fileUrl(ctx, f.id) }),
  }),
});
