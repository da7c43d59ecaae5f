/**
 * Temporary export files (`<export>.csv.<pid>.<time>.part`, see csv-writer.ts) of processes that
 * died mid-export are removed when a server or worker starts. A file whose process still runs on
 * this machine is another process's export in progress and stays.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { exportFile } from './export.service.js';

const TEMPORARY = /\.csv\.(\d+)\.\d+\.part$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes abandoned `.part` files; returns their names. */
export async function removeAbandonedExportFiles(config: Pick<Config, 'dataDir'>): Promise<string[]> {
  const dir = path.dirname(exportFile(config, 'x'));
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const pid = TEMPORARY.exec(name)?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid));
  });
  await Promise.all(abandoned.map((name) => fs.promises.rm(path.join(dir, name), { force: true })));
  return abandoned;
}
