/**
 * The small protocol facts every OData answer shares: version headers, content types, the
 * absolute service root (OData clients follow absolute links), and the request preferences we
 * honour (`Prefer: odata.maxpagesize`, `IEEE754Compatible`).
 */
import type { Request } from 'express';

export const ODATA_VERSION_HEADERS: Readonly<Record<string, string>> = { 'OData-Version': '4.0' };

/** Every JSON answer is minimal metadata; streaming says control information may follow the values. */
export function jsonContentType(ieee754Compatible: boolean): string {
  return `application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=${ieee754Compatible};charset=utf-8`;
}

export const METADATA_CONTENT_TYPE = 'application/xml;charset=utf-8';

function firstForwarded(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  const first = text?.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}

/**
 * The service root as the caller reached it, e.g. `https://host:3000/odata` (no trailing slash).
 * Next links and context URLs are absolute, so behind a reverse proxy that terminates TLS (HTTPS=0)
 * they must name the proxy: X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-Prefix are
 * honoured when well-formed. They only shape links sent back to the same caller.
 */
export function serviceRoot(req: Request): string {
  const proto = firstForwarded(req, 'x-forwarded-proto')?.toLowerCase();
  const host = firstForwarded(req, 'x-forwarded-host');
  const prefix = firstForwarded(req, 'x-forwarded-prefix');
  const scheme = proto === 'http' || proto === 'https' ? proto : req.protocol;
  const authority = host !== undefined && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : req.host;
  const path = prefix !== undefined && /^\/[A-Za-z0-9._~/-]*$/.test(prefix) ? prefix.replace(/\/+$/, '') : '';
  return `${scheme}://${authority}${path}${req.baseUrl}`;
}

/**
 * Whether the caller asked for 64-bit integers as strings (JavaScript clients do, because a JSON
 * number cannot hold every Int64). Asked through Accept or $format.
 */
export function wantsIeee754Compatible(req: Request): boolean {
  const format = typeof req.query.$format === 'string' ? req.query.$format : '';
  return /IEEE754Compatible=true/i.test(`${req.headers.accept ?? ''};${format}`);
}

/** `Prefer: odata.maxpagesize=N` (also the older `odata.maxpagesize` spelled in any case); undefined if absent or unusable. */
export function preferredMaxPageSize(req: Request): number | undefined {
  const header = req.headers.prefer;
  if (header === undefined) return undefined;
  const prefer = Array.isArray(header) ? header.join(',') : header;
  const match = /(?:^|[,;\s])odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(prefer) ?? /(?:^|[,;\s])maxpagesize\s*=\s*"?(\d+)"?/i.exec(prefer);
  if (!match) return undefined;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
