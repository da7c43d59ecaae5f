import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeAbandonedExportFiles } from '../../../src/modules/exports/export.cleanup.js';
import { writeCsvFile } from '../../../src/modules/exports/csv-writer.js';
import { exportFile } from '../../../src/modules/exports/export.service.js';

let dataDir: string;
let dir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-exports-'));
  dir = path.dirname(exportFile({ dataDir }, 'x'));
  fs.mkdirSync(dir, { recursive: true });
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** The pid of a process that has exited (and so cannot be exporting). */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('temporary export files', () => {
  it('removes the .part files of processes that died, and keeps live ones and finished exports', async () => {
    const id = '6f1c7a52-3b8e-4c1e-9a55-0d2a9c1e7b44';
    const dead = `${id}.csv.${deadPid()}.1700000000000.part`;
    const live = `${id}.csv.${process.ppid}.1700000000000.part`;
    for (const name of [dead, live, `${id}.csv`]) fs.writeFileSync(path.join(dir, name), 'x');
    expect(await removeAbandonedExportFiles({ dataDir })).toEqual([dead]);
    expect(fs.readdirSync(dir).sort()).toEqual([`${id}.csv`, live].sort());
  });

  it('leaves no .part file when an export fails while writing', async () => {
    async function* failing() {
      yield [['a', 1]];
      throw new Error('database went away');
    }
    await expect(writeCsvFile(exportFile({ dataDir }, 'e'), ['name', 'n'], failing())).rejects.toThrow('database went away');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('is harmless without an exports folder', async () => {
    expect(await removeAbandonedExportFiles({ dataDir: path.join(dataDir, 'missing') })).toEqual([]);
  });
});
