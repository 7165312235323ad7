/**
 * Server-driven paging. A page holds at most the page size (the server's ODATA_PAGE_SIZE, default 10,000, or
 * less when the client prefers `odata.maxpagesize`); when more rows follow, the answer ends with
 * `@odata.nextLink`: the same query plus a `$skiptoken` saying where to resume. The token is
 * opaque to clients but small and self-contained (no server state), and is bound to the query it
 * came from so that it cannot be replayed against a different filter.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { badOption } from './errors';
import { preferredMaxPageSize } from './protocol';

export interface PageSize {
  size: number;
  /** Set when the client's `odata.maxpagesize` was applied, for `Preference-Applied`. */
  preferenceApplied?: string;
}

export function effectivePageSize(req: Request, serverPageSize: number): PageSize {
  const preferred = preferredMaxPageSize(req);
  if (preferred === undefined) return { size: serverPageSize };
  return { size: Math.min(preferred, serverPageSize), preferenceApplied: `odata.maxpagesize=${preferred}` };
}

/** Where the next page resumes. Which fields are used depends on the entity set and the order. */
export interface ResumePoint {
  /** Readings: rank of the source (in the order the query reads sources). */
  r?: number;
  /** Readings: timestamp (epoch ms) of the first row not yet sent. */
  t?: number;
  /** Small sets: offset of the first row not yet sent. */
  o?: number;
  /** The total for `$count=true`, counted on the first page and carried forward. */
  c?: number;
  /**
   * The server's clock (epoch ms) when the first page was planned. Later pages are planned as at
   * that instant, so a default that moves with the clock (the end of what DCS holds, a preview's
   * span) stays where the first page put it: the link keeps working, and its page is the page
   * the first one promised, however long the refresh takes or however much data arrives meanwhile.
   */
  n?: number;
}

interface TokenBody extends ResumePoint {
  v: 1;
  /** Fingerprint of the query the token belongs to. */
  q: string;
}

/** A short fingerprint of what decides a result's rows and their order. */
export function queryFingerprint(parts: ReadonlyArray<string | undefined>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeSkipToken(point: ResumePoint, fingerprint: string): string {
  const body: TokenBody = { v: 1, q: fingerprint, ...point };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

const STALE = 'start again from the first page (the URL without $skiptoken)';

function isOptionalNumber(v: unknown): boolean {
  return v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
}

/** The token's JSON body, if it is one (checked by the caller). */
function tokenBody(token: string): Partial<TokenBody> | null | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody> | null;
  } catch {
    return undefined;
  }
}

export function decodeSkipToken(token: string, fingerprint: string): ResumePoint {
  const b = tokenBody(token);
  if (typeof b !== 'object' || b === null || b.v !== 1 || typeof b.q !== 'string' || ![b.r, b.t, b.o, b.c, b.n].every(isOptionalNumber)) {
    throw badOption('$skiptoken', `is not a token this feed issued; ${STALE}`);
  }
  if (b.q !== fingerprint) {
    throw badOption('$skiptoken', `belongs to a different query ($filter, $orderby or periodType changed); ${STALE}`);
  }
  const point: ResumePoint = {};
  if (b.r !== undefined) point.r = b.r;
  if (b.t !== undefined) point.t = b.t;
  if (b.o !== undefined) point.o = b.o;
  if (b.c !== undefined) point.c = b.c;
  if (b.n !== undefined) point.n = b.n;
  return point;
}

/**
 * The clock a query is planned at: the first page's (from its token), never later than now, so
 * that a token cannot make the server ask DCS for periods that have not happened yet.
 */
export function plannedAt(skipToken: string | undefined, now: number): number {
  if (skipToken === undefined) return now;
  const issued: unknown = tokenBody(skipToken)?.n;
  return typeof issued === 'number' && Number.isSafeInteger(issued) && issued >= 0 ? Math.min(issued, now) : now;
}

function encodeKey(name: string): string {
  return encodeURIComponent(name).replace(/^%24/, '$');
}

/**
 * The URL of the next page: the request's own options (so the client's $filter, $select,
 * periodType... carry over), without $skip (already applied), with $top reduced by what was sent,
 * and the token.
 */
export function nextLink(req: Request, root: string, path: string, token: string, remainingTop: number | undefined): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(req.query)) {
    if (name === '$skip' || name === '$top' || name === '$skiptoken' || typeof value !== 'string') continue;
    parts.push(`${encodeKey(name)}=${encodeURIComponent(value)}`);
  }
  if (remainingTop !== undefined) parts.push(`$top=${remainingTop}`);
  parts.push(`$skiptoken=${token}`);
  return `${root}/${path}?${parts.join('&')}`;
}
