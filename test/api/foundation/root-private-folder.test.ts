import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../../src/db/embedded.js';
import { firstBlockedFolder } from '../../../src/db/postgres-user-access.js';
import { StartError } from '../../../src/net/assert-port-free.js';
import { freePort } from '../../../src/net/free-port.js';

/** A project (or data folder) inside a folder only its owner can enter, like /root. */
describe('the embedded PostgreSQL in a folder other users cannot enter', () => {
  let outer: string;
  let privateDir: string;
  beforeAll(() => {
    outer = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-private-'));
    fs.chmodSync(outer, 0o755);
    privateDir = path.join(outer, 'home');
    fs.mkdirSync(path.join(privateDir, 'project'), { recursive: true });
    fs.chmodSync(privateDir, 0o700);
  });
  afterAll(() => fs.rmSync(outer, { recursive: true, force: true }));

  it('finds the folder another user cannot enter', () => {
    const stranger = { uid: 65534, gid: 65534 };
    expect(firstBlockedFolder(path.join(privateDir, 'project', 'data'), stranger)).toBe(privateDir);
    expect(firstBlockedFolder(path.join(outer, 'elsewhere'), stranger)).toBeNull();
    const owner = { uid: fs.statSync(privateDir).uid, gid: -1 };
    expect(firstBlockedFolder(path.join(privateDir, 'project'), owner)).toBeNull();
  });

  it(process.getuid?.() === 0 ? 'as root: stops with one line that says what to do' : 'as a user: runs as that user, who may enter it', async () => {
    const start = freePort().then((port) => startEmbeddedPostgres(path.join(privateDir, 'project', 'data'), port, { disposable: true }));
    if (process.getuid?.() === 0) {
      const error = await start.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StartError);
      expect((error as Error).message).toBe(
        `the embedded PostgreSQL runs as the user postgres, which cannot enter ${privateDir} (mode 700): run \`chmod o+x ${privateDir}\`, move the project and FORMGRAPH_DATA_DIR to a folder other users can enter, or set DATABASE_URL`,
      );
      expect(fs.existsSync(path.join(privateDir, 'project', 'data'))).toBe(false);
    } else {
      const pg = await start;
      await pg.stop();
    }
  }, 60_000);
});
