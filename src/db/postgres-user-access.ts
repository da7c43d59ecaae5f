import fs from 'node:fs';
import path from 'node:path';

/** uid and gid of an OS user from /etc/passwd, or null when there is none (yet). */
export function osUser(name: string): { uid: number; gid: number } | null {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    if (!line) return null;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

/**
 * The first folder on the way to `target` that `user` cannot enter (no search permission), or
 * null. As root, the embedded PostgreSQL runs as an unprivileged user, which must reach its
 * binaries and its data folder: a project in a `chmod 700` folder (e.g. /root) is out of reach.
 */
export function firstBlockedFolder(target: string, user: { uid: number; gid: number } | null): string | null {
  const folders: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    folders.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of folders) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch {
      return null; // not there yet: created later, by root, with the default mode
    }
    const mode = stat.mode;
    const canEnter =
      (mode & 0o001) !== 0 || (user !== null && ((stat.uid === user.uid && (mode & 0o100) !== 0) || (stat.gid === user.gid && (mode & 0o010) !== 0)));
    if (!canEnter) return dir;
  }
  return null;
}
