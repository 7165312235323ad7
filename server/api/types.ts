/**
 * The wire types of our server's HTTP API: the one contract between the server, the Excel
 * add-in, Power Query and anything else that calls it. Type-only: no runtime code here.
 */

export type PeriodType = 'halfHour' | 'hour' | 'day' | 'week' | 'month';
export type ReadingsFormat = 'standard' | 'complete';
export type OutputFormat = 'json' | 'ndjson' | 'csv';

/** `POST /api/session` body. */
export interface SignInRequest {
  username: string;
  password: string;
}

/** `POST /api/session` answer, and `GET /api/session` for the current caller. */
export interface SessionInfo {
  username: string;
  role: string;
  /** Bearer token for callers that cannot keep cookies. Absent from `GET /api/session`. */
  token?: string;
  /** True when the caller is served through DCS's public endpoint, without a sign-in. */
  public?: boolean;
}

/** `GET /api/health`. */
export interface Health {
  status: 'ok';
  dcsUrl: string;
  simulator: boolean;
  /** Whether `/api` routes may be called without signing in (DCS public endpoint). */
  publicAccess: boolean;
  version: string;
}

/** One entry of `GET /api/sources`. */
export interface Source {
  id: string;
  kind: 'register' | 'virtualMeter';
  name: string;
  unit: string;
  isInstantaneous: boolean;
  meter?: { id: number; name: string };
}

export interface StandardReadingJson {
  /** ISO-8601 UTC, ending in `Z`. */
  timestamp: string;
  /** A number, or `"NaN"`, `"Infinity"`, `"-Infinity"`. */
  value: number | string;
  status: number;
}

export interface CompleteReadingJson {
  timestamp: string;
  totalValue: number | string;
  periodValue: number | string;
  status: number;
}

export type ReadingJson = StandardReadingJson | CompleteReadingJson;

/** What is known of one source's readings before the readings themselves. */
export interface SourceHeader {
  id: string;
  name: string;
  unit: string;
  periodType: PeriodType;
  format: ReadingsFormat;
  /** ISO-8601 UTC. The span is half-open: [startTime, endTime). */
  startTime: string;
  endTime: string;
  /** Readings expected in the span (one per period); DCS may send fewer where data is missing. */
  expectedCount: number;
}

/** `GET /api/readings?output=json`. */
export interface ReadingsJson {
  sources: Array<SourceHeader & { readings: ReadingJson[] }>;
}

/**
 * `GET /api/readings?output=ndjson`: one JSON object per line, in this order:
 * a `{source}` header, that source's readings (each carrying `id`), the next header, ...,
 * and finally `{end}`. A line `{error}` means the pull failed at that point; a stream without
 * `{end}` is incomplete.
 */
export type NdjsonRecord =
  | { source: SourceHeader }
  | (ReadingJson & { id: string })
  | { end: { sources: number; readings: number } }
  | ApiError;

/** Every error answer, and the ndjson error record. */
export interface ApiError {
  error: { code: ApiErrorCode; message: string; parameter?: string };
}

export type ApiErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'too_many_sign_ins'
  | 'dcs_failed'
  | 'dcs_timeout'
  | 'internal';
