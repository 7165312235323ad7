/**
 * The server's settings as DCS clients: the one place where a setting changes unit on its way to
 * the DCS client (seconds to milliseconds, megabytes to bytes), and the one factory every DCS
 * client of the product is built by (each session's, the scheduled mirror's, `npm run mirror`'s).
 * Names carry over: a setting `dcsX` is the client's `x` (DCS_MAX_WINDOW_DAYS → dcsMaxWindowDays
 * → maxWindowDays, DCS_TIMEOUT_MS → dcsTimeoutMs → timeoutMs, DCS_RATE_LIMIT_MAX_WAIT →
 * dcsRateLimitMaxWait → retry.rateLimit.maxWaitMs); the spool's settings keep the client's
 * `spool` names.
 */
import type { ServerConfig } from './config';
import { DcsClient, type DcsClientOptions, type EndpointRegistry, type RequestEvent, type RequestHooks, type SessionLock, type SpoolOptions } from 'dcs-client';

/** Client options every DCS client gets from the configuration (not the URL, credentials or hooks). */
type ConfiguredClientOptions = Pick<DcsClientOptions, 'maxWindowDays' | 'rateLimit' | 'timeoutMs' | 'retry'>;

export function dcsClientOptions(config: ServerConfig): ConfiguredClientOptions {
  return {
    maxWindowDays: config.dcsMaxWindowDays,
    ...(config.dcsRateLimit !== undefined ? { rateLimit: config.dcsRateLimit } : {}),
    ...(config.dcsTimeoutMs !== undefined ? { timeoutMs: config.dcsTimeoutMs } : {}),
    ...(config.dcsRateLimitMaxWait !== undefined ? { retry: { rateLimit: { maxWaitMs: config.dcsRateLimitMaxWait * 1000 } } } : {}),
  };
}

/** What sets one DCS client apart from another built from the same settings. */
export interface ClientRole {
  /** Sent as User-Agent, so DCS's logs tell the server's sessions from the mirror. */
  userAgent: string;
  /** The DCS account; absent: DCS's public endpoint (or a session continued with resumeSession). */
  credentials?: { username: string; password: string };
  /** The session's transaction lock when it is shared with other instances; default: this process's. */
  lock?: SessionLock;
}

/** Builds a DCS client from the settings, for one role. */
export type DcsClientFactory = (role: ClientRole) => DcsClient;

export interface FactoryContext {
  /** Where the endpoint's pace and span cap live: the shared state with REDIS_URL, else this process. */
  endpoints?: EndpointRegistry;
  /** The request policy's hooks (retries, re-sign-ins, rate-limit waits), e.g. `logRequestPolicy`. */
  hooks?: RequestHooks;
}

/** The one way the product builds a DCS client: the settings' options, the endpoint's shared pace, and the role's identity. */
export function dcsClientFactory(config: ServerConfig, dcsUrl: string, context: FactoryContext = {}): DcsClientFactory {
  const common: DcsClientOptions = {
    url: dcsUrl,
    ...dcsClientOptions(config),
    ...(context.endpoints ? { endpoints: context.endpoints } : {}),
    ...(context.hooks ? { hooks: context.hooks } : {}),
    // Compression saves network time but costs CPU at both ends; over loopback (the embedded
    // simulator, or a DCS on this machine) there is no network time to save.
    compression: !isLoopbackUrl(dcsUrl),
  };
  return (role) =>
    new DcsClient({
      ...common,
      ...(role.credentials ?? {}),
      ...(role.lock ? { lock: role.lock } : {}),
      userAgent: role.userAgent,
    });
}

/** A client for the role, already signed in when the role has credentials (so sign-in problems surface here), as `DcsClient.connect`. */
export async function connectAs(clients: DcsClientFactory, role: ClientRole, signal?: AbortSignal): Promise<DcsClient> {
  const dcs = clients(role);
  if (role.credentials) await dcs.signIn(undefined, undefined, signal ? { signal } : {});
  return dcs;
}

/** The account the mirror reads DCS as: DCS_USERNAME / DCS_PASSWORD, else the public endpoint. */
export function mirrorRole(config: ServerConfig): ClientRole {
  return {
    userAgent: 'dcs-excel-mirror',
    ...(config.dcsUsername !== undefined ? { credentials: { username: config.dcsUsername, password: config.dcsPassword ?? '' } } : {}),
  };
}

/** Hooks that write what the DCS client's request policy did to the log, at debug level. */
export function logRequestPolicy(logger: { debug(message: string, fields: Record<string, unknown>): void }): RequestHooks {
  const fields = (event: RequestEvent): Record<string, unknown> => ({
    method: event.method,
    url: event.url,
    attempt: event.attempt,
    ...(event.status !== undefined ? { status: event.status } : {}),
    ...(event.error !== undefined ? { error: errorSummary(event.error) } : {}),
    waitMs: event.waitMs,
  });
  return {
    onRetry: (event) => logger.debug('DCS request retried', fields(event)),
    onResignIn: (event) => logger.debug('DCS session expired: signing in again', fields(event)),
    onRateLimit: (event) => logger.debug('DCS rate limit: waiting', fields(event)),
  };
}

/** A failure's code and message: enough to tell a dropped connection from a timeout. */
function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}

function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** SPOOL_MEMORY_MB, SPOOL_DIR and STALLED_READER_TIMEOUT as a stream's spool options. */
export function spoolOptions(config: ServerConfig): SpoolOptions {
  return {
    memoryBytes: Math.round(config.spoolMemoryMb * 1024 * 1024),
    stalledReaderMs: stalledReaderMs(config),
    ...(config.spoolDir !== undefined ? { directory: config.spoolDir } : {}),
  };
}

/** STALLED_READER_TIMEOUT in milliseconds, for the response writers. */
export function stalledReaderMs(config: ServerConfig): number {
  return config.stalledReaderTimeout * 1000;
}
