/**
 * GET /downloads/exports/<id>.csv: the file of a completed export, streamed from disk, to a
 * credential of the export's workspace with the READ scope. Another workspace's export answers
 * exactly like one that does not exist.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Db } from '../../db/prisma.js';
import type { Config } from '../../config.js';
import { hasScope, type Principal } from '../../auth/principal.js';
import { exportFile } from './export.service.js';
import { attachment } from '../../http/content-disposition.js';

const PATH = /^\/downloads\/exports\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.csv$/;

const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers: { 'content-type': 'application/json', ...headers } });

export function exportDownloadRoute(deps: { db: Db; config: Config }) {
  return async (request: Request, path: string, principal: Principal | null): Promise<Response | null> => {
    const match = PATH.exec(path);
    if (!match) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD') return error(405, 'BAD_USER_INPUT', 'Use GET', { allow: 'GET, HEAD' });
    if (!principal) return error(401, 'UNAUTHENTICATED', 'Authentication required', { 'www-authenticate': 'Bearer realm="formgraph"' });
    if (!hasScope(principal, 'READ')) return error(403, 'FORBIDDEN', 'The credential does not allow this operation');
    const id = match[1]!;
    const exp = await deps.db.export.findFirst({ where: { id, workspaceId: principal.workspaceId }, select: { status: true, type: true, createdAt: true } });
    if (!exp) return error(404, 'NOT_FOUND', 'Export not found');
    if (exp.status !== 'COMPLETED') return error(409, 'CONFLICT', `The export is ${exp.status}; download it once it is COMPLETED`);
    const file = exportFile(deps.config, id);
    let size: number;
    try {
      size = (await fs.promises.stat(file)).size;
    } catch {
      return error(404, 'NOT_FOUND', 'Export file not found');
    }
    const name = `${exp.type.toLowerCase()}-${exp.createdAt.toISOString().slice(0, 10)}.csv`;
    const headers = {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(size),
      'content-disposition': attachment(name),
      'cache-control': 'private, no-store',
    };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>, { status: 200, headers });
  };
}
