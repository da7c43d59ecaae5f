import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { retagResponses } from '../../../src/modules/feedback/autotag.js';

/** The re-tagging work itself, driven directly: chunks, progress, logs and cancellation. */
describe('retagResponses', () => {
  let t: TestServer;
  let tenant: Tenant;
  let other: Tenant;
  let tagId: string;
  const N = 23;

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    other = await createTenant(t.server.db);
    const db = t.server.db;
    // rows written straight to the tables, so the tag is applied only by the re-tagging below
    for (const ws of [tenant, other]) {
      await db.response.createMany({
        data: Array.from({ length: N }, (_, i) => ({ workspaceId: ws.workspaceId, feedback: i % 3 === 0 ? `Wifi is down again (${i})` : `all good ${i}`, feedbackDate: new Date(Date.UTC(2025, 0, 1 + i)) })),
      });
    }
    tagId = (await db.tag.create({ data: { workspaceId: tenant.workspaceId, name: 'WIFI', displayName: 'wifi', mode: 'TEXT_MATCH', textMatchTerms: ['wifi'] } })).id;
    // a stale assignment the re-tag must remove
    const wrong = await db.response.findFirstOrThrow({ where: { workspaceId: tenant.workspaceId, feedback: { startsWith: 'all good' } } });
    await db.responseTag.create({ data: { responseId: wrong.id, tagId, feedbackDate: wrong.feedbackDate } });
  });
  afterAll(() => t?.stop());

  const fakeRun = (cancelAfterChunks = Infinity) => {
    const progress: Array<[number, number]> = [];
    const logs: string[] = [];
    let checks = 0;
    return {
      progress,
      logs,
      run: {
        log: async (_level: string, message: string) => void logs.push(message),
        progress: async (done: number, total: number) => void progress.push([done, total]),
        throwIfCancelled: () => {
          if (checks++ >= cancelAfterChunks) throw new Error('cancelled');
        },
      },
    };
  };

  it('stops between chunks when cancelled, leaving finished chunks done', async () => {
    const f = fakeRun(1);
    await expect(retagResponses(t.server.db, { workspaceId: tenant.workspaceId, tagIds: [tagId], chunkSize: 5 }, f.run)).rejects.toThrow('cancelled');
    expect(f.progress).toEqual([
      [0, N],
      [5, N],
    ]);
  });

  it('re-tags every response of the workspace in chunks, reporting progress, and only there', async () => {
    const f = fakeRun();
    const result = await retagResponses(t.server.db, { workspaceId: tenant.workspaceId, tagIds: [tagId], chunkSize: 5 }, f.run);
    const expected = Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 === 0).length;
    expect(result).toEqual({ responses: N, assignments: expect.any(Number) });
    expect(f.progress).toEqual([[0, N], [5, N], [10, N], [15, N], [20, N], [N, N]]);
    const tagged = await t.server.db.responseTag.findMany({ where: { tagId }, include: { response: true } });
    expect(tagged).toHaveLength(expected);
    expect(tagged.every((rt) => rt.response.feedback!.startsWith('Wifi') && rt.response.workspaceId === tenant.workspaceId)).toBe(true);
    expect(tagged.every((rt) => rt.feedbackDate.getTime() === rt.response.feedbackDate.getTime())).toBe(true);
    expect(f.logs.at(-1)).toMatch(new RegExp(`Re-tagged ${N} responses`));
    // another workspace passing this tag id touches nothing
    const g = fakeRun();
    expect(await retagResponses(t.server.db, { workspaceId: other.workspaceId, tagIds: [tagId] }, g.run)).toEqual({ responses: 0, assignments: 0 });
  });

  it('keeps the copied feedbackDate and sentiment of tag assignments in step with the response', async () => {
    const db = t.server.db;
    const rt = await db.responseTag.findFirstOrThrow({ where: { tagId }, include: { response: true } });
    expect(rt.sentiment).toBe(rt.response.sentiment);
    const when = new Date('2030-01-02T03:04:05.678Z');
    await db.response.update({ where: { id: rt.responseId }, data: { feedbackDate: when, sentiment: 'NEGATIVE' } });
    const after = await db.responseTag.findUniqueOrThrow({ where: { responseId_tagId: { responseId: rt.responseId, tagId } } });
    expect(after.feedbackDate.toISOString()).toBe(when.toISOString());
    expect(after.sentiment).toBe('NEGATIVE');
    // whatever an inserter claims, the row copies the response
    const other = await db.response.findFirstOrThrow({ where: { workspaceId: tenant.workspaceId, tags: { none: {} } } });
    const made = await db.responseTag.create({ data: { responseId: other.id, tagId, feedbackDate: new Date(0), sentiment: 'POSITIVE' } });
    expect(made.feedbackDate.toISOString()).toBe(other.feedbackDate.toISOString());
    expect(made.sentiment).toBe(other.sentiment);
  });
});
