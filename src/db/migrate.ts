import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Applies pending migrations with `prisma migrate deploy` (the WASM schema engine via the pg
 * adapter, see prisma.config.ts). The CLI insists on finding a native query-engine library at
 * start even though this mode never loads it; any existing file satisfies the check.
 */
export async function migrateDeploy(databaseUrl: string): Promise<string> {
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const { stdout } = await run(process.execPath, [cli, 'migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_QUERY_ENGINE_LIBRARY: path.join(root, 'package.json'), PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  return stdout;
}
