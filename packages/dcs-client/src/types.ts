/**
 * The public shapes of the DCS client: what DCS's Web API describes, in TypeScript idiom.
 * Field names follow DCS's JSON so that anyone who knows the API recognises them.
 */

import type { PeriodType } from './period-types';

export { PERIOD_TYPES, type PeriodType } from './period-types';

export type ReadingsFormat = 'standard' | 'complete';

/** Status bits DCS sets on a reading. 0 means a real reading. */
export const ReadingStatus = {
  /** No real reading existed; DCS estimated it. */
  Interpolated: 1,
  /** A discontinuity: register reset, meter exchange or counter rollover. */
  Reset: 2,
} as const;

export interface Register {
  id: number;
  address: number;
  isInstantaneous: boolean;
  name: string;
  /** DCS sends scale factors as strings, possibly empty. */
  scaleFactor: string;
  defaultScaleFactor: string;
  unit: string;
}

export interface Meter {
  id: number;
  name: string;
  connectionMethod: string;
  deviceId: number;
  meterType: string;
  remoteAddress: string;
  serialNumber: string;
  mpn?: string;
  service?: string;
  status: string;
  registers: Register[];
}

export interface RegisterAlias {
  alias: string;
  registerId: number;
  registerName: string;
}

export interface VirtualMeter {
  id: number;
  name: string;
  expression: string;
  decimalPlaces: number;
  isInstantaneous: boolean;
  unit: string;
  registerAliases: RegisterAlias[];
}

export interface SignInInfo {
  username: string;
  role: string;
  appVersion?: string;
}

/**
 * A point in time given by a caller. Strings follow pythondcs: an ISO date-time without offset
 * means UTC, a plain date (yyyy-mm-dd) means 00:00 UTC. Numbers are epoch milliseconds.
 */
export type TimeInput = Date | string | number;

export interface ReadingsQuery {
  /** `R<registerId>` or `VM<virtualMeterId>`, any case. */
  id: string;
  start?: TimeInput;
  end?: TimeInput;
  periodCount?: number;
  /** Default `halfHour`. */
  periodType?: PeriodType;
  /** Default true, as pythondcs sends. */
  calibrated?: boolean;
  /** Default true, as pythondcs sends. */
  interpolated?: boolean;
  /** Default `standard`. */
  format?: ReadingsFormat;
}

export interface Reading {
  /** The start of the period the reading belongs to (a UTC instant). */
  timestamp: Date;
  value: number;
  status: number;
}

export interface CompleteReading {
  timestamp: Date;
  totalValue: number;
  periodValue: number;
  status: number;
}

export type AnyReading = Reading | CompleteReading;

/** What DCS says about a readings response before the readings themselves. */
export interface ReadingsHeader {
  /** Normalised source id, upper-case prefix: `R733`, `VM9`. */
  id: string;
  name: string;
  unit: string;
  periodType: PeriodType;
  startTime: Date;
  endTime: Date;
  /** 0: each value is a total or instantaneous value; non-zero: consumption per period. */
  duration: number;
  format: ReadingsFormat;
}

export interface ReadingsResult<R extends AnyReading = AnyReading> extends ReadingsHeader {
  readings: R[];
}

/**
 * Readings as they arrive. The header is known before the first reading. Iterate either
 * reading by reading (`for await (const r of stream)`) or, faster, batch by batch
 * (`for await (const batch of stream.batches())`). Iterate only once. Breaking out of the
 * loop or calling `close()` frees the readings spooled for it (and, if DCS is still sending, the
 * connection and the session's transaction lock).
 * A stream that cannot be completed throws from the iterator: it never ends early quietly.
 */
export interface ReadingsStream<R extends AnyReading = AnyReading> extends AsyncIterable<R> {
  readonly header: ReadingsHeader;
  batches(): AsyncIterable<readonly R[]>;
  close(): Promise<void>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * Where a stream's readings wait between DCS and the reader: DCS is read at its own pace (the
 * session is busy only while DCS sends), the reader takes them at its own.
 */
export interface SpoolOptions {
  /** Readings (estimated bytes) kept in memory per stream before the rest go to a temporary file. Default 8 MiB. */
  memoryBytes?: number;
  /** Where temporary files go. Default: the operating system's temporary directory. */
  directory?: string;
  /** A reader that leaves readings waiting this long (ms) is cut off (DcsStalledReaderError). 0 = never. Default 180000. */
  stalledReaderMs?: number;
}

export interface StreamOptions extends CallOptions {
  /** Spool settings for this stream. Default: the client's `spool`. */
  spool?: SpoolOptions;
}

export interface LargeReadingsOptions extends StreamOptions {
  /** Largest span asked of DCS in one call. Default: the client's `maxWindowDays` (365). */
  maxWindowDays?: number;
  /** Called as each window starts: for progress reporting. */
  onWindow?: (window: { index: number; count: number; start: Date; end: Date }) => void;
  /** The clock (epoch ms) that says which periods DCS can have readings for. Default: the client's `now`. */
  now?: () => number;
}

/**
 * What the client tries again and how patient it is, grouped as ky groups it. A GET (and sign-in)
 * is tried again after a failed or dropped connection, an answer cut short, or a status in
 * `statusCodes`; a 429 is waited out as DCS asks; a 401 signs in again once per call.
 */
export interface RetryOptions {
  /** Retries of one call (per window, for largeReadings) after a failure or a status in statusCodes. Default 5. */
  limit?: number;
  /** Statuses tried again after a back-off (400 to 599; not 401 or 429, which have their own rules). Default [502, 503, 504]. */
  statusCodes?: number[];
  /** Exponential back-off with jitter: the first pause, doubling each retry up to `maxMs`. Defaults 500 and 30000. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** 429 answers waited out before DcsRateLimitError (default 5), and the longest single wait in ms (default 300000). */
  rateLimit?: { retries?: number; maxWaitMs?: number };
}

/** What a hook is told: the request (its URL never holds credentials), which attempt, why, and the wait. */
export interface RequestEvent {
  method: string;
  url: string;
  /** 1 for the first retry (or wait, or re-sign-in) of the call. */
  attempt: number;
  /** The status DCS answered with, when it answered. */
  status?: number;
  /** The failure, when there was no answer (a DcsNetworkError, DcsTimeoutError, DcsProtocolError). */
  error?: unknown;
  /** How long the client waits before trying again (ms). */
  waitMs: number;
}

/** Observers of the request policy; they cannot change what the client does (a hook that throws is ignored). */
export interface RequestHooks {
  /** Before a retry after a failure or a status in retry.statusCodes. */
  onRetry?: (event: RequestEvent) => void;
  /** The session expired (401): the client signs in again and repeats the call. */
  onResignIn?: (event: RequestEvent) => void;
  /** DCS answered 429: every client of the endpoint waits `waitMs`, then the call is repeated. */
  onRateLimit?: (event: RequestEvent) => void;
}

/**
 * How to reach DCS and how patient to be with it. Only `url` is required; without `username` and
 * `password` the client works unauthenticated, against DCS's `/public/...` paths.
 */
/** DCS's X-Rate-Limit-Remaining / -Reset, as read from an answer. */
export interface RateLimitHeaders {
  remaining?: number;
  resetAtMs?: number;
}

/**
 * The pace of one DCS endpoint (an API root in one mode), shared by every caller of it. DCS
 * limits the endpoint for all its users together, so a 429 seen by one caller holds all of them.
 */
export interface EndpointPace {
  /**
   * Waits for the endpoint's next request slot and reserves it. Rejects with DcsRateLimitError
   * when the endpoint is held (Retry-After, exhausted window) for longer than `maxWaitMs`, and
   * with the signal's reason when aborted.
   */
  awaitTurn(maxWaitMs: number, signal?: AbortSignal): Promise<void>;
  /** A 429's Retry-After: no caller sends another request to the endpoint for `ms`. */
  pauseFor(ms: number): Promise<void>;
  /** DCS's X-Rate-Limit-Remaining / -Reset: when none remain, everyone waits for the reset (at most `maxWaitMs`). */
  observe(limits: RateLimitHeaders, maxWaitMs: number): Promise<void>;
}

/** The longest span (days) DCS accepts in one readings call, as learned from its refusals. */
export interface SpanCap {
  get(): Promise<number | undefined>;
  /** Records that spans over `days` are refused; only ever tightens. */
  tighten(days: number): Promise<void>;
}

/**
 * Where the clients of an endpoint keep what they share about it: its pace and its learned span
 * cap. `endpointKey` is `${mode} ${apiRoot}` (lower case), as `endpointKey()` builds it. The
 * default is this process's memory; the server passes Redis (REDIS_URL) to share it between
 * instances.
 */
/**
 * Time as the pace sees it: the current time (epoch ms) and a wait that ends early, rejecting with
 * the signal's reason, when the signal fires. `systemClock` is the real one; a test passes a
 * virtual one (`virtualClock` of `dcs-simulator`) to check waits exactly, without waiting.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface EndpointRegistry {
  /** `requestsPerSecond`: the client's `rateLimit`; undefined = unpaced (pauses still hold). */
  pace(endpointKey: string, requestsPerSecond: number | undefined): EndpointPace;
  spanCap(endpointKey: string): SpanCap;
}

/** Releases a lock; calling it again does nothing. */
export type Release = () => void;

/** One DCS transaction at a time per DCS session. */
export interface SessionLock {
  /** Resolves once the caller holds the lock; rejects with the signal's reason when aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<Release>;
}

export interface DcsClientOptions {
  /** The DCS Web API root, e.g. `https://dcs.example.com/DCSWebApi/` (a trailing slash is added if missing). */
  url: string;
  username?: string;
  password?: string;
  /** Largest span (days) largeReadings asks for in one call. Default 365. */
  maxWindowDays?: number;
  /**
   * Requests per second to send at most, shared by every client in this process talking to the same
   * DCS endpoint (DCS limits an endpoint for all its users together). Default: no pacing.
   */
  rateLimit?: number;
  /** Where the endpoint's pace and learned span cap are kept. Default: this process's memory. */
  endpoints?: EndpointRegistry;
  /**
   * The session's one-transaction-at-a-time lock. Default: one in this process. Pass a lock shared
   * with every process using the same DCS session (cookies moved with `exportSession` / `resumeSession`).
   */
  lock?: SessionLock;
  /** Time allowed from sending a request to DCS's answer beginning (ms). Default 120000. */
  timeoutMs?: number;
  /** Time allowed to open a connection (ms). Default 10000. */
  connectTimeoutMs?: number;
  /** Longest silence allowed in the middle of an answer (ms). Default 120000. */
  idleTimeoutMs?: number;
  /** What is tried again, how long to wait first, and how rate limits are waited out (see RetryOptions). */
  retry?: RetryOptions;
  /** Told about each retry, re-sign-in and rate-limit wait, e.g. to log them. */
  hooks?: RequestHooks;
  /** Sent as User-Agent. */
  userAgent?: string;
  /** Ask DCS for gzip/deflate-compressed answers. Default true. */
  compression?: boolean;
  /** Extra trusted certificate authorities (PEM) for an https DCS with a private CA. */
  ca?: string | string[];
  /** Set false only to test against a DCS with a self-signed certificate. Default true. */
  rejectUnauthorized?: boolean;
  /** Default spool settings of every stream (see SpoolOptions). */
  spool?: SpoolOptions;
  /**
   * The clock (epoch ms): largeReadings never asks DCS for periods after now (plus a few minutes
   * for clock skew). Default Date.now.
   */
  now?: () => number;
}
