import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { requireWorkspace, type ServiceContext } from '../../context.js';
import { invalidField } from '../../errors.js';

/** Where a file's bytes live: <dataDir>/files/<workspaceId>/<fileId>. */
export const filePath = (dataDir: string, workspaceId: string, id: string) => path.join(dataDir, 'files', workspaceId, id);

/** Stores an uploaded file on local disk and records its metadata; refuses empty and oversized files. */
export async function storeUpload(ctx: ServiceContext, file: File) {
  const { workspaceId, userId } = requireWorkspace(ctx);
  if (file.size === 0) throw invalidField(['file'], 'EMPTY', 'The file is empty');
  if (file.size > ctx.config.limits.maxUploadBytes) throw invalidField(['file'], 'TOO_LARGE', `Files are at most ${ctx.config.limits.maxUploadBytes} bytes`);
  const id = randomUUID();
  const target = filePath(ctx.config.dataDir, workspaceId, id);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  await fs.promises.writeFile(target, Buffer.from(await file.arrayBuffer()));
  const name = (file.name || 'file').replace(/[\r\n"\\/]/g, '_').slice(0, 255);
  return ctx.db.storedFile.create({
    data: { id, workspaceId, name, size: file.size, contentType: file.type || 'application/octet-stream', createdById: userId },
  });
}
