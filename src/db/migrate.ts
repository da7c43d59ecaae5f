import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const migrationsDir = path.join(root, 'prisma/migrations');

/**
 * The migration folders `_prisma_migrations` does not list as applied. Asking the database takes
 * milliseconds; starting Prisma's CLI to learn that nothing is pending took ~10 s of every start.
 */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const folders = fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {}); // a failed query rejects; a dropped idle connection is not news here
  await client.connect();
  try {
    const table = await client.query<{ exists: boolean }>(`select to_regclass('public._prisma_migrations') is not null as exists`);
    if (!table.rows[0]!.exists) return folders;
    const applied = await client.query<{ migration_name: string }>(
      `select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null`,
    );
    const done = new Set(applied.rows.map((r) => r.migration_name));
    return folders.filter((f) => !done.has(f));
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations with `prisma migrate deploy` (the WASM schema engine via the pg
 * adapter, see prisma.config.ts), and only when there are any. The CLI insists on finding a
 * native query-engine library at start even though this mode never loads it; any existing file
 * satisfies the check. Returns the names of the migrations that were pending.
 */
export async function migrateDeploy(databaseUrl: string): Promise<string[]> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return [];
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  await run(process.execPath, [cli, 'migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_QUERY_ENGINE_LIBRARY: path.join(root, 'package.json'), PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  return pending;
}
