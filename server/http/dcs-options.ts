/**
 * The server's settings as the DCS client's options: the one place where a setting changes unit
 * on its way to use (seconds to milliseconds, megabytes to bytes). Names carry over: a setting
 * `dcsX` is the client's `x` (DCS_MAX_WINDOW_DAYS → dcsMaxWindowDays → maxWindowDays,
 * DCS_TIMEOUT_MS → dcsTimeoutMs → timeoutMs, DCS_RATE_LIMIT_MAX_WAIT → dcsRateLimitMaxWait →
 * retry.rateLimit.maxWaitMs); the spool's settings keep the client's `spool` names.
 */
import type { ServerConfig } from '../config';
import type { DcsClientOptions, SpoolOptions } from 'dcs-client';

/** Client options every session's DCS client gets from the configuration (not the URL, credentials or hooks). */
export type ConfiguredClientOptions = Pick<DcsClientOptions, 'maxWindowDays' | 'rateLimit' | 'timeoutMs' | 'retry'>;

export function dcsClientOptions(config: ServerConfig): ConfiguredClientOptions {
  return {
    maxWindowDays: config.dcsMaxWindowDays,
    ...(config.dcsRateLimit !== undefined ? { rateLimit: config.dcsRateLimit } : {}),
    ...(config.dcsTimeoutMs !== undefined ? { timeoutMs: config.dcsTimeoutMs } : {}),
    ...(config.dcsRateLimitMaxWait !== undefined ? { retry: { rateLimit: { maxWaitMs: config.dcsRateLimitMaxWait * 1000 } } } : {}),
  };
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
