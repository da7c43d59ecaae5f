import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../../helpers/fixtures.js';
import { startLoggedServer, type LoggedServer } from '../foundation/logged-server.js';
import { attachment } from '../../../src/http/content-disposition.js';

let t: LoggedServer;
let tenant: Tenant;

beforeAll(async () => {
  t = await startLoggedServer();
  tenant = await createTenant(t.server.db);
});
afterAll(() => t?.stop());

async function upload(name: string, content: string) {
  const body = new FormData();
  body.set(
    'operations',
    JSON.stringify({
      query: `mutation($file: Upload!) { uploadFile(file: $file) { __typename ... on MutationUploadFileSuccess { data { id name url } } } }`,
      variables: { file: null },
    }),
  );
  body.set('map', JSON.stringify({ 0: ['variables.file'] }));
  body.set('0', new File([content], name, { type: 'text/plain' }));
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${tenant.key}` }, body });
  const json = (await res.json()) as any;
  expect(json.data?.uploadFile?.__typename, JSON.stringify(json)).toBe('MutationUploadFileSuccess');
  return json.data.uploadFile.data as { id: string; name: string; url: string };
}

const get = (url: string) => fetch(new URL(url, t.url), { headers: { authorization: `Bearer ${tenant.key}` } });

/** The file name a client reads from Content-Disposition: filename* (RFC 6266 prefers it) when present. */
function nameFrom(header: string | null) {
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '')?.[1];
  return extended ? decodeURIComponent(extended) : /filename="([^"]*)"/.exec(header ?? '')?.[1];
}

describe('downloads of files with any name', () => {
  it.each(['報告.txt', 'notes 😀.txt', 'quote " and \\ and % and \'(x)*.txt'])('serves %s with an RFC 6266 filename* and an ASCII fallback', async (name) => {
    const file = await upload(name, 'hello');
    const res = await get(file.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    const header = res.headers.get('content-disposition');
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(nameFrom(header)).toBe(file.name);
  });

  it('keeps the fallback free of quotes and non-ASCII', () => {
    expect(attachment('報告 "a".txt')).toBe(`attachment; filename="__ _a_.txt"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%20%22a%22.txt`);
    expect(attachment('\ud800x')).toBe(`attachment; filename="_x"; filename*=UTF-8''%EF%BF%BDx`);
  });
});

describe('a route that fails', () => {
  it('answers JSON INTERNAL with the request id, never a stack trace, and logs the error in full', async () => {
    const file = await upload('plain.txt', 'hello');
    // a header value that is not Latin-1 makes building the response throw inside the route
    await t.server.db.storedFile.update({ where: { id: Buffer.from(file.id, 'base64').toString().split(':')[1] }, data: { contentType: 'text/報告' } });
    const res = await fetch(new URL(file.url, t.url), { headers: { authorization: `Bearer ${tenant.key}`, 'x-request-id': 'route-failure-1' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.text();
    expect(body).not.toMatch(/at |\.ts:|Error:/);
    expect(JSON.parse(body)).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL', requestId: 'route-failure-1' } }] });
    const logged = t.lines.find((l) => l.requestId === 'route-failure-1' && l.msg === 'unexpected error');
    expect(JSON.stringify(logged?.err)).toMatch(/stack/);
  });
});
