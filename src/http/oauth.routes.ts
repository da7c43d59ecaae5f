import type { Db } from '../db/prisma.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events/bus.js';
import { OAuthError, revokeToken, tokenGrant } from '../auth/oauth.service.js';
import { publishCredentialChange, type CredentialChange } from '../auth/credential-change.js';

const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Token requests arrive form-encoded (the RFC), as multipart, or as JSON. */
async function readParams(request: Request): Promise<Record<string, string | undefined>> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await request.json()) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(body ?? {}).map(([k, v]) => [k, v == null ? undefined : String(v)]));
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const form = await request.formData();
    return Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
  }
  throw new OAuthError('invalid_request', 'Send the parameters form-encoded, as multipart or as JSON');
}

function basicAuth(request: Request): { id: string; secret: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function oauthError(e: OAuthError): Response {
  const headers: Record<string, string> = { ...noStore, 'content-type': 'application/json' };
  if (e.status === 401) headers['www-authenticate'] = 'Basic realm="formgraph"';
  return new Response(JSON.stringify({ error: e.error, error_description: e.description }), { status: e.status, headers });
}

export async function handleOAuth(request: Request, path: string, deps: { db: Db; config: Config; events: EventBus }): Promise<Response | null> {
  if (path !== '/oauth/token' && path !== '/oauth/revoke') return null;
  if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
  try {
    const params = await readParams(request).catch((e) => {
      throw e instanceof OAuthError ? e : new OAuthError('invalid_request', 'The request body could not be read');
    });
    // every process drops the revoked tokens before the client hears the answer
    const revoked = (change: CredentialChange) => publishCredentialChange(deps.events, change);
    if (path === '/oauth/revoke') {
      const change = await revokeToken(deps.db, params, basicAuth(request));
      if (change) await revoked(change);
      return new Response(null, { status: 200, headers: noStore });
    }
    const token = await tokenGrant(deps.db, deps.config, params, basicAuth(request), revoked);
    return new Response(JSON.stringify(token), { status: 200, headers: { ...noStore, 'content-type': 'application/json' } });
  } catch (e) {
    if (e instanceof OAuthError) return oauthError(e);
    throw e;
  }
}
