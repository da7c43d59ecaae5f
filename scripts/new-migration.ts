/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the Prisma schema at a
 * git revision (default HEAD) to the schema in the work tree. Uses `prisma migrate diff` between
 * two datamodels, which works with the WASM engine (see README); no shadow database.
 *   npm run migrate:diff -- add_forms [--from <rev>]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startDisposablePostgres } from '../src/db/embedded.js';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--from');
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migrate:diff -- <snake_case_name> [--from <git-rev>]');
  process.exit(2);
}
const rev = args.includes('--from') ? args[args.indexOf('--from') + 1]! : 'HEAD';
const root = path.resolve(import.meta.dirname, '..');

const oldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-old-schema-'));
const files = execFileSync('git', ['ls-tree', '--name-only', `${rev}:prisma/schema`], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f.endsWith('.prisma'));
for (const f of files) fs.writeFileSync(path.join(oldDir, f), execFileSync('git', ['show', `${rev}:prisma/schema/${f}`], { cwd: root }));

// the CLI opens a connection even for a datamodel-to-datamodel diff; give it a real server
let url = process.env.DATABASE_URL;
let stop: (() => Promise<void>) | null = null;
if (!url) {
  const pg = await startDisposablePostgres('migration-diff');
  url = pg.url;
  stop = pg.stop;
}
try {
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const from = files.length ? ['--from-schema-datamodel', oldDir] : ['--from-empty'];
  const sql = execFileSync(process.execPath, [cli, 'migrate', 'diff', ...from, '--to-schema-datamodel', path.join(root, 'prisma/schema'), '--script'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, PRISMA_QUERY_ENGINE_LIBRARY: path.join(root, 'package.json') },
    encoding: 'utf8',
  });
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log('no schema changes since', rev);
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(root, 'prisma/migrations', `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    console.log('wrote', path.relative(root, dir));
  }
} finally {
  await stop?.();
}
