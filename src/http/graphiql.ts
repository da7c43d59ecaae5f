import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/**
 * GraphiQL from the project's own dependencies: Yoga's stock page loads its script, CSS and
 * editor workers from a CDN (blank offline). The assets of `@graphql-yoga/render-graphiql` are
 * served here as separate, cacheable files instead of being inlined into a 9 MB page.
 */
const ASSET_PREFIX = '/graphiql/';

type Assets = typeof import('@graphql-yoga/render-graphiql/graphiql');

const FILES: Record<string, { type: string; body: (a: Assets) => BodyInit }> = {
  'graphiql.js': { type: 'text/javascript; charset=utf-8', body: (a) => a.js },
  'graphiql.css': { type: 'text/css; charset=utf-8', body: (a) => a.css },
  'editor.worker.js': { type: 'text/javascript; charset=utf-8', body: (a) => a.editorWorkerService },
  'json.worker.js': { type: 'text/javascript; charset=utf-8', body: (a) => a.jsonWorker },
  'graphql.worker.js': { type: 'text/javascript; charset=utf-8', body: (a) => a.graphqlWorker },
  'favicon.ico': { type: 'image/x-icon', body: (a) => new Uint8Array(Buffer.from(a.favicon.slice(a.favicon.indexOf(',') + 1), 'base64')) },
};

// ~9 MB of JavaScript: loaded on the first GraphiQL request, not at start
let assets: Promise<Assets> | undefined;
const loadAssets = () => (assets ??= import('@graphql-yoga/render-graphiql/graphiql'));

/** the package's version in the asset URLs makes them safe to cache for good */
const VERSION: string = JSON.parse(
  fs.readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql')), '../package.json'), 'utf8'),
).version;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside a <script>: "</script>" or "<!--" in a default query must not end the element
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function renderGraphiQL(options: GraphiQLOptions): string {
  const asset = (name: string) => `${ASSET_PREFIX}${VERSION}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
<link rel="icon" href="${asset('favicon.ico')}">
<link rel="stylesheet" href="${asset('graphiql.css')}">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
<script>
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: (_moduleId, label) => ({ json: ${scriptJson(asset('json.worker.js'))}, graphql: ${scriptJson(asset('graphql.worker.js'))} })[label] ?? ${scriptJson(asset('editor.worker.js'))},
};
</script>
<script src="${asset('graphiql.js')}"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${scriptJson(options)});</script>
</body>
</html>`;
}

/** Serves GraphiQL's assets, `/favicon.ico`, and sends `GET /` to GraphiQL. */
export function useLocalGraphiQL(graphqlEndpoint = '/graphql'): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const path = url.pathname;
      if (path === '/') return endResponse(new Response(null, { status: 302, headers: { location: graphqlEndpoint } }));
      const name =
        path === '/favicon.ico' ? 'favicon.ico' : path.startsWith(`${ASSET_PREFIX}${VERSION}/`) ? path.slice(ASSET_PREFIX.length + VERSION.length + 1) : null;
      const file = name && Object.hasOwn(FILES, name) ? FILES[name] : undefined;
      if (!file) return;
      const body = file.body(await loadAssets());
      endResponse(new Response(body, { headers: { 'content-type': file.type, 'cache-control': 'public, max-age=31536000, immutable' } }));
    },
  };
}
