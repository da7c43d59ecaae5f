/**
 * HTTP_TASK_ALLOW_LIST entries: `host` (any port), `host:port`, `*.domain` (subdomains), or an
 * origin `https://host[:port]`. An empty list allows nothing.
 */
export function isAllowedDestination(url: URL, allowList: string[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return allowList.some((raw) => {
    const entry = raw.toLowerCase();
    if (entry.includes('://')) return url.origin === entry.replace(/\/+$/, '');
    if (entry.startsWith('*.')) return url.hostname.endsWith(entry.slice(1));
    if (/:\d+$/.test(entry) && !entry.startsWith('[')) return url.host === entry;
    return url.hostname === entry;
  });
}
