import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/schema.js';
import { DEFAULT_DOCUMENT } from '../../../src/http/graphiql-document.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('GraphiQL page and assets', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('serves a page that loads nothing from another host', async () => {
    const r = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('<title>formgraph</title>');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(3);
    for (const asset of [...assets, ...html.match(/\/graphiql\/[^"]+\.worker\.js/g)!, '/favicon.ico']) {
      const a = await fetch(`${t.url}${asset}`);
      expect(a.status, asset).toBe(200);
      expect(a.headers.get('cache-control')).toContain('immutable');
      expect((await a.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
    }
    expect((await fetch(`${t.url}/graphiql/0.0.0/graphiql.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/graphiql/${assets[0]!.split('/')[2]}/constructor`)).status).toBe(404);
  });

  it('sends GET / to GraphiQL', async () => {
    const r = await fetch(`${t.url}/`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/graphql');
  });

  it('opens with a default document that is valid against the schema', () => {
    expect(validate(buildSchema(), parse(DEFAULT_DOCUMENT))).toEqual([]);
  });
});
