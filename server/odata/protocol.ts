/**
 * The small protocol facts every OData answer shares: version headers, content types, the
 * absolute service root (OData clients follow absolute links), and the request preferences we
 * honour (`Prefer: odata.maxpagesize`, `IEEE754Compatible`).
 */
import type { Request } from 'express';
import { ODataError } from './errors';

export const ODATA_VERSION_HEADERS: Readonly<Record<string, string>> = { 'OData-Version': '4.0' };

/** Every JSON answer is minimal metadata; streaming says control information may follow the values. */
export function jsonContentType(ieee754Compatible: boolean): string {
  return `application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=${ieee754Compatible};charset=utf-8`;
}

/**
 * The query of an OData URL, read as RFC 3986 says: `+` is a plus (as in an offset,
 * `2024-01-01T00:00:00+01:00`), and only percent-escapes are decoded. Express's own parser applies
 * HTML form decoding, where `+` is a space. A repeated name gives a list (refused later by name).
 */
export function parseODataQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    const previous = query[name];
    query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ODataError(400, 'bad_request', `the query '${text}' is not valid percent-encoding: write % as %25`);
  }
}

/** Replaces Express's form-decoded `req.query` with the RFC 3986 reading, for every OData handler. */
export function useODataQuery(req: Request): void {
  const at = req.originalUrl.indexOf('?');
  Object.defineProperty(req, 'query', { value: parseODataQuery(at < 0 ? '' : req.originalUrl.slice(at + 1)), configurable: true, enumerable: true });
}

/** Whether one media range of an Accept header (or $format) is answered by our JSON. */
export function acceptsOurJson(range: string): boolean {
  const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json' && type !== 'application/*' && type !== '*/*' && type !== 'json') return false;
  const param = (name: string) => params.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
  if (param('q') !== undefined && Number(param('q')) === 0) return false;
  // odata.metadata=none is answered with minimal: a client that wants none ignores the extra annotations.
  const metadata = param('odata.metadata') ?? param('odata');
  return metadata === undefined || ['minimal', 'none', 'minimalmetadata', 'nometadata'].includes(metadata);
}

/**
 * A request for a format this feed does not write (`odata.metadata=full`, Atom, XML) is refused
 * with 406, instead of being answered in minimal JSON that the client would misread. An Accept
 * header that lists our JSON among others (as Power Query's does) is answered.
 */
export function checkAcceptable(req: Request): void {
  // $format overrides Accept (OData Part 2 §5.1.8); the query options check it.
  const accept = req.query.$format === undefined ? req.headers.accept : undefined;
  if (accept === undefined || accept.trim() === '' || accept.split(',').some(acceptsOurJson)) return;
  throw new ODataError(
    406,
    'not_acceptable',
    `Accept: ${accept} is not available: this feed answers in JSON with minimal metadata (application/json;odata.metadata=minimal); $metadata is XML`,
  );
}

export const METADATA_CONTENT_TYPE = 'application/xml;charset=utf-8';

/**
 * The service root as links must name it, e.g. `https://host:3000/odata` (no trailing slash):
 * the request's link base (PUBLIC_URL, a trusted proxy's forwarded address, or the listening
 * URL; see server/http/public-url.ts) plus where the feed is mounted.
 */
export function serviceRoot(req: Request): string {
  const base = req.res?.locals.linkBase;
  if (base === undefined) throw new Error('serviceRoot: the linkBase middleware did not run for this request');
  return `${base}${req.baseUrl}`;
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
