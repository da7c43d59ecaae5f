/**
 * `Content-Disposition: attachment` for any file name (RFC 6266): `filename*` carries the name in
 * UTF-8 (RFC 8187, formerly 5987); `filename` an ASCII fallback for clients that ignore it.
 * Header values must be Latin-1: a raw non-Latin-1 name made the Response constructor throw.
 */
export function attachment(name: string): string {
  const wellFormed = name.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const fallback = wellFormed.replace(/[^\x20-\x7e]|["\\%]/g, '_').trim() || 'download';
  // encodeURIComponent leaves ' ( ) * unescaped; RFC 8187's attr-char does not allow them
  const encoded = encodeURIComponent(wellFormed).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
