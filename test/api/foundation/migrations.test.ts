import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createTestDatabase } from '../../setup/database.js';
import { withDatabase } from '../../setup/global-database.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

/** Everything about the public schema that a migration decides, in a comparable form. */
async function catalog(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      tables: await q(`select table_name from information_schema.tables where table_schema = 'public' and table_name <> '_prisma_migrations' order by 1`),
      columns: await q(`
        select table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale
        from information_schema.columns where table_schema = 'public' and table_name <> '_prisma_migrations' order by 1, 2`),
      indexes: await q(`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' and tablename <> '_prisma_migrations' order by 1, 2`),
      constraints: await q(`
        select t.relname as table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) as definition
        from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = 'public' and t.relname <> '_prisma_migrations' order by 1, 2`),
      enums: await q(`
        select t.typname, array_agg(e.enumlabel order by e.enumsortorder) as labels
        from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' group by 1 order by 1`),
      sequences: await q(`select sequence_name, data_type from information_schema.sequences where sequence_schema = 'public' order by 1`),
      functions: await q(
        `select p.proname, pg_get_function_identity_arguments(p.oid) as args from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' order by 1, 2`,
      ),
    };
  } finally {
    await client.end();
  }
}

describe('prisma/migrations', () => {
  let migrated: { url: string; drop(): Promise<void> };
  let fromSchemaUrl: string;
  const adminUrl = inject('adminUrl');
  const fromSchemaName = `${inject('databasePrefix')}schema_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    // A: every committed migration, applied by `prisma migrate deploy` (the test template)
    migrated = await createTestDatabase();
    // B: the SQL Prisma writes for the current schema, from nothing
    const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
    const { stdout: sql } = await run(
      process.execPath,
      [cli, 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', path.join(root, 'prisma/schema'), '--script'],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: adminUrl, PRISMA_QUERY_ENGINE_LIBRARY: path.join(root, 'package.json'), PRISMA_HIDE_UPDATE_MESSAGE: '1' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(sql).toMatch(/CREATE TABLE/);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${fromSchemaName}`);
    await admin.end();
    fromSchemaUrl = withDatabase(adminUrl, fromSchemaName);
    const b = new pg.Client({ connectionString: fromSchemaUrl });
    await b.connect();
    await b.query(sql);
    await b.end();
  }, 120_000);

  afterAll(async () => {
    await migrated?.drop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${fromSchemaName} with (force)`);
    await admin.end();
  });

  it('produce exactly the database the Prisma schema describes', async () => {
    const [a, b] = await Promise.all([catalog(migrated.url), catalog(fromSchemaUrl)]);
    expect(a.tables.length).toBeGreaterThan(0);
    // compared part by part so a failure names what drifted
    expect(a.tables, 'tables').toEqual(b.tables);
    expect(a.enums, 'enums').toEqual(b.enums);
    expect(a.columns, 'columns').toEqual(b.columns);
    expect(a.indexes, 'indexes').toEqual(b.indexes);
    expect(a.constraints, 'constraints').toEqual(b.constraints);
    expect(a.sequences, 'sequences').toEqual(b.sequences);
  });

  it('were all applied to the migrated database', async () => {
    const client = new pg.Client({ connectionString: migrated.url });
    await client.connect();
    const rows = (await client.query(`select migration_name, finished_at, rolled_back_at from _prisma_migrations order by 1`)).rows as {
      migration_name: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }[];
    await client.end();
    const fs = await import('node:fs');
    const onDisk = fs
      .readdirSync(path.join(root, 'prisma/migrations'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk);
    for (const r of rows) expect([r.finished_at !== null, r.rolled_back_at]).toEqual([true, null]);
  });
});
