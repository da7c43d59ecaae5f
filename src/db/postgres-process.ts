import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { osUser } from './postgres-user-access.js';

export interface OsUser {
  uid: number;
  gid: number;
}

/**
 * As root, PostgreSQL (which refuses to run as root) runs as the OS user `postgres`, created
 * here when missing; as anyone else, as that user itself (null).
 */
export function postgresOwner(): OsUser | null {
  if (process.getuid?.() !== 0) return null;
  const existing = osUser('postgres');
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
  } catch {
    // the group may exist without the user
  }
  execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
  const created = osUser('postgres');
  if (!created) throw new Error('could not create the OS user postgres to run the embedded PostgreSQL as');
  return created;
}

/**
 * Spawn options: as `owner` when root; in a process group of its own, so a terminal's Ctrl-C
 * (sent to the whole foreground group) does not shut PostgreSQL down under the server's open
 * connections before the server handed its jobs back; messages in English, which `start` reads.
 */
const spawnOptions = (owner: OsUser | null) => ({ ...(owner ?? {}), detached: true, env: { ...process.env, LC_MESSAGES: 'C' } });

/** Creates a cluster in `dataDir` with the superuser `postgres` and its password. */
export async function initCluster(binDir: string, dataDir: string, password: string, owner: OsUser | null, log: (chunk: string) => void): Promise<void> {
  // the folders on the way keep the default mode: the owner must enter them
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-initdb-'));
  const passwordFile = path.join(secretDir, 'password');
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) for (const p of [dataDir, secretDir, passwordFile]) fs.chownSync(p, owner.uid, owner.gid);
  try {
    const initdb = spawn(
      path.join(binDir, 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--lc-messages=C'],
      spawnOptions(owner),
    );
    let errors = '';
    initdb.stdout.on('data', (chunk: Buffer) => log(chunk.toString()));
    initdb.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
      log(chunk.toString());
    });
    await new Promise<void>((resolve, reject) => {
      initdb.on('error', reject);
      initdb.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`initdb failed (${signal ?? `exit code ${code}`}): ${errors.trim()}`))));
    });
  } finally {
    fs.rmSync(secretDir, { recursive: true, force: true });
  }
}

/** Starts `postgres` and resolves when it accepts connections; rejects when it exits first. */
export function startPostgres(
  binDir: string,
  dataDir: string,
  port: number,
  flags: string[],
  owner: OsUser | null,
  log: (chunk: string) => void,
): Promise<ChildProcess> {
  const child = spawn(path.join(binDir, 'postgres'), ['-D', dataDir, '-p', String(port), '-c', 'lc_messages=C', ...flags], spawnOptions(owner));
  return new Promise((resolve, reject) => {
    let ready = false;
    child.stdout.on('data', (chunk: Buffer) => log(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      log(text);
      if (!ready && text.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!ready) reject(new Error(`postgres exited (${signal ?? `exit code ${code}`}) before it accepted connections`));
    });
  });
}

/** A fast shutdown (SIGINT): open connections are closed, no data is lost. */
export async function stopPostgres(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}
