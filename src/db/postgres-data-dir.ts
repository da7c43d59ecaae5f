import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StartError } from '../net/assert-port-free.js';
import type { OsUser } from './postgres-process.js';
import { firstBlockedFolder } from './postgres-user-access.js';

/** Where a cluster lives when the folder asked for is out of the postgres user's reach. */
export const relocatedDataDir = (dir: string) =>
  path.join('/var/lib/formgraph/clusters', createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16));

/**
 * The folder PostgreSQL keeps `dir`'s cluster in. As root, PostgreSQL runs as `owner`, which must
 * enter every folder on the way: when one only root may enter is in the way (a project under
 * /root), a new cluster lives in /var/lib/formgraph/clusters/<hash of dir> and `dir` becomes a
 * symbolic link to it, so the data is found where it was asked for. An existing cluster is not
 * moved: that stops with one line saying what to do.
 */
export function reachableDataDir(dir: string, owner: OsUser | null): string {
  if (!owner) return dir;
  const real = fs.existsSync(dir) ? fs.realpathSync(dir) : dir;
  const blocked = firstBlockedFolder(real, owner);
  if (!blocked) return real;
  const unreachable = () =>
    new StartError(
      `the embedded PostgreSQL runs as the user postgres, which cannot enter ${blocked} (mode ${(fs.statSync(blocked).mode & 0o777).toString(8)}): ` +
        `run \`chmod o+x ${blocked}\`, move the project and FORMGRAPH_DATA_DIR to a folder other users can enter, or set DATABASE_URL`,
    );
  if (fs.existsSync(path.join(real, 'PG_VERSION'))) throw unreachable();
  const target = relocatedDataDir(dir);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    if (firstBlockedFolder(path.dirname(target), owner)) throw unreachable();
    const existing = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (existing?.isSymbolicLink()) fs.rmSync(dir);
    else if (existing) fs.rmdirSync(dir); // only an empty folder: anything in it stays where it is
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.symlinkSync(target, dir);
  } catch (error) {
    if (error instanceof StartError) throw error;
    throw unreachable();
  }
  return target;
}
