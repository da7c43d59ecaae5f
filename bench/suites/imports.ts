/**
 * CSV imports and exports end to end against a real server process (`node src/main.ts`, its
 * in-process worker running the jobs), so the server's memory is measured on its own:
 *  - imports of generated 1 MB and 10 MB files: upload + validation (the request), then the
 *    IMPORT job writing responses, sentiment and tags; wall time, rows/s, peak RSS of the server;
 *  - a RESPONSES export of 1,000,000 responses (with properties and tags): time, peak RSS, size.
 * Peak RSS is the kernel's high-water mark (VmHWM), reset before each measurement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../../src/net/free-port.js';
import path from 'node:path';
import os from 'node:os';
import pg from 'pg';
import type { BenchContext } from '../support/context.js';
import { table } from '../support/measure.js';
import { createDb } from '../../src/db/prisma.js';
import { createApiKey, createWorkspace } from '../../src/modules/identity/identity.service.js';

const root = path.resolve(import.meta.dirname, '../..');
/** the server's V8 heap cap: an import of any size must fit under it */
const HEAP_MB = 256;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function status(pid: number): { rss: number; hwm: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets the high-water mark (Linux clear_refs 5); falls back to sampling when not allowed. */
function peakMeter(pid: number) {
  let sampled = 0;
  let canReset = true;
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    canReset = false;
  }
  const start = status(pid).rss;
  const timer = setInterval(() => (sampled = Math.max(sampled, status(pid).rss)), 20);
  return {
    start,
    stop() {
      clearInterval(timer);
      const s = status(pid);
      return Math.max(sampled, s.rss, canReset ? s.hwm : 0);
    },
  };
}

const WORDS =
  'the app is great but support was slow and the price feels high love new dashboard export broken again fast easy setup confusing menu helpful agent crash on login would like dark mode'.split(
    ' ',
  );

function generateCsv(targetBytes: number): { csv: Buffer; rows: number } {
  const lines = ['feedback,feedback_date,user_id,score,plan,seats,trial,country'];
  let size = lines[0]!.length + 1;
  let rows = 0;
  let seed = 42;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  while (size < targetBytes) {
    const words = Array.from({ length: 12 + rnd(14) }, () => WORDS[rnd(WORDS.length)]).join(' ');
    const feedback = rnd(10) === 0 ? `"${words}, and ""quoted"" too"` : words;
    const day = String(1 + rnd(28)).padStart(2, '0');
    const line = `${feedback},2024-0${1 + rnd(9)}-${day} ${String(rnd(24)).padStart(2, '0')}:${String(rnd(60)).padStart(2, '0')}:00,user${rnd(20000)},${rnd(11)},${['free', 'pro', 'team'][rnd(3)]},${rnd(500)},${rnd(2) ? 'true' : 'false'},${['US', 'DE', 'FR', 'BR', 'JP'][rnd(5)]}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
    rows++;
  }
  return { csv: Buffer.from(`${lines.join('\n')}\n`), rows };
}

export default async function imports(ctx: BenchContext): Promise<string> {
  const loadAtStart = os.loadavg()[0]!;
  const db = createDb(ctx.databaseUrl, 4);
  const workspace = await createWorkspace(db, 'bench imports');
  const { secret } = await createApiKey(db, workspace.id, null, { name: 'bench', scopes: ['READ', 'WRITE', 'MANAGE'] });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-bench-imports-'));
  let child: ChildProcess | null = null;
  let url = '';
  /** A fresh server process, so each measurement starts from the same baseline. */
  const startServerProcess = async () => {
    if (child) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    const port = await freePort();
    child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: ctx.databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'warn',
        WORKER_CONCURRENCY: '1',
        FORMGRAPH_DATA_DIR: dataDir,
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (
        await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 600) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    // settle after start-up before measuring
    await new Promise((r) => setTimeout(r, 1000));
    return child.pid!;
  };
  try {
    await startServerProcess();
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await r.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    await gql(`mutation { updateOnboarding(input: { category: GENERAL, onboarded: true }) { __typename } }`);
    /** No job of the workspace left to run (onboarding's re-tagging, ...): measurements run alone. */
    const waitForIdle = async () => {
      while ((await db.job.count({ where: { status: { in: ['QUEUED', 'RUNNING'] } } })) > 0) await new Promise((r) => setTimeout(r, 100));
    };
    await waitForIdle();
    const waitForJob = async (id: string) => {
      for (;;) {
        const { job } = await gql(`query($id: ID!) { job(id: $id) { status error { message } } }`, { id });
        if (job.status === 'OK') return;
        if (job.status === 'ERROR' || job.status === 'CANCELLED') throw new Error(`job ${job.status}: ${job.error?.message}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    // ---- imports ------------------------------------------------------------------------------
    const importRows: Array<{ name: string } & Record<string, string | number>> = [];
    for (const target of [1, 10]) {
      const { csv, rows } = generateCsv(target * 1000 * 1000 * 0.99);
      ctx.log(`import of ${mb(csv.length)} (${rows} rows)`);
      await waitForIdle();
      const meter = peakMeter(await startServerProcess());
      const started = performance.now();
      const form = new FormData();
      form.append(
        'operations',
        JSON.stringify({
          query: `mutation($file: Upload!) { createImport(file: $file, metricType: NPS) { __typename ... on MutationCreateImportSuccess { data { job { id } import { validRows } } } ... on UserError { message } } }`,
          variables: { file: null },
        }),
      );
      form.append('map', JSON.stringify({ 0: ['variables.file'] }));
      form.append('0', new Blob([new Uint8Array(csv)], { type: 'text/csv' }), `bench-${target}mb.csv`);
      const response = (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${secret}` }, body: form })).json()) as any;
      const result = response.data?.createImport;
      if (result?.__typename !== 'MutationCreateImportSuccess') throw new Error(JSON.stringify(response));
      const validated = performance.now();
      await waitForJob(result.data.job.id);
      const finished = performance.now();
      const peak = meter.stop();
      const written = await db.response.count({ where: { workspaceId: workspace.id, importId: { not: null } } });
      ctx.log(`  ${((finished - started) / 1000).toFixed(1)} s, peak RSS ${mb(peak)} (${written} imported responses in total)`);
      importRows.push({
        name: `${mb(csv.length)} file, ${rows.toLocaleString('en')} rows`,
        'upload + validation': `${((validated - started) / 1000).toFixed(2)} s`,
        'write job (responses, sentiment, tags)': `${((finished - validated) / 1000).toFixed(2)} s`,
        'end to end': `${((finished - started) / 1000).toFixed(2)} s`,
        'rows/s': Math.round(rows / ((finished - started) / 1000)).toLocaleString('en'),
        'server RSS before': mb(meter.start),
        'server peak RSS': mb(peak),
      });
    }

    // ---- export of 1,000,000 responses ----------------------------------------------------------
    const exportWorkspace = await createWorkspace(db, 'bench exports');
    const exportKey = (await createApiKey(db, exportWorkspace.id, null, { name: 'bench', scopes: ['READ', 'WRITE', 'MANAGE'] })).secret;
    const N = 1_000_000;
    ctx.log(`seeding ${N} responses (+ properties and tags)`);
    const seedStarted = performance.now();
    const client = new pg.Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    await client.query(`INSERT INTO "FeedbackOnboarding" ("workspaceId", category, onboarded, "updatedAt") VALUES ($1, 'GENERAL', true, now())`, [
      exportWorkspace.id,
    ]);
    await client.query(
      `INSERT INTO "Response" (id, "workspaceId", feedback, "feedbackDate", "userId", score, "metricType", sentiment, "sentimentScore")
       SELECT gen_random_uuid(), $1, 'Feedback number ' || g || (ARRAY[' great product, fast', ' too expensive, slow support', ' it is ok I guess'])[g % 3 + 1],
              timestamp '2024-01-01' + (g % 31536000) * interval '1 second', 'user' || (g % 50000), g % 11, 'NPS',
              CAST((ARRAY['POSITIVE','NEGATIVE','NEUTRAL'])[g % 3 + 1] AS "Sentiment"), 0.1
       FROM generate_series(1, $2::int) g`,
      [exportWorkspace.id, N],
    );
    await client.query(
      `INSERT INTO "ResponseProperty" (id, "responseId", key, "dataType", value)
       SELECT gen_random_uuid(), id, 'plan', 'STRING', (ARRAY['free','pro','team'])[1 + (hashtext(id::text) & 1)] FROM "Response" WHERE "workspaceId" = $1`,
      [exportWorkspace.id],
    );
    const tags = await client.query<{ id: string }>(
      `INSERT INTO "Tag" (id, "workspaceId", name, "displayName", mode, "updatedAt") VALUES (gen_random_uuid(), $1, 'PRICING', 'Pricing', 'MANUAL', now()), (gen_random_uuid(), $1, 'SPEED', 'Speed', 'MANUAL', now()) RETURNING id`,
      [exportWorkspace.id],
    );
    await client.query(
      `INSERT INTO "ResponseTag" ("responseId", "tagId", "feedbackDate")
       SELECT r.id, t.id, r."feedbackDate" FROM "Response" r CROSS JOIN unnest($2::uuid[]) AS t(id)
       WHERE r."workspaceId" = $1 AND r.feedback LIKE '%expensive%'`,
      [exportWorkspace.id, tags.rows.map((t) => t.id)],
    );
    await client.query('ANALYZE');
    await client.end();
    ctx.log(`  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; exporting`);

    const exportGql = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${exportKey}` },
        body: JSON.stringify({ query, variables }),
      });
      return ((await r.json()) as { data: any }).data;
    };
    await waitForIdle();
    const meter = peakMeter(await startServerProcess());
    const started = performance.now();
    const created = await exportGql(
      `mutation { createExport(type: RESPONSES) { ... on MutationCreateExportSuccess { data { id job { id } } } ... on UserError { message } } }`,
    );
    const exportId = created.createExport.data.id;
    for (;;) {
      const { node } = await exportGql(`query($id: ID!) { node(id: $id) { ... on Export { status rowCount byteSize errorMessage } } }`, { id: exportId });
      if (node.status === 'COMPLETED') {
        const elapsed = (performance.now() - started) / 1000;
        const peak = meter.stop();
        ctx.log(`  ${node.rowCount} rows, ${mb(node.byteSize)} in ${elapsed.toFixed(1)} s, peak RSS ${mb(peak)}`);
        const exportTable = table([
          {
            name: `RESPONSES export, ${node.rowCount.toLocaleString('en')} responses (1 property, 2 tags on a third)`,
            'wall time': `${elapsed.toFixed(1)} s`,
            'rows/s': Math.round(node.rowCount / elapsed).toLocaleString('en'),
            'file size': mb(node.byteSize),
            'server RSS before': mb(meter.start),
            'server peak RSS': mb(peak),
          },
        ]);
        return [
          '## Imports and exports (CSV)',
          '',
          `A fresh server process per measurement (\`node --max-old-space-size=${HEAP_MB} src/main.ts\`, one in-process worker) on a fresh database; load average at the start: ${loadAtStart.toFixed(1)} on ${os.cpus().length} cores (the machine is shared).` +
            ' Imports: a generated CSV (feedback text, date, user, score, 4 custom properties; 10% quoted fields) uploaded as a GraphQL multipart request; "upload + validation" is the request (streamed validation and staging), the write job inserts responses with sentiment, properties and automatic tags in one transaction. Peak RSS is the server\'s kernel high-water mark (VmHWM), reset before each run.',
          '',
          table(importRows),
          '',
          exportTable,
        ].join('\n');
      }
      if (node.status === 'FAILED') throw new Error(`export failed: ${node.errorMessage}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    const running = child as ChildProcess | null;
    if (running) {
      running.kill('SIGTERM');
      await new Promise((r) => running.once('exit', r));
    }
    await db.$disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
