import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Db } from '../../db/prisma.js';
import type { Config } from '../../config.js';
import type { Principal } from '../../auth/principal.js';
import { hasScope } from '../../auth/principal.js';
import { isUuid } from '../../core/records/index.js';
import { filePath } from './files.service.js';
import { attachment } from '../../http/content-disposition.js';

const json = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers: { 'content-type': 'application/json' } });

/** GET /files/<id>: the bytes of an uploaded file, for a credential with READ in the file's workspace. */
export function fileDownloadRoute(deps: { db: Db; config: Config }) {
  return async (request: Request, path: string, principal: Principal | null): Promise<Response | null> => {
    const match = /^\/files\/([^/]+)$/.exec(path);
    if (!match) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, 'BAD_USER_INPUT', 'Use GET');
    if (!principal) return json(401, 'UNAUTHENTICATED', 'Authentication required');
    if (!hasScope(principal, 'READ')) return json(403, 'FORBIDDEN', 'The credential does not allow this operation');
    const id = match[1]!;
    const file = isUuid(id) ? await deps.db.storedFile.findFirst({ where: { id, workspaceId: principal.workspaceId } }) : null;
    const location = file && filePath(deps.config.dataDir, file.workspaceId, file.id);
    if (!file || !location || !fs.existsSync(location)) return json(404, 'NOT_FOUND', 'File not found');
    const body = request.method === 'HEAD' ? null : (Readable.toWeb(fs.createReadStream(location)) as ReadableStream);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': file.contentType,
        'content-length': String(file.size),
        'content-disposition': attachment(file.name),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
