/**
 * DcsClient: a session with one DCS server. It signs in (or works unauthenticated), keeps the
 * session cookie, and turns DCS's meters, virtual meters and readings into typed values. Around
 * each request it does what a polite, robust client of a shared metering server must: one
 * transaction at a time per session (held only while DCS sends: readings are spooled for their
 * reader), never asking for periods after now, pacing shared with every client of the endpoint,
 * waiting out rate limits, signing in again when the session expires, retrying what is safe to
 * retry, and failing loudly (never a quietly short answer) when it cannot. When to retry, how
 * long to wait and what the hooks are told is the request policy's (`request-policy.ts`).
 */
import http from 'node:http';
import https from 'node:https';
import { anySignal } from './abort';
import { endpointKey, localEndpoints, paceKey, readRateLimitHeaders } from './endpoint';
import { attachRequest, DcsAuthenticationError, DcsError, DcsProtocolError, DcsQueryError, type DcsRequestTarget } from './errors';
import { sendRequest, type HttpResponse } from './http';
import { TransactionLock } from './lock';
import { SessionCookies } from './cookies';
import { addPeriods, availableEnd, planWindows, type TimeWindow } from './periods';
import { normaliseQuery, readingsSearchParams, type NormalisedQuery } from './query';
import { decodeHeader } from './readings-decode';
import { ReadingsBodyParser } from './readings-parser';
import { DcsReadingsStream } from './readings-stream';
import { ReadingsSpool, resolveSpoolOptions } from './spool';
import { RequestPolicy, checkHooks, resolveRetry, type Attempts, type RateLimitAnswer, type RateLimitWaits } from './request-policy';
import { WindowedReadings, type OpenAnswer, type ReadingsFetcher } from './windowed-readings';
import { errorForStatus, parseErrorBody, retryAfterSeconds, type ErrorBody } from './status-errors';
import { toEpochMs } from './time';
import type {
  AnyReading,
  CallOptions,
  CompleteReading,
  DcsClientOptions,
  EndpointPace,
  EndpointRegistry,
  Release,
  SessionLock,
  LargeReadingsOptions,
  Meter,
  Reading,
  ReadingsQuery,
  ReadingsResult,
  ReadingsStream,
  SignInInfo,
  SpoolOptions,
  StreamOptions,
  TimeInput,
  VirtualMeter,
} from './types';

const DEFAULTS = {
  maxWindowDays: 365,
  timeoutMs: 120_000,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 120_000,
  userAgent: 'dcs-excel-client/0.1 (Node.js)',
  compression: true,
};

type Mode = 'public' | 'authenticated' | 'signedOut';

interface ResolvedOptions {
  maxWindowDays: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  userAgent: string;
  compression: boolean;
  spool: Required<SpoolOptions>;
  now: () => number;
}

interface Request {
  method: 'GET' | 'POST';
  path: string;
  search?: URLSearchParams;
  body?: unknown;
  /** Words for error messages: "list meters", "read R733 readings". */
  action: string;
}

function checkPositive(name: string, value: number | undefined, integer: boolean, allowZero = false): void {
  if (value === undefined) return;
  const ok = typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok)
    throw new RangeError(`DcsClient option ${name} must be a ${integer ? 'whole ' : ''}number ${allowZero ? '0 or more' : 'above 0'}, not ${String(value)}.`);
}

function checkSpool(spool: SpoolOptions | undefined): void {
  if (spool === undefined) return;
  checkPositive('spool.memoryBytes', spool.memoryBytes, false, true);
  checkPositive('spool.stalledReaderMs', spool.stalledReaderMs, false, true);
  if (spool.directory !== undefined && (typeof spool.directory !== 'string' || spool.directory === '')) {
    throw new TypeError('DcsClient option spool.directory must be the path of a directory for temporary files.');
  }
}

/** Takes every batch off DCS into the spool at DCS's pace; the reader learns how it ended from the spool. */
async function pumpIntoSpool(source: WindowedReadings, spool: ReadingsSpool): Promise<void> {
  try {
    for await (const batch of source.batches()) await spool.write(batch);
    spool.end();
  } catch (error) {
    spool.fail(error);
  }
}

function normaliseApiRoot(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`DcsClient url ${JSON.stringify(url)} is not a URL; give the DCS Web API root, such as https://dcs.example.com/DCSWebApi/.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`DcsClient url ${JSON.stringify(url)} must start with https:// (or http://).`);
  }
  if (parsed.username || parsed.password) {
    throw new TypeError('Do not put credentials in the DcsClient url; pass username and password as options.');
  }
  parsed.search = '';
  parsed.hash = '';
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed;
}

export class DcsClient implements AsyncDisposable {
  /** The API root, normalised with a trailing slash. */
  readonly url: string;
  private readonly apiRoot: URL;
  private readonly options: ResolvedOptions;
  /** Retries, rate-limit waits, re-sign-in and the hooks told of them. */
  private readonly policy: RequestPolicy;
  private readonly agent: http.Agent;
  private readonly tls: { ca?: string | string[]; rejectUnauthorized?: boolean };
  private readonly cookies = new SessionCookies();
  private readonly lock: SessionLock;
  private readonly endpoints: EndpointRegistry;
  private sharedPace: EndpointPace | undefined;
  /** The span cap learned by any client of the endpoint, as last read (refreshed before each largeReadings). */
  private learnedMaxWindowDays: number | undefined;
  private readonly rateLimit: number | undefined;
  private readonly openStreams = new Set<DcsReadingsStream>();
  private credentials: { username: string; password: string } | undefined;
  private mode: Mode;
  private signedInAs: SignInInfo | undefined;

  constructor(options: DcsClientOptions) {
    if (!options || typeof options.url !== 'string')
      throw new TypeError('DcsClient needs options with a url: new DcsClient({ url: "https://dcs.example.com/DCSWebApi/" }).');
    this.apiRoot = normaliseApiRoot(options.url);
    this.url = this.apiRoot.href;
    checkPositive('maxWindowDays', options.maxWindowDays, false);
    checkPositive('rateLimit', options.rateLimit, false);
    checkPositive('timeoutMs', options.timeoutMs, false);
    checkPositive('connectTimeoutMs', options.connectTimeoutMs, false);
    checkPositive('idleTimeoutMs', options.idleTimeoutMs, false);
    checkHooks(options.hooks);
    this.policy = new RequestPolicy(resolveRetry(options.retry), options.hooks);
    checkSpool(options.spool);
    if (options.now !== undefined && typeof options.now !== 'function')
      throw new TypeError('DcsClient option now must be a function returning epoch milliseconds.');
    if ((options.username === undefined) !== (options.password === undefined)) {
      throw new TypeError('Give both username and password to sign in to DCS, or neither to use its unauthenticated (public) access.');
    }
    this.options = {
      maxWindowDays: options.maxWindowDays ?? DEFAULTS.maxWindowDays,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
      userAgent: options.userAgent ?? DEFAULTS.userAgent,
      compression: options.compression ?? DEFAULTS.compression,
      spool: resolveSpoolOptions(options.spool),
      now: options.now ?? Date.now,
    };
    this.tls = {
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
    };
    this.agent = this.apiRoot.protocol === 'https:' ? new https.Agent({ keepAlive: true, ...this.tls }) : new http.Agent({ keepAlive: true });
    if (options.username !== undefined && options.password !== undefined) {
      this.credentials = { username: options.username, password: options.password };
      this.mode = 'authenticated';
    } else {
      this.mode = 'public';
    }
    this.rateLimit = options.rateLimit;
    this.endpoints = options.endpoints ?? localEndpoints;
    this.lock = options.lock ?? new TransactionLock();
    // The pace holds every client of the server from the moment one is configured.
    if (options.rateLimit !== undefined) this.pace();
  }

  /**
   * The DCS session's cookies, to hand the session to another process (which calls
   * `resumeSession`); undefined when not signed in. Secret: encrypt it wherever it is kept.
   */
  exportSession(): string | undefined {
    return this.mode === 'authenticated' ? this.cookies.header() : undefined;
  }

  /**
   * Continues a DCS session another client signed in (`exportSession`), without a sign-in. Without
   * credentials, a session DCS has expired cannot be renewed: calls then fail with DcsAuthenticationError.
   */
  resumeSession(cookies: string, user: SignInInfo): void {
    this.cookies.load(cookies);
    if (!this.cookies.hasSession) throw new TypeError('resumeSession needs the cookies exportSession() returned for a signed-in client.');
    this.signedInAs = { ...user };
    this.mode = 'authenticated';
  }

  /** A client that has already signed in (when credentials are given): sign-in problems surface here. */
  static async connect(options: DcsClientOptions & CallOptions): Promise<DcsClient> {
    const client = new DcsClient(options);
    if (client.credentials) await client.signIn(undefined, undefined, { signal: options.signal });
    return client;
  }

  /** Who DCS says is signed in; undefined in public mode and before sign-in. */
  get user(): SignInInfo | undefined {
    return this.signedInAs ? { ...this.signedInAs } : undefined;
  }

  /** True when the client uses DCS's unauthenticated (`/public/...`) access. */
  get isPublic(): boolean {
    return this.mode === 'public';
  }

  /**
   * Signs in, with new credentials or those the client was given. The credentials are kept (in
   * memory only) so the client can sign in again by itself when DCS expires the session.
   */
  async signIn(username?: string, password?: string, options: CallOptions = {}): Promise<SignInInfo> {
    if ((username === undefined) !== (password === undefined)) {
      throw new TypeError('signIn needs both a username and a password (or neither, to reuse those the client was given).');
    }
    if (username !== undefined && password !== undefined) this.credentials = { username, password };
    if (!this.credentials) {
      throw new DcsAuthenticationError('No DCS username and password are known to sign in with; call signIn(username, password).');
    }
    const release = await this.lock.acquire(options.signal);
    try {
      return await this.signInHoldingLock(options.signal);
    } finally {
      release();
    }
  }

  /**
   * Signs out of DCS and forgets the credentials. Waits for the call in progress to finish first.
   * The client then refuses calls until signIn() is called again. In public mode it does nothing.
   */
  async signOut(options: CallOptions = {}): Promise<void> {
    if (this.mode === 'public') return;
    const release = await this.lock.acquire(options.signal);
    try {
      const cookie = this.cookies.header();
      if (cookie !== undefined) {
        const response = await this.send({ method: 'POST', url: new URL('authentication/signout', this.apiRoot) }, undefined, options.signal);
        this.cookies.update(response.headers['set-cookie']);
        await response.body.readAll().catch(() => undefined);
      }
    } finally {
      this.cookies.clear();
      this.signedInAs = undefined;
      this.credentials = undefined;
      this.mode = 'signedOut';
      release();
    }
  }

  /** Closes any readings still streaming, signs out (best effort) and frees the connections. */
  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all([...this.openStreams].map((stream) => stream.close()));
    try {
      await this.signOut();
    } catch (error) {
      // The session times out on the server anyway; a failed sign-out must not hide the error
      // that may be ending the caller's `await using` block.
      if (!(error instanceof DcsError)) throw error;
    } finally {
      this.agent.destroy();
    }
  }

  /** Every meter the user may see, with its registers. */
  async meters(options: CallOptions = {}): Promise<Meter[]> {
    return this.getJsonArray<Meter>('meters', 'list meters', options.signal);
  }

  /** Every virtual meter the user may see. */
  async virtualMeters(options: CallOptions = {}): Promise<VirtualMeter[]> {
    return this.getJsonArray<VirtualMeter>('virtualMeters', 'list virtual meters', options.signal);
  }

  /** All the readings of a query, in memory. For long spans prefer streamReadings or largeReadings. */
  readings(query: ReadingsQuery & { format: 'complete' }, options?: CallOptions): Promise<ReadingsResult<CompleteReading>>;
  readings(query: ReadingsQuery & { format?: 'standard' }, options?: CallOptions): Promise<ReadingsResult<Reading>>;
  readings(query: ReadingsQuery, options?: CallOptions): Promise<ReadingsResult>;
  async readings(query: ReadingsQuery, options: CallOptions = {}): Promise<ReadingsResult> {
    const stream = await this.streamReadings(query, options);
    const readings: AnyReading[] = [];
    for await (const batch of stream.batches()) for (const reading of batch) readings.push(reading);
    return { ...stream.header, readings };
  }

  /**
   * The readings of a query as they arrive: the header first, then the readings. DCS's answer is
   * taken at DCS's pace into the stream's spool (memory, then a temporary file): the session is
   * busy (other calls wait) only until DCS has sent it, however slowly the caller reads.
   */
  streamReadings(query: ReadingsQuery & { format: 'complete' }, options?: StreamOptions): Promise<ReadingsStream<CompleteReading>>;
  streamReadings(query: ReadingsQuery & { format?: 'standard' }, options?: StreamOptions): Promise<ReadingsStream<Reading>>;
  streamReadings(query: ReadingsQuery, options?: StreamOptions): Promise<ReadingsStream>;
  async streamReadings(query: ReadingsQuery, options: StreamOptions = {}): Promise<ReadingsStream> {
    checkSpool(options.spool);
    const normalised = normaliseQuery(query);
    const window = { startMs: normalised.spanStartMs, endMs: normalised.spanEndMs };
    return this.openReadingsStream(normalised, [window], { signal: options.signal, large: false, spool: options.spool });
  }

  /**
   * Readings over any span, fetched in windows of at most `maxWindowDays` (fewer if DCS is found to
   * refuse them) and presented as one stream whose header covers the whole span. Start and end are
   * both required, swapped if reversed, and must be period starts. Periods after now are not asked
   * for (DCS has no readings for them yet); a span wholly in the future costs one call, for the header.
   * Each window is asked for once the caller has read the one before, so an abandoned stream
   * costs DCS at most one window more than was read.
   */
  largeReadings(
    query: ReadingsQuery & { start: TimeInput; end: TimeInput; format: 'complete' },
    options?: LargeReadingsOptions,
  ): Promise<ReadingsStream<CompleteReading>>;
  largeReadings(
    query: ReadingsQuery & { start: TimeInput; end: TimeInput; format?: 'standard' },
    options?: LargeReadingsOptions,
  ): Promise<ReadingsStream<Reading>>;
  largeReadings(query: ReadingsQuery & { start: TimeInput; end: TimeInput }, options?: LargeReadingsOptions): Promise<ReadingsStream>;
  async largeReadings(query: ReadingsQuery & { start: TimeInput; end: TimeInput }, options: LargeReadingsOptions = {}): Promise<ReadingsStream> {
    if (!query || query.start === undefined || query.start === null || query.end === undefined || query.end === null) {
      throw new DcsQueryError('largeReadings needs both start and end (and no periodCount); e.g. { id: "R733", start: "2020-01-01", end: "2024-01-01" }.');
    }
    if (query.periodCount !== undefined && query.periodCount !== null) {
      throw new DcsQueryError('largeReadings takes start and end only: leave periodCount out.');
    }
    checkPositive('maxWindowDays', options.maxWindowDays, false);
    checkSpool(options.spool);
    const startMs = toEpochMs(query.start, 'start');
    const endMs = toEpochMs(query.end, 'end');
    const ordered = endMs < startMs ? { ...query, start: endMs, end: startMs } : { ...query, start: startMs, end: endMs };
    const normalised = normaliseQuery(ordered);
    this.learnedMaxWindowDays = await this.endpoints.spanCap(this.endpointKey()).get();
    return this.openReadingsStream(normalised, this.plannedWindows(normalised, options), {
      signal: options.signal,
      large: true,
      maxWindowDays: options.maxWindowDays,
      onWindow: options.onWindow,
      spool: options.spool,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Readings streams

  /** largeReadings' windows: up to the last period DCS can have; one period for a span wholly after it. */
  private plannedWindows(query: NormalisedQuery, options: LargeReadingsOptions): TimeWindow[] {
    const nowMs = (options.now ?? this.options.now)();
    const endMs = Math.min(query.spanEndMs, availableEnd(nowMs, query.periodType));
    if (endMs <= query.spanStartMs) {
      return [{ startMs: query.spanStartMs, endMs: addPeriods(query.spanStartMs, query.periodType, 1) }];
    }
    return planWindows(query.spanStartMs, endMs, query.periodType, this.windowDays(options));
  }

  /**
   * The longest span (days) `largeReadings` would ask in one call now: `maxWindowDays` (default the
   * client's), or less when DCS has refused longer spans, as learned by any client of the endpoint
   * (shared state included). For estimating what a pull will cost before making it.
   */
  async windowDaysInForce(maxWindowDays?: number): Promise<number> {
    checkPositive('maxWindowDays', maxWindowDays, false);
    this.learnedMaxWindowDays = await this.endpoints.spanCap(this.endpointKey()).get();
    return this.windowDays({ ...(maxWindowDays !== undefined ? { maxWindowDays } : {}) });
  }

  /** The window size for largeReadings: the caller's or client's maximum, or less if DCS refused more. */
  private windowDays(options: { maxWindowDays?: number }): number {
    const configured = options.maxWindowDays ?? this.options.maxWindowDays;
    const learned = this.learnedMaxWindowDays;
    return learned === undefined ? configured : Math.min(configured, learned);
  }

  /**
   * Takes the session, opens the first answer (so that the header is known and a refusal is
   * thrown here, not from the iterator), and hands back a stream fed from a spool. A pump takes
   * each window's answer off DCS at DCS's pace into the spool and gives the session back as soon
   * as the window is read; it asks for the next window once the reader has caught up.
   */
  private async openReadingsStream(
    query: NormalisedQuery,
    windows: TimeWindow[],
    how: { signal?: AbortSignal; large: boolean; maxWindowDays?: number; onWindow?: LargeReadingsOptions['onWindow']; spool?: SpoolOptions },
  ): Promise<ReadingsStream> {
    // Every read of the stream, and the pump, stop when the caller's signal fires, the stream is
    // closed, or the reader stalls.
    const closer = new AbortController();
    const signal = anySignal(how.signal, closer.signal);
    const spool = new ReadingsSpool(resolveSpoolOptions(how.spool, this.options.spool), (error) => closer.abort(error));
    const source = new WindowedReadings(query, windows, this.readingsFetcher(query, how, spool), { large: how.large, onWindow: how.onWindow, signal });
    let stream: DcsReadingsStream | undefined;
    let disposed = false;
    const dispose = (): void => {
      if (disposed) return;
      disposed = true;
      if (!closer.signal.aborted) closer.abort(new DOMException('The readings stream has ended', 'AbortError'));
      source.abandon();
      spool.destroy();
      if (stream) this.openStreams.delete(stream);
    };
    let rawHeader: Record<string, unknown>;
    try {
      rawHeader = await source.start();
    } catch (error) {
      dispose();
      throw error;
    }
    const header = decodeHeader(rawHeader, {
      id: query.id,
      periodType: query.periodType,
      format: query.format,
      startMs: query.spanStartMs,
      endMs: query.spanEndMs,
    });
    if (how.large) {
      // One stream for the whole span, whatever windows it was fetched in.
      header.startTime = new Date(query.spanStartMs);
      header.endTime = new Date(query.spanEndMs);
    }
    void pumpIntoSpool(source, spool);
    async function* produce(): AsyncGenerator<AnyReading[], void, undefined> {
      try {
        for (;;) {
          const batch = await spool.read(signal);
          if (batch === null) return;
          yield batch;
        }
      } finally {
        dispose();
      }
    }
    stream = new DcsReadingsStream(header, produce(), dispose, (reason) => closer.abort(reason));
    this.openStreams.add(stream);
    return stream;
  }

  /** What the windowed fetch needs: requests, retry budgets, span caps, and the session for each window. */
  private readingsFetcher(query: NormalisedQuery, how: { maxWindowDays?: number }, spool: ReadingsSpool): ReadingsFetcher {
    const action = `read ${query.id} readings`;
    let release: Release | undefined;
    return {
      open: (window, attempts, callSignal) => this.openAnswer(query, window, action, attempts, callSignal),
      attempts: () => this.policy.attempts(),
      windowDays: () => this.windowDays(how),
      limitWindowDays: (days) => this.limitWindowDays(days),
      enter: async (callSignal) => {
        // The next window waits for the reader to catch up: the spool then never holds more than
        // one window beyond what the reader has taken, and an abandoned stream costs DCS little.
        // No await when it has: the lock is then asked for at once, in the order calls were made.
        const drained = spool.drained(callSignal);
        if (drained) await drained;
        release = await this.lock.acquire(callSignal);
      },
      leave: () => {
        release?.();
        release = undefined;
      },
    };
  }

  /**
   * Sends one readings request (for the query as asked, or for `window` of it) and reads until the
   * header is known. A connection cut before then is retried: nothing has been handed over yet.
   */
  private async openAnswer(
    query: NormalisedQuery,
    window: TimeWindow | undefined,
    action: string,
    attempts: Attempts,
    signal: AbortSignal | undefined,
  ): Promise<OpenAnswer> {
    const request: Request = { method: 'GET', path: 'readings', search: readingsSearchParams(query, window), action };
    for (;;) {
      const response = await this.exchange(request, attempts, signal);
      const target = this.target(request);
      const parser = new ReadingsBodyParser(query.format);
      const queued: AnyReading[][] = [];
      try {
        while (parser.header === undefined) {
          const chunk = await response.body.next();
          if (chunk === null) {
            queued.push(...parser.finish());
            break;
          }
          queued.push(...parser.push(chunk));
        }
        return { response, parser, queued, target };
      } catch (error) {
        response.body.destroy();
        await attempts.afterFailure(error, target, signal);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  private endpointKey(): string {
    return endpointKey(this.url, this.mode === 'public' ? 'public' : 'authenticated');
  }

  /** One pace per DCS server, public and signed-in requests alike (see `paceKey`). */
  private pace(): EndpointPace {
    this.sharedPace ??= this.endpoints.pace(paceKey(this.url), this.rateLimit);
    return this.sharedPace;
  }

  /** Where the policy holds every client of the endpoint after a 429 (not awaited: the retry's awaitTurn comes after it). */
  private pauseTarget(): { pauseUntil(untilMs: number): void } {
    const pace = this.pace();
    return { pauseUntil: (untilMs) => void pace.pauseFor(Math.max(0, untilMs - Date.now())).catch(() => undefined) };
  }

  /** DCS refused spans over `days`: this client stops asking at once, every client of the endpoint from now on. */
  private limitWindowDays(days: number): void {
    if (this.learnedMaxWindowDays === undefined || days < this.learnedMaxWindowDays) this.learnedMaxWindowDays = days;
    // Not awaited: the refusal itself is what this call must report; a shared store that is away
    // only means other clients learn it from their own refusal.
    this.endpoints
      .spanCap(this.endpointKey())
      .tighten(days)
      .catch(() => undefined);
  }

  /** The method and URL a request goes to: the public path in public mode, with its query. */
  private target(request: Request): DcsRequestTarget & { url: URL } {
    const url = new URL(this.mode === 'public' ? `public/${request.path}` : request.path, this.apiRoot);
    if (request.search) url.search = request.search.toString();
    return { method: request.method, url };
  }

  private async getJsonArray<T>(path: string, action: string, signal: AbortSignal | undefined): Promise<T[]> {
    const release = await this.lock.acquire(signal);
    try {
      const attempts = this.policy.attempts();
      const request: Request = { method: 'GET', path, action };
      for (;;) {
        const response = await this.exchange(request, attempts, signal);
        let body: Buffer;
        try {
          body = await response.body.readAll();
        } catch (error) {
          await attempts.afterFailure(error, this.target(request), signal);
          continue;
        }
        return parseJsonList<T>(body, action);
      }
    } catch (error) {
      throw attachRequest(error, this.target({ method: 'GET', path, action }));
    } finally {
      release();
    }
  }

  /**
   * One GET, made to succeed if it reasonably can, as the request policy says. The caller holds the
   * lock. Returns a 2xx answer with its body unread; any other answer becomes the matching DcsError.
   */
  private async exchange(request: Request, attempts: Attempts, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const rateLimited: RateLimitWaits = { count: 0, waitedMs: 0 };
    let signedInAgain = false;
    for (;;) {
      await this.ensureSignedIn(signal);
      const target = { ...this.target(request), action: request.action };
      let response: HttpResponse;
      try {
        response = await this.send(target, undefined, signal);
      } catch (error) {
        await attempts.afterFailure(error, target, signal);
        continue;
      }
      if (response.status >= 200 && response.status < 300) return response;
      const body = parseErrorBody(await response.body.readAll().catch(() => Buffer.alloc(0)));
      if (response.status === 429) {
        this.policy.rateLimited(rateLimitAnswer(response, body), rateLimited, target, this.pauseTarget());
        continue;
      }
      if (response.status === 401 && this.mode === 'authenticated' && this.credentials && !signedInAgain) {
        // The session expired (or DCS restarted): sign in again, once, and repeat the call.
        signedInAgain = true;
        this.policy.resigningIn(target);
        this.cookies.clear();
        await this.signInHoldingLock(signal);
        continue;
      }
      if (await attempts.afterStatus(response.status, target, signal)) continue;
      if (response.status === 401 && this.mode === 'public') {
        throw new DcsAuthenticationError(
          `DCS refused unauthenticated access when asked to ${request.action} (401)${body.details ? `: "${body.details}"` : ''}. This server needs a username and password.`,
          { status: 401, ...(body.details !== undefined ? { details: body.details } : {}), ...target },
        );
      }
      throw errorForStatus(response.status, body, request.action, target);
    }
  }

  /** Signs in first if the client has credentials but no session yet; refuses after signOut(). */
  private async ensureSignedIn(signal: AbortSignal | undefined): Promise<void> {
    if (this.mode === 'signedOut') {
      throw new DcsAuthenticationError('This DCS client has signed out; call signIn(username, password) before asking DCS for more.');
    }
    if (this.mode === 'authenticated' && !this.cookies.hasSession) await this.signInHoldingLock(signal);
  }

  /**
   * POST authentication/signin, retried as the request policy retries a GET: after a 429 as DCS
   * asks, and after a status in retry.statusCodes or a failed connection with back-off, within the
   * retry budget. A sign-in has no effect beyond a new session, so repeating it is safe; a refused
   * password (400/401) is never repeated, because repeating credentials blindly is how accounts
   * get locked.
   */
  private async signInHoldingLock(signal: AbortSignal | undefined): Promise<SignInInfo> {
    const credentials = this.credentials;
    if (!credentials) throw new DcsAuthenticationError('No DCS username and password are known to sign in with; call signIn(username, password).');
    const action = `sign in as "${credentials.username}"`;
    const target = { method: 'POST', url: new URL('authentication/signin', this.apiRoot), action };
    const attempts = this.policy.attempts();
    const rateLimited: RateLimitWaits = { count: 0, waitedMs: 0 };
    for (;;) {
      let response: HttpResponse;
      let bodyBytes: Buffer;
      try {
        response = await this.send(target, { username: credentials.username, password: credentials.password }, signal);
        bodyBytes = await response.body.readAll();
      } catch (error) {
        await attempts.afterFailure(error, target, signal);
        continue;
      }
      if (response.status === 429) {
        this.policy.rateLimited(rateLimitAnswer(response, parseErrorBody(bodyBytes)), rateLimited, target, this.pauseTarget());
        continue;
      }
      const refused = response.status === 400 || response.status === 401;
      if (!refused && (await attempts.afterStatus(response.status, target, signal))) continue;
      if (response.status < 200 || response.status >= 300) throw signInRefusal(response.status, parseErrorBody(bodyBytes), target);
      this.cookies.update(response.headers['set-cookie']);
      if (!this.cookies.hasSession) {
        throw new DcsProtocolError(
          `DCS accepted the sign-in as "${credentials.username}" but sent no COHERENT-DCS-API session cookie; check that the URL is the DCS Web API root.`,
          target,
        );
      }
      this.signedInAs = toSignInInfo(bodyBytes, credentials.username);
      this.mode = 'authenticated';
      return { ...this.signedInAs };
    }
  }

  /** One HTTP exchange: paced and counted for the endpoint, with the session cookie. */
  private async send(target: DcsRequestTarget & { url: URL }, json: unknown, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const pace = this.pace();
    try {
      await pace.awaitTurn(this.policy.maxRateLimitWaitMs, signal);
    } catch (error) {
      throw attachRequest(error, target);
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent,
    };
    if (this.options.compression) headers['accept-encoding'] = 'gzip, deflate';
    const cookie = this.cookies.header();
    if (cookie !== undefined) headers.cookie = cookie;
    let body: string | undefined;
    if (json !== undefined) {
      body = JSON.stringify(json);
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const method = target.method === 'POST' ? 'POST' : 'GET';
    const response = await sendRequest({
      method,
      url: target.url,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(signal ? { signal } : {}),
      connectTimeoutMs: this.options.connectTimeoutMs,
      timeoutMs: this.options.timeoutMs,
      idleTimeoutMs: this.options.idleTimeoutMs,
      // A POST goes on a fresh connection: a stale kept-alive socket would fail it, and a sign-in
      // is never retried blindly.
      agent: method === 'POST' ? false : this.agent,
      tls: this.tls,
    });
    // DCS's answer is here: failing to share its rate-limit headers must not lose it (the next awaitTurn fails instead).
    await pace.observe(readRateLimitHeaders(response.headers), this.policy.maxRateLimitWaitMs).catch(() => undefined);
    return response;
  }
}

/** What a 429 said: Retry-After (or the body's backOffSuggestion) and DCS's words. */
function rateLimitAnswer(response: HttpResponse, body: ErrorBody): RateLimitAnswer {
  return { retryAfterSeconds: retryAfterSeconds(response.headers['retry-after'], body), details: body.details };
}

/** The error for a sign-in DCS did not accept: a refused password (400/401) says to check it. */
function signInRefusal(status: number, body: ErrorBody, target: DcsRequestTarget & { action: string }): DcsError {
  if (status === 400 || status === 401) {
    return new DcsAuthenticationError(
      `DCS refused to ${target.action} (${status})${body.details ? `: "${body.details}"` : ''}. Check the username and password.`,
      { status, ...(body.details !== undefined ? { details: body.details } : {}), ...target },
    );
  }
  return errorForStatus(status, body, target.action, target);
}

/** A JSON list (meters, virtual meters), or DcsProtocolError saying the URL is probably wrong. */
function parseJsonList<T>(body: Buffer, action: string): T[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new DcsProtocolError(`DCS's answer when asked to ${action} is not JSON; check that the URL is the DCS Web API root.`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new DcsProtocolError(`DCS's answer when asked to ${action} is not a list; check that the URL is the DCS Web API root.`);
  return parsed as T[];
}

function toSignInInfo(body: Buffer, username: string): SignInInfo {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    return {
      username: typeof parsed.username === 'string' ? parsed.username : username,
      role: typeof parsed.role === 'string' ? parsed.role : '',
      ...(typeof parsed.appVersion === 'string' ? { appVersion: parsed.appVersion } : {}),
    };
  } catch {
    // The body is informational only; the cookie is what matters.
    return { username, role: '' };
  }
}
