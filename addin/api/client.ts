import type {
  ApiError,
  ApiErrorCode,
  DemoBillsJson,
  CusumJson,
  TypicalDayJson,
  Health,
  IntervalCalc,
  IntervalsJson,
  IntervalType,
  GroupJson,
  GroupsJson,
  NdjsonRecord,
  OutputFormat,
  PeriodType,
  ReadingsFormat,
  SessionInfo,
  Source,
} from '../../server/api/types';
import type { Fetch, HttpRequestInit, HttpResponse } from './http';
import { ndjsonRecords } from './ndjson';
import type { Session } from './session';

/** One readings pull, as the server's `GET /api/readings` takes it. */
export interface ReadingsRequest {
  /** Source ids: `R<register id>` or `VM<virtual meter id>`. */
  ids: string[];
  /** Local wall-clock date-times in `timeZone`, `YYYY-MM-DDTHH:mm:ss`; the span is [start, end). */
  start: string;
  end: string;
  /** IANA zone name (e.g. Europe/London) or UTC; the server turns start/end into instants. */
  timeZone: string;
  periodType: PeriodType;
  calibrated: boolean;
  interpolated: boolean;
  format: ReadingsFormat;
}

/** One calculated-data pull, as the server's `GET /api/intervals` takes it. */
export interface IntervalsRequest {
  ids: string[];
  /**
   * Local to `timeZone`, `YYYY-MM-DDTHH:mm:ss` (the pane: on interval boundaries) or `YYYY-MM-DD`,
   * or with an offset (DCS.INTERVALS passes what the user typed); half-open [start, end).
   */
  start: string;
  end: string;
  interval: IntervalType;
  timeZone: string;
  /** Omitted: the server's default per source (consumption, or mean/min/max when instantaneous). */
  calcs?: IntervalCalc[];
}

/** The query string of an intervals pull (long layout, json), for the pane and DCS.INTERVALS alike. */
export function intervalsSearchParams(request: IntervalsRequest): URLSearchParams {
  const params = new URLSearchParams({
    id: request.ids.join(','),
    start: request.start,
    end: request.end,
    interval: request.interval,
    timeZone: request.timeZone,
    output: 'json',
    layout: 'long',
  });
  if (request.calcs && request.calcs.length > 0) params.set('calc', request.calcs.join(','));
  return params;
}

/** One performance line and CUSUM, as the server's `GET /api/cusum` takes it (docs/monitoring-and-targeting.md). */
export interface CusumRequest {
  /** The consuming source (e.g. gas in kWh) and the outside air temperature register (°C). */
  id: string;
  temperature: string;
  /** Local to `timeZone`, `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm:ss`; both spans half-open [start, end). */
  baselineStart: string;
  baselineEnd: string;
  start: string;
  end: string;
  interval: 'day' | 'week' | 'month';
  timeZone: string;
  /** °C; omitted: the server's default, 15.5. */
  baseTemperature?: number;
}

/** The query string of a CUSUM request, for the pane and DCS.CUSUM alike. */
export function cusumSearchParams(request: CusumRequest): URLSearchParams {
  const { id, temperature, baselineStart, baselineEnd, start, end, interval, timeZone } = request;
  const params = new URLSearchParams({ id, temperature, baselineStart, baselineEnd, start, end, interval, timeZone });
  if (request.baseTemperature !== undefined) params.set('baseTemperature', String(request.baseTemperature));
  return params;
}

/**
 * An error answer from our server, with its message (written for people) and code.
 * `status` 0 means the server could not be reached at all.
 */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: ApiErrorCode | 'network' | 'bad_answer',
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /** True when the caller must sign in (again) before this call can work. */
  get needsSignIn(): boolean {
    return this.status === 401 || this.code === 'unauthenticated';
  }
}

/** True when `value` is the server's `{error: {code, message}}` shape. */
export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** The query string of a readings pull. Names are those of the server's /api/readings. */
export function readingsSearchParams(request: ReadingsRequest, output: OutputFormat): URLSearchParams {
  const params = new URLSearchParams();
  params.set('id', request.ids.join(','));
  params.set('start', request.start);
  params.set('end', request.end);
  params.set('timeZone', request.timeZone);
  params.set('periodType', request.periodType);
  params.set('calibrated', String(request.calibrated));
  params.set('interpolated', String(request.interpolated));
  params.set('format', request.format);
  params.set('output', output);
  return params;
}

/**
 * The add-in's client for our server's HTTP API. Every call carries the session's Bearer token
 * (cookies would be third-party inside Excel on the web's iframe); every error answer becomes an
 * ApiRequestError carrying the server's own message.
 */
export class ApiClient {
  readonly #baseUrl: string;
  readonly #fetch: Fetch;
  readonly session: Session;

  /**
   * @param baseUrl where the server is, ending in "/" (in the pane: the page's own origin).
   * @param fetch the platform's fetch (injected so the client runs in Node tests too).
   */
  constructor(options: { baseUrl: string; fetch: Fetch; session: Session }) {
    this.#baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.#fetch = options.fetch;
    this.session = options.session;
  }

  /** An absolute URL for an API path such as `api/sources?q=x`. */
  url(path: string): string {
    return new URL(path.replace(/^\//, ''), this.#baseUrl).href;
  }

  health(signal?: AbortSignal): Promise<Health> {
    return this.#json<Health>('api/health', { signal });
  }

  /** Signs in with DCS credentials; on success the session holds the user and token. */
  async signIn(username: string, password: string, signal?: AbortSignal): Promise<SessionInfo> {
    const info = await this.#json<SessionInfo>('api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal,
    });
    if (!info.token) {
      throw new ApiRequestError('The server signed you in but sent no token, so the add-in cannot make calls for you. Update the server.', 200, 'bad_answer');
    }
    this.session.begin(info);
    return info;
  }

  /**
   * Resumes the session kept from an earlier load of the pane, if the server still knows it.
   * Returns the user, or undefined when nothing was kept or the server has ended that session
   * (then the kept token is forgotten).
   */
  async resumeSession(signal?: AbortSignal): Promise<SessionInfo | undefined> {
    const token = this.session.storedToken;
    if (!token) return undefined;
    let response: HttpResponse;
    try {
      response = await this.#fetch(this.url('api/session'), { headers: { Accept: 'application/json', Authorization: `Bearer ${token}` }, signal });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiRequestError(
        `Could not reach the DCS Excel server at ${new URL(this.url('')).origin} (${describe(error)}). Check your network connection and that the server is running.`,
        0,
        'network',
      );
    }
    if (response.status === 401) {
      this.session.end();
      return undefined;
    }
    if (!response.ok) throw await errorFromResponse(response, this.session);
    const info = (await response.json()) as SessionInfo;
    this.session.begin({ ...info, token });
    return info;
  }

  /** Uses the server's public access (no credentials); only when /api/health says publicAccess. */
  usePublicAccess(): void {
    this.session.begin({ username: 'Public access', role: 'Viewer', public: true });
  }

  /** Ends the session on the server (best effort) and forgets it here, whatever the server says. */
  async signOut(): Promise<void> {
    const headers = this.session.authorizationHeaders();
    this.session.end();
    if (!headers.Authorization) return;
    try {
      await this.#fetch(this.url('api/session'), { method: 'DELETE', headers });
    } catch {
      // The token is already forgotten here; the server's copy expires on its own.
    }
  }

  /** Registers and virtual meters whose names match `query` (all of them for ""). */
  sources(query: string, signal?: AbortSignal): Promise<Source[]> {
    const params = new URLSearchParams({ q: query });
    return this.#json<Source[]>(`api/sources?${params}`, { signal });
  }

  /** Every group of sources on the server (shared by all users). */
  async groups(signal?: AbortSignal): Promise<GroupJson[]> {
    return (await this.#json<GroupsJson>('api/groups', { signal })).groups;
  }

  /** Saves `members` as a group named `name`; the server makes its id (`group:<slug>`). */
  createGroup(name: string, members: readonly string[], signal?: AbortSignal): Promise<GroupJson> {
    return this.#json<GroupJson>('api/groups', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, members }),
      signal,
    });
  }

  /** The URL of a readings pull, e.g. for `output=csv`. */
  readingsUrl(request: ReadingsRequest, output: OutputFormat): string {
    return this.url(`api/readings?${readingsSearchParams(request, output)}`);
  }

  /**
   * The records of `GET /api/readings?output=ndjson`, as they arrive. An `{error}` record is
   * passed on as it is (the caller decides what failed); an error status before the stream
   * starts throws.
   */
  async *readings(request: ReadingsRequest, signal?: AbortSignal): AsyncGenerator<NdjsonRecord, void, undefined> {
    const response = await this.#send(this.readingsUrl(request, 'ndjson'), { signal });
    if (!response.body) {
      throw new ApiRequestError('The server answered the readings request without a body. Try again.', response.status, 'bad_answer');
    }
    for await (const record of ndjsonRecords(response.body)) yield record as NdjsonRecord;
  }

  /** `GET /api/intervals` in the long layout: each source with its intervals. */
  intervals(request: IntervalsRequest, signal?: AbortSignal): Promise<IntervalsJson> {
    return this.#json<IntervalsJson>(`api/intervals?${intervalsSearchParams(request)}`, { signal });
  }

  /** `GET /api/bills/demo`: the simulator's demo tariffs and invoices (404 on a server reading a real DCS). */
  demoBills(signal?: AbortSignal): Promise<DemoBillsJson> {
    return this.#json<DemoBillsJson>('api/bills/demo', { signal });
  }

  /** `GET /api/typical-day`: mean demand per local half-hour, weekdays and weekends; `end` the first day not included. */
  typicalDay(request: { id: string; start: string; end: string; timeZone: string }, signal?: AbortSignal): Promise<TypicalDayJson> {
    return this.#json<TypicalDayJson>(`api/typical-day?${new URLSearchParams(request)}`, { signal });
  }

  /** `GET /api/cusum`: the performance line over the baseline and the CUSUM of both periods. */
  cusum(request: CusumRequest, signal?: AbortSignal): Promise<CusumJson> {
    return this.#json<CusumJson>(`api/cusum?${cusumSearchParams(request)}`, { signal });
  }

  async #json<T>(path: string, init: HttpRequestInit): Promise<T> {
    const response = await this.#send(this.url(path), init);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiRequestError(
        `The server's answer to ${path.split('?')[0]} was not JSON. Check that the add-in is served by the DCS Excel server.`,
        response.status,
        'bad_answer',
      );
    }
  }

  /** Sends a request with the session's headers; any non-2xx answer throws ApiRequestError. */
  async #send(url: string, init: HttpRequestInit): Promise<HttpResponse> {
    const headers = { Accept: 'application/json', ...init.headers, ...this.session.authorizationHeaders() };
    let response: HttpResponse;
    try {
      response = await this.#fetch(url, { ...init, headers });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiRequestError(
        `Could not reach the DCS Excel server at ${new URL(url).origin} (${describe(error)}). Check your network connection and that the server is running.`,
        0,
        'network',
      );
    }
    if (response.ok) return response;
    throw await errorFromResponse(response, this.session);
  }
}

async function errorFromResponse(response: HttpResponse, session: Session): Promise<ApiRequestError> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  if (response.status === 401) session.end();
  if (isApiError(body)) {
    return new ApiRequestError(body.error.message, response.status, body.error.code, body.error.parameter);
  }
  const generic: Record<number, string> = {
    401: 'You are not signed in (or your session has ended). Sign in again.',
    403: 'Your DCS account is not allowed to read this data.',
    404: 'The server does not know this address: is the add-in served by the DCS Excel server?',
    413: 'The request was too large for the server.',
    429: 'The server is busy (too many requests). Wait a minute and try again.',
  };
  const message = generic[response.status] ?? `The server answered with HTTP ${response.status}. Try again; if it keeps happening, check the server's log.`;
  return new ApiRequestError(message, response.status, response.status === 401 ? 'unauthenticated' : 'bad_answer');
}

/** True for the error fetch throws when its AbortSignal fires. */
export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
