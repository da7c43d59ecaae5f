import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { retagResponses } from '../../../src/modules/feedback/autotag.js';
import { analyzeSentiment } from '../../../src/modules/feedback/sentiment.js';

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
        data: Array.from({ length: N }, (_, i) => ({
          workspaceId: ws.workspaceId,
          feedback: i % 3 === 0 ? `Wifi is down again (${i})` : `all good ${i}`,
          feedbackDate: new Date(Date.UTC(2025, 0, 1 + i)),
        })),
      });
    }
    tagId = (
      await db.tag.create({ data: { workspaceId: tenant.workspaceId, name: 'WIFI', displayName: 'wifi', mode: 'TEXT_MATCH', textMatchTerms: ['wifi'] } })
    ).id;
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
    expect(f.progress).toEqual([
      [0, N],
      [5, N],
      [10, N],
      [15, N],
      [20, N],
      [N, N],
    ]);
    const tagged = await t.server.db.responseTag.findMany({ where: { tagId }, include: { response: true } });
    expect(tagged).toHaveLength(expected);
    expect(tagged.every((rt) => rt.response.feedback!.startsWith('Wifi') && rt.response.workspaceId === tenant.workspaceId)).toBe(true);
    expect(tagged.every((rt) => rt.feedbackDate.getTime() === rt.response.feedbackDate.getTime())).toBe(true);
    expect(f.logs.at(-1)).toMatch(new RegExp(`Re-tagged ${N} responses`));
    // another workspace passing this tag id touches nothing
    const g = fakeRun();
    expect(await retagResponses(t.server.db, { workspaceId: other.workspaceId, tagIds: [tagId] }, g.run)).toEqual({ responses: 0, assignments: 0 });
  });

  it('keeps the copied feedbackDate (and, for MANUAL and SMART tags, the sentiment) of tag assignments in step with the response', async () => {
    const db = t.server.db;
    const rt = await db.responseTag.findFirstOrThrow({ where: { tagId }, include: { response: true } });
    // a TEXT_MATCH tag's sentiment is that of the text it matched ("Wifi is down again"), not the response's (never analysed here)
    expect(rt.response.sentiment).toBeNull();
    expect(rt.sentiment).toBe(analyzeSentiment(rt.response.feedback).sentiment);
    const manual = (await db.tag.create({ data: { workspaceId: tenant.workspaceId, name: 'MANUAL', displayName: 'MANUAL', mode: 'MANUAL' } })).id;
    const copied = await db.responseTag.create({ data: { responseId: rt.responseId, tagId: manual, feedbackDate: new Date(0), sentiment: 'POSITIVE' } });
    // whatever an inserter claims, the row copies the response
    expect([copied.feedbackDate.toISOString(), copied.sentiment]).toEqual([rt.response.feedbackDate.toISOString(), null]);
    const when = new Date('2030-01-02T03:04:05.678Z');
    await db.response.update({ where: { id: rt.responseId }, data: { feedbackDate: when, sentiment: 'POSITIVE' } });
    const [textMatch, byHand] = await Promise.all([
      db.responseTag.findUniqueOrThrow({ where: { responseId_tagId: { responseId: rt.responseId, tagId } } }),
      db.responseTag.findUniqueOrThrow({ where: { responseId_tagId: { responseId: rt.responseId, tagId: manual } } }),
    ]);
    expect(textMatch.feedbackDate.toISOString()).toBe(when.toISOString());
    expect(textMatch.sentiment).toBe(rt.sentiment);
    expect(byHand.feedbackDate.toISOString()).toBe(when.toISOString());
    expect(byHand.sentiment).toBe('POSITIVE');
  });
});
