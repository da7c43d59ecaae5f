import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { runJobsUntilIdle, rawId } from '../../helpers/jobs.js';
import { analyzeSentiment } from '../../../src/modules/feedback/sentiment.js';
import { csvOf, footprint, importOk, importRefused, ONBOARD, uploadRequest, CREATE_IMPORT } from './helpers.js';

const HEADER = ['feedback', 'feedback_date', 'user_id', 'score', 'plan', 'seats'];

describe('imports', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  const gql = (key: string) => t.client.as(key);

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    for (const k of [tenant.key, other.key]) {
      const r = (await gql(k).data(ONBOARD, { input: { category: 'GENERAL', onboarded: true } })) as any;
      expect(r.updateOnboarding.__typename).toBe('MutationUpdateOnboardingSuccess');
    }
  });
  afterAll(() => t?.stop());

  describe('refused files write nothing', () => {
    const cases: Array<[string, string | Uint8Array, string[]]> = [
      ['a bad date', csvOf([HEADER, ['ok', '2024-01-01', 'u1', 5, 'pro', 1], ['bad', '2024-02-30', 'u2', 5, 'pro', 2]]), ['INVALID_DATE']],
      ['a non-integer score', csvOf([HEADER, ['ok', '2024-01-01', 'u1', '4.5', 'pro', 1]]), ['INVALID_SCORE']],
      [
        'a missing feedback_date column',
        csvOf([
          ['feedback', 'score'],
          ['x', 1],
        ]),
        ['MISSING_COLUMN'],
      ],
      ['a missing feedback_date value', csvOf([HEADER, ['ok', '', 'u1', 5, 'pro', 1]]), ['REQUIRED']],
      [
        'the reserved tags column',
        csvOf([
          [...HEADER, 'tags'],
          ['ok', '2024-01-01', 'u1', 5, 'pro', 1, 'A'],
        ]),
        ['RESERVED_COLUMN'],
      ],
      [
        'the reserved wootric_response_id column',
        csvOf([
          ['wootric_response_id', ...HEADER],
          [1, 'ok', '2024-01-01', 'u1', 5, 'pro', 1],
        ]),
        ['RESERVED_COLUMN'],
      ],
      [
        'non-UTF-8 bytes',
        new Uint8Array([...new TextEncoder().encode('feedback,feedback_date\ncaf'), 0xe9, ...new TextEncoder().encode(',2024-01-01\n')]),
        ['NOT_UTF8'],
      ],
      ['an empty file', '', ['EMPTY_FILE']],
      ['a header only', 'feedback,feedback_date,score\n', ['NO_ROWS']],
      ['an unclosed quote', 'feedback,feedback_date\n"open,2024-01-01\n', ['MALFORMED_CSV']],
    ];
    for (const [what, csv, codes] of cases) {
      it(`refuses ${what}`, async () => {
        const before = await footprint(t, tenant.workspaceId);
        const error = await importRefused(t, tenant.key, csv);
        expect(error.code).toBe('BAD_USER_INPUT');
        expect(error.issues.map((i) => i.code)).toEqual(codes);
        expect(error.issues[0]!.path[0]).toBe('file');
        expect(await footprint(t, tenant.workspaceId)).toEqual(before);
      });
    }

    it('reports every bad row with its row number and column', async () => {
      const error = await importRefused(
        t,
        tenant.key,
        csvOf([HEADER, ['a', '2024-01-01', 'u', 3, 'p', 1], ['b', 'nope', 'u', 'x', 'p', 1], ['c', '', 'u', 3, 'p', 1]]),
      );
      expect(error.issues.map((i) => [i.path, i.code])).toEqual([
        [['file', '3', 'feedback_date'], 'INVALID_DATE'],
        [['file', '3', 'score'], 'INVALID_SCORE'],
        [['file', '4', 'feedback_date'], 'REQUIRED'],
      ]);
      expect(error.message).toContain('2 of 3 rows are invalid');
    });

    it('refuses a file over 10 MB while it streams, without reading the rest', async () => {
      const before = await footprint(t, tenant.workspaceId);
      const spooled = () => fs.readdirSync(t.server.app.uploadDirectory).length;
      const spooledBefore = spooled();
      // chunked: no Content-Length, so only the streaming limit can stop it
      const boundary = 'formgraphboundary';
      const head =
        `--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: CREATE_IMPORT, variables: { file: null } })}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="0"; filename="big.csv"\r\ncontent-type: text/csv\r\n\r\nfeedback,feedback_date\n`;
      const line = `${'x'.repeat(1000)},2024-01-01\n`;
      const total = 30 * 1024 * 1024;
      // a raw socket: the answer is read while the body is still being written
      const url = new URL(t.url);
      let sent = 0;
      const { status, body, sentWhenAnswered } = await new Promise<{ status: number; body: string; sentWhenAnswered: number }>((resolve, reject) => {
        const socket = net.connect(Number(url.port), url.hostname);
        let received = '';
        let at = -1;
        const finish = () => {
          const m = /^HTTP\/1\.1 (\d{3})[\s\S]*?\r\n\r\n([\s\S]*)$/.exec(received);
          if (!m) return reject(new Error(`no answer (sent ${sent} bytes): ${received.slice(0, 200)}`));
          const chunked = /transfer-encoding: chunked/i.test(received);
          const payload = chunked
            ? m[2]!
                .replace(/^[0-9a-f]+\r\n/i, '')
                .replace(/\r\n0\r\n\r\n$/, '')
                .replace(/\r\n$/, '')
            : m[2]!;
          resolve({ status: Number(m[1]), body: payload, sentWhenAnswered: at });
        };
        socket.on('data', (d) => {
          if (at < 0) at = sent;
          received += d.toString('utf8');
          const length = /content-length: (\d+)/i.exec(received);
          const headEnd = received.indexOf('\r\n\r\n');
          if (length && headEnd > 0 && Buffer.byteLength(received.slice(headEnd + 4)) >= Number(length[1])) socket.destroy();
        });
        socket.on('error', () => undefined);
        socket.on('close', finish);
        socket.write(
          `POST /graphql HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${tenant.key}\r\ncontent-type: multipart/form-data; boundary=${boundary}\r\ntransfer-encoding: chunked\r\n\r\n`,
        );
        const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
        socket.write(chunk(head));
        const pump = () => {
          while (sent < total && !socket.destroyed && at < 0) {
            sent += line.length;
            if (!socket.write(chunk(line))) return void socket.once('drain', pump);
          }
          if (!socket.destroyed && at < 0) socket.write('0\r\n\r\n');
        };
        pump();
      });
      expect(status).toBe(413);
      expect(JSON.parse(body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(sentWhenAnswered).toBeLessThan(total);
      expect(await footprint(t, tenant.workspaceId)).toEqual(before);
      // the spooled part is removed
      await new Promise((r) => setTimeout(r, 100));
      expect(spooled()).toBeLessThanOrEqual(spooledBefore);
    });

    it('refuses a declared Content-Length over the limit before reading the body', async () => {
      // headers only: the answer comes although no byte of the body is ever sent
      const url = new URL(t.url);
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(Number(url.port), url.hostname);
        let received = '';
        socket.on('data', (d) => (received += d.toString('utf8')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(received));
        socket.write(
          `POST /graphql HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${tenant.key}\r\ncontent-type: multipart/form-data; boundary=x\r\ncontent-length: ${11 * 1024 * 1024}\r\n\r\n`,
        );
      });
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toContain('PAYLOAD_TOO_LARGE');
    });
  });

  it('a dry run reports and writes nothing', async () => {
    const before = await footprint(t, tenant.workspaceId);
    const data = await importOk(t, tenant.key, csvOf([HEADER, ['good', '2024-01-01', 'u1', 9, 'pro', 3], ['bad', 'never', 'u2', 9, 'pro', 3]]), {
      dryRun: true,
    });
    expect(data.import).toBeNull();
    expect(data.job).toBeNull();
    expect(data.validation).toMatchObject({ totalRows: 2, validRows: 1, invalidRows: 1, issueCount: 1 });
    expect(data.validation!.issues).toEqual([{ row: 3, column: 'feedback_date', code: 'INVALID_DATE', message: expect.stringContaining('never') }]);
    expect(data.validation!.columns.map((c) => [c.name, c.role, c.dataType])).toEqual([
      ['feedback', 'FEEDBACK', null],
      ['feedback_date', 'FEEDBACK_DATE', null],
      ['user_id', 'USER_ID', null],
      ['score', 'SCORE', null],
      ['plan', 'PROPERTY', 'STRING'],
      ['seats', 'PROPERTY', 'NUMBER'],
    ]);
    expect(await footprint(t, tenant.workspaceId)).toEqual(before);
  });

  it('SKIP_INVALID_ROWS writes exactly the valid rows, with sentiment, properties and automatic tags', async () => {
    const rows: (string | number)[][] = [];
    const valid: string[] = [];
    for (let i = 0; i < 40; i++) {
      const bad = i % 7 === 3;
      const feedback = i % 2 ? `Great product, love it #${i}` : `The price is terrible, awful support #${i}`;
      rows.push([
        feedback,
        bad ? '2024-13-01' : `2024-03-${String((i % 28) + 1).padStart(2, '0')} 10:00:00`,
        `user${i % 5}`,
        i % 11,
        i % 3 ? 'pro' : 'basic',
        i,
      ]);
      if (!bad) valid.push(feedback);
    }
    const before = await footprint(t, tenant.workspaceId);
    const data = await importOk(t, tenant.key, csvOf([HEADER, ...rows]), {
      policy: 'SKIP_INVALID_ROWS',
      metricType: 'NPS',
      name: 'March',
      source: 'Zendesk',
      language: 'en',
    });
    expect(data.import).toMatchObject({
      name: 'March',
      source: 'Zendesk',
      language: 'en',
      metricType: 'NPS',
      status: 'QUEUED',
      totalRows: 40,
      validRows: valid.length,
      invalidRows: 40 - valid.length,
      sampleAnalyzed: false,
    });
    expect(data.job).toMatchObject({ kind: 'IMPORT', status: 'QUEUED' });
    // nothing is written before the job runs
    expect((await footprint(t, tenant.workspaceId)).responses).toBe(before.responses);
    await runJobsUntilIdle(t);

    const importId = rawId(data.import!.id);
    const written = await t.server.db.response.findMany({ where: { importId }, include: { properties: true, tags: { include: { tag: true } } } });
    expect(written.map((r) => r.feedback).sort()).toEqual([...valid].sort());
    for (const r of written) {
      expect(r.workspaceId).toBe(tenant.workspaceId);
      expect(r.metricType).toBe('NPS');
      expect(r.sentiment).toBe(analyzeSentiment(r.feedback).sentiment);
      const i = Number(r.feedback!.split('#')[1]);
      expect(r.userId).toBe(`user${i % 5}`);
      expect(r.score).toBe(i % 11);
      expect(Object.fromEntries(r.properties.map((p) => [p.key, [p.dataType, p.value]]))).toEqual({
        plan: ['STRING', i % 3 ? 'pro' : 'basic'],
        seats: ['NUMBER', String(i)],
      });
      // the GENERAL category's SMART tags matched by whole words
      const tags = r.tags.map((x) => x.tag.name).sort();
      expect(tags).toEqual(r.feedback!.includes('price') ? ['CUSTOMER_SUPPORT', 'PRICING'] : []);
    }
    const after = (await gql(tenant.key).data(
      `query($id: ID!) { node(id: $id) { ... on Import { status sampleAnalyzed responseCount job { status progress { done total } } responses(first: 5) { totalCount edges { node { feedback } } } } } }`,
      { id: data.import!.id },
    )) as any;
    expect(after.node).toMatchObject({
      status: 'COMPLETED',
      sampleAnalyzed: true,
      responseCount: valid.length,
      job: { status: 'OK', progress: { done: valid.length, total: valid.length } },
    });
    expect(after.node.responses.totalCount).toBe(valid.length);
    expect(await t.server.db.importStagingRow.count()).toBe(0);
  });

  it('ABORT (the default) refuses a file with one invalid row and writes nothing', async () => {
    const before = await footprint(t, tenant.workspaceId);
    const rows = Array.from({ length: 3000 }, (_, i) => [`row ${i}`, '2024-01-01', `u${i}`, 1, 'x', i]);
    rows[2500]![1] = '2024-01-99';
    const error = await importRefused(t, tenant.key, csvOf([HEADER, ...rows]));
    expect(error.issues).toEqual([{ path: ['file', '2502', 'feedback_date'], code: 'INVALID_DATE', message: expect.any(String) }]);
    expect(await footprint(t, tenant.workspaceId)).toEqual(before);
  });

  it('needs only feedback_date: score-only rows and files without a feedback column import, without sentiment', async () => {
    const withColumn = await importOk(
      t,
      tenant.key,
      csvOf([
        ['feedback', 'feedback_date', 'score'],
        ['', '2024-03-01', 9],
        ['Great support team', '2024-03-02', 10],
        ['  ', '2024-03-03', 3],
      ]),
      { metricType: 'NPS' },
    );
    expect(withColumn.import!.validRows).toBe(3);
    const without = await importOk(
      t,
      tenant.key,
      csvOf([
        ['feedback_date', 'score', 'plan'],
        ['2024-04-01', 7, 'pro'],
        ['2024-04-02', '', 'free'],
      ]),
      { metricType: 'NPS' },
    );
    expect(without.import!.columns.map((c) => c.role)).toEqual(['FEEDBACK_DATE', 'SCORE', 'PROPERTY']);
    await runJobsUntilIdle(t);
    const read = async (importId: string) =>
      (
        (await gql(tenant.key).data(
          `query($id: ID!) { node(id: $id) { ... on Import { status writtenRows: responseCount responses(first: 10) { edges { node { feedback feedbackDate score metricType sentiment properties { key value } } } } } } }`,
          { id: importId },
        )) as any
      ).node;
    const a = await read(withColumn.import!.id);
    expect(a.status).toBe('COMPLETED');
    const byDate = (n: { feedbackDate: string }, m: { feedbackDate: string }) => n.feedbackDate.localeCompare(m.feedbackDate);
    expect(
      a.responses.edges
        .map((e: any) => e.node)
        .sort(byDate)
        .map((n: any) => [n.feedback, n.score, n.metricType, n.sentiment]),
    ).toEqual([
      [null, 9, 'NPS', null],
      ['Great support team', 10, 'NPS', 'POSITIVE'],
      [null, 3, 'NPS', null],
    ]);
    const b = await read(without.import!.id);
    expect(b.status).toBe('COMPLETED');
    expect(
      b.responses.edges
        .map((e: any) => e.node)
        .sort(byDate)
        .map((n: any) => [n.feedback, n.score, n.sentiment, n.properties]),
    ).toEqual([
      [null, 7, null, [{ key: 'plan', value: 'pro' }]],
      [null, null, null, [{ key: 'plan', value: 'free' }]],
    ]);
  });

  it('a retried upload with the same idempotency key returns the first import', async () => {
    const csv = csvOf([HEADER, ['once', '2024-05-05', 'u', 5, 'p', 1]]);
    const first = await importOk(t, tenant.key, csv, { idempotencyKey: 'upload-42' });
    const second = await importOk(t, tenant.key, csv, { idempotencyKey: 'upload-42' });
    expect(second.replayed).toBe(true);
    expect(second.import!.id).toBe(first.import!.id);
    expect(second.job!.id).toBe(first.job!.id);
    expect(await t.server.db.import.count({ where: { workspaceId: tenant.workspaceId, idempotencyKey: 'upload-42' } })).toBe(1);
    // the key is per workspace
    const elsewhere = await importOk(t, other.key, csv, { idempotencyKey: 'upload-42' });
    expect(elsewhere.replayed).toBe(false);
    await runJobsUntilIdle(t);
    expect(await t.server.db.response.count({ where: { feedback: 'once' } })).toBe(2);
  });

  it('quoted fields with newlines and commas arrive intact', async () => {
    const text = 'first line, with a comma\nsecond "quoted" line';
    const data = await importOk(
      t,
      tenant.key,
      csvOf([
        ['feedback', 'feedback_date'],
        [text, '1700000000'],
      ]),
    );
    await runJobsUntilIdle(t);
    const [r] = await t.server.db.response.findMany({ where: { importId: rawId(data.import!.id) } });
    expect(r!.feedback).toBe(text);
    expect(r!.feedbackDate.toISOString()).toBe(new Date(1_700_000_000_000).toISOString());
  });

  it('updateImport changes metadata and applies tags and projects to every response', async () => {
    const db = t.server.db;
    const data = await importOk(
      t,
      tenant.key,
      csvOf([HEADER, ...Array.from({ length: 25 }, (_, i) => [`neutral words ${i}`, '2024-06-01', `u${i}`, 3, 'p', i])]),
      { metricType: 'CSAT' },
    );
    await runJobsUntilIdle(t);
    const untouched = await importOk(t, tenant.key, csvOf([HEADER, ['other import', '2024-06-02', 'u', 3, 'p', 1]]));
    await runJobsUntilIdle(t);
    await db.tag.createMany({
      data: [
        { workspaceId: tenant.workspaceId, name: 'VIP', displayName: 'VIP', mode: 'MANUAL' },
        { workspaceId: tenant.workspaceId, name: 'Q2', displayName: 'Q2', mode: 'MANUAL' },
      ],
    });
    const project = (await gql(tenant.key).data(`mutation { createProject(name: "Retail") { ... on MutationCreateProjectSuccess { data { id } } } }`)) as any;
    const projectId = project.createProject.data.id;

    const UPDATE = `mutation($id: ID!, $input: UpdateImportInput!) { updateImport(id: $id, input: $input) {
      __typename ... on MutationUpdateImportSuccess { data { name metricType source } } ... on UserError { code issues { path code } } } }`;
    const refused = (await gql(tenant.key).data(UPDATE, {
      id: data.import!.id,
      input: { tagNames: ['vip', 'nope'], projectIds: [projectId], metricType: 'bogus' },
    })) as any;
    expect(refused.updateImport.code).toBe('BAD_USER_INPUT');
    expect(refused.updateImport.issues).toEqual([
      { path: ['input', 'metricType'], code: 'INVALID_VALUE' },
      { path: ['input', 'tagNames', '1'], code: 'NOT_FOUND' },
    ]);
    expect(await db.responseTag.count({ where: { response: { importId: rawId(data.import!.id) } } })).toBe(0);

    const updated = (await gql(tenant.key).data(UPDATE, {
      id: data.import!.id,
      input: { name: 'June', source: 'Typeform', metricType: 'nps', tagNames: ['vip', 'Q2'], projectIds: [projectId] },
    })) as any;
    expect(updated.updateImport).toMatchObject({ __typename: 'MutationUpdateImportSuccess', data: { name: 'June', metricType: 'NPS', source: 'Typeform' } });
    const responses = await db.response.findMany({
      where: { importId: rawId(data.import!.id) },
      include: { tags: { include: { tag: true } }, projects: true },
    });
    expect(responses).toHaveLength(25);
    for (const r of responses) {
      expect(r.tags.map((x) => x.tag.name).sort()).toEqual(['Q2', 'VIP']);
      expect(r.projects.map((p) => p.projectId)).toEqual([rawId(projectId)]);
      expect(r.metricType).toBe('NPS');
    }
    const others = await db.response.findMany({ where: { importId: rawId(untouched.import!.id) }, include: { tags: true, projects: true } });
    expect(others.flatMap((r) => [...r.tags, ...r.projects])).toEqual([]);

    // another workspace's import does not exist for this credential
    const foreign = (await gql(other.key).data(UPDATE, { id: data.import!.id, input: { name: 'x' } })) as any;
    expect(foreign.updateImport.code).toBe('NOT_FOUND');
    expect(((await gql(other.key).data(`query($id: ID!) { node(id: $id) { id } }`, { id: data.import!.id })) as any).node).toBeNull();
  });

  it('deleteImport removes exactly its responses, as a job', async () => {
    const db = t.server.db;
    const a = await importOk(t, tenant.key, csvOf([HEADER, ...Array.from({ length: 30 }, (_, i) => [`delete me ${i}`, '2024-07-01', 'u', 1, 'p', i])]));
    const b = await importOk(t, tenant.key, csvOf([HEADER, ...Array.from({ length: 12 }, (_, i) => [`keep me ${i}`, '2024-07-01', 'u', 1, 'p', i])]));
    await runJobsUntilIdle(t);
    const total = await db.response.count({ where: { workspaceId: tenant.workspaceId } });
    const keptIds = (await db.response.findMany({ where: { workspaceId: tenant.workspaceId, NOT: { importId: rawId(a.import!.id) } }, select: { id: true } }))
      .map((r) => r.id)
      .sort();

    const DELETE = `mutation($id: ID!) { deleteImport(id: $id) { __typename ... on MutationDeleteImportSuccess { data { status deleteJob { kind status } } } ... on UserError { code } } }`;
    const started = (await gql(tenant.key).data(DELETE, { id: a.import!.id })) as any;
    expect(started.deleteImport.data).toEqual({ status: 'DELETING', deleteJob: { kind: 'DELETE_IMPORT', status: 'QUEUED' } });
    expect(((await gql(tenant.key).data(DELETE, { id: a.import!.id })) as any).deleteImport.code).toBe('CONFLICT');
    expect(((await gql(other.key).data(DELETE, { id: b.import!.id })) as any).deleteImport.code).toBe('NOT_FOUND');
    await runJobsUntilIdle(t);

    expect(await db.import.findUnique({ where: { id: rawId(a.import!.id) } })).toBeNull();
    expect(await db.response.count({ where: { workspaceId: tenant.workspaceId } })).toBe(total - 30);
    const remaining = (await db.response.findMany({ where: { workspaceId: tenant.workspaceId }, select: { id: true } })).map((r) => r.id).sort();
    expect(remaining).toEqual(keptIds);
    expect(await db.response.count({ where: { importId: rawId(b.import!.id) } })).toBe(12);
    expect(await db.responseProperty.count({ where: { response: { importId: rawId(a.import!.id) } } })).toBe(0);
  });

  it('needs onboarding, and a credential with WRITE', async () => {
    const fresh = await createTenant(t.server.db);
    const error = await importRefused(
      t,
      fresh.key,
      csvOf([
        ['feedback', 'feedback_date'],
        ['x', '2024-01-01'],
      ]),
    );
    expect(error.code).toBe('FAILED_DEPENDENCY');
    const reader = await createTenant(t.server.db, ['READ']);
    const r = await uploadRequest(t, reader.key, CREATE_IMPORT, {}, { name: 'a.csv', content: 'feedback,feedback_date\nx,2024-01-01\n' });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('uses the first-import metadata given at onboarding', async () => {
    const fresh = await createTenant(t.server.db);
    const r = (await gql(fresh.key).data(ONBOARD, {
      input: { category: 'GENERAL', onboarded: true, firstImport: { name: 'Legacy NPS', source: 'Wootric', metricType: 'NPS', language: 'de' } },
    })) as any;
    expect(r.updateOnboarding.__typename).toBe('MutationUpdateOnboardingSuccess');
    const bad = (await gql(fresh.key).data(ONBOARD, { input: { category: 'GENERAL', onboarded: true, firstImport: { language: 'not a language!' } } })) as any;
    expect(bad.updateOnboarding.code).toBe('BAD_USER_INPUT');
    const data = await importOk(
      t,
      fresh.key,
      csvOf([
        ['feedback', 'feedback_date', 'score'],
        ['x', '2024-01-01', 10],
      ]),
    );
    expect(data.import).toMatchObject({ name: 'Legacy NPS', source: 'Wootric', metricType: 'NPS', language: 'de' });
    // an NPS score above 10 is refused for that first import
    const refused = await importRefused(
      t,
      fresh.key,
      csvOf([
        ['feedback', 'feedback_date', 'score'],
        ['x', '2024-01-01', 11],
      ]),
      { metricType: 'NPS' },
    );
    expect(refused.issues.map((i) => i.code)).toEqual(['INVALID_SCORE']);
  });

  it('an import whose job is cancelled before it runs writes nothing, shows FAILED and can be deleted', async () => {
    await runJobsUntilIdle(t); // staged rows of earlier tests' imports are written first
    const before = await footprint(t, tenant.workspaceId);
    const data = await importOk(t, tenant.key, csvOf([HEADER, ['never written', '2024-01-01', 'u', 1, 'p', 1]]));
    const cancelled = (await gql(tenant.key).data(
      `mutation($id: ID!) { cancelJob(id: $id) { __typename ... on MutationCancelJobSuccess { data { status } } } }`,
      { id: data.job!.id },
    )) as any;
    expect(cancelled.cancelJob.data.status).toBe('CANCELLED');
    await runJobsUntilIdle(t);
    const node = (await gql(tenant.key).data(`query($id: ID!) { node(id: $id) { ... on Import { status responseCount } } }`, { id: data.import!.id })) as any;
    expect(node.node).toEqual({ status: 'FAILED', responseCount: 0 });
    const deleted = (await gql(tenant.key).data(
      `mutation($id: ID!) { deleteImport(id: $id) { __typename ... on MutationDeleteImportSuccess { data { status } } } }`,
      { id: data.import!.id },
    )) as any;
    expect(deleted.deleteImport.data.status).toBe('DELETING');
    await runJobsUntilIdle(t);
    const after = await footprint(t, tenant.workspaceId);
    // two more jobs (the cancelled import, the deletion); nothing else remains
    expect(after).toEqual({ ...before, jobs: before.jobs + 2 });
  });
});
