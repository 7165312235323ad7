/**
 * The server's configuration: one typed object, read from environment variables (and an
 * optional `.env`) by `loadConfig`, or built from defaults plus overrides by `resolveConfig`
 * (what tests and `startServer` use). Every variable is documented in
 * the README's Configuration section; keep the two in step.
 */
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { CookieCipher } from './shared-state/cookie-cipher';
import type { SimulatorOptions } from './simulator';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface ServerConfig {
  /** PORT: TCP port to listen on; 0 picks a free one. Default 3000. */
  port: number;
  /** HOST: interface to listen on. Default 127.0.0.1 (this machine only). */
  host: string;
  /** HTTPS: serve HTTPS (default) or plain HTTP (HTTPS=0). */
  https: boolean;
  /** TLS_CERT / TLS_KEY: PEM files. Both or neither; neither = a generated development certificate. */
  tlsCert?: string;
  tlsKey?: string;
  /** Where the generated development certificate is kept. Default `<project>/.certs`. */
  certDir: string;
  /** DCS_URL: the DCS Web API root. Undefined = start the embedded simulator. */
  dcsUrl?: string;
  /** DCS_PUBLIC_ACCESS: whether callers without credentials are served through DCS's public endpoint. */
  dcsPublicAccess: boolean;
  /** DCS_MAX_WINDOW_DAYS: the largest span asked of DCS in one /readings call. */
  dcsMaxWindowDays: number;
  /** DCS_RATE_LIMIT: requests per second to the whole DCS endpoint, shared by all sessions. Undefined = unpaced. */
  dcsRateLimit?: number;
  /** DCS_TIMEOUT: milliseconds to wait for DCS before giving up on a call. Undefined = the client's default. */
  dcsTimeoutMs?: number;
  /**
   * DCS_RATE_LIMIT_MAX_WAIT: longest wait (ms) for DCS's rate limit before a request fails with 429.
   * Undefined = the client's default (5 minutes).
   */
  dcsMaxRateLimitWaitMs?: number;
  /** DCS_CALL_BUDGET: most DCS calls (windows × sources) one request may cost; more is refused with 400. */
  dcsCallBudget: number;
  /** STALLED_READER_TIMEOUT: ms a caller may take nothing of a pull that is waiting for it before it is cut off. */
  stalledReaderTimeoutMs: number;
  /** SPOOL_MEMORY_MB (in bytes here): readings kept in memory per pull for a slower reader; beyond it, a temporary file. */
  spoolMemoryBytes: number;
  /** SPOOL_DIR: where those temporary files go. Undefined = the operating system's temporary directory. */
  spoolDir?: string;
  /** SESSION_TTL: seconds a session lives after its last use (sliding). */
  sessionTtlSeconds: number;
  /** SIGN_IN_LIMIT: failed sign-ins allowed per client address and user name per minute. */
  signInLimitPerMinute: number;
  /** MAX_SESSIONS_PER_USER: live sessions one DCS user may hold at once (tokens and Basic credentials). */
  maxSessionsPerUser: number;
  /** MAX_SESSIONS: live sessions the whole server holds at once (each is a DCS sign-in). */
  maxSessions: number;
  /**
   * PUBLIC_URL: the URL callers reach the server at, e.g. https://dcs-excel.example.com or
   * https://proxy.example.com/metering (no trailing slash). Links in answers are built from it.
   * Undefined = the trusted proxy's X-Forwarded-* headers (TRUST_PROXY), else the listening URL.
   */
  publicUrl?: string;
  /**
   * TRUST_PROXY: addresses of reverse proxies whose X-Forwarded-For/-Proto/-Host/-Prefix headers
   * are believed: IP addresses, CIDR ranges, or loopback / linklocal / uniquelocal. Empty = none.
   */
  trustProxy: string[];
  /**
   * REDIS_URL: Redis shared by every instance (sessions, DCS pace, session locks, span cap, sign-in
   * counters). Undefined = all of it in this process.
   */
  redisUrl?: string;
  /** SESSION_ENCRYPTION_KEY: 32 bytes (base64 or hex) sealing DCS cookies in Redis; required with REDIS_URL. */
  sessionEncryptionKey?: string;
  /** How long a dead instance can hold a DCS session's shared lock (ms). Default 5000; tests shorten it. */
  sessionLockLeaseMs?: number;
  /** ODATA_PAGE_SIZE: most rows in one page of the OData feed before `@odata.nextLink`. */
  odataPageSize: number;
  /** ALLOWED_ORIGINS: origins allowed to call the API from a browser (CORS, with credentials). */
  allowedOrigins: string[];
  /** LOG_LEVEL: least severe level written to the log. */
  logLevel: LogLevel;
  /** Where the built add-in lives (webpack output). Default `<project>/dist`. */
  staticDir: string;
  /** Options for the embedded simulator (only used without dcsUrl). */
  simulator?: SimulatorOptions;
  /** Where log lines go. Default: standard output. Tests capture them here. */
  logSink?: (line: string) => void;
  /** The clock, in epoch milliseconds. Tests replace it to expire sessions without waiting. */
  now?: () => number;
}

/** A configuration value that cannot be used; the message names the variable and says what to do. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The directory holding this project's package.json, found by walking up from the compiled file. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string };
        if (pkg.name === 'dcs-excel') return dir;
      } catch {
        // not ours or unreadable: keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The version in package.json, for /api/health and the start-up banner. */
export function projectVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function defaultConfig(): ServerConfig {
  const root = projectRoot();
  return {
    port: 3000,
    host: '127.0.0.1',
    https: true,
    certDir: path.join(root, '.certs'),
    dcsPublicAccess: true,
    dcsMaxWindowDays: 365,
    dcsCallBudget: 1000,
    stalledReaderTimeoutMs: 180_000,
    spoolMemoryBytes: 8 * 1024 * 1024,
    sessionTtlSeconds: 3600,
    signInLimitPerMinute: 10,
    maxSessionsPerUser: 20,
    maxSessions: 1000,
    trustProxy: [],
    odataPageSize: 10_000,
    allowedOrigins: [],
    logLevel: 'info',
    staticDir: path.join(root, 'dist'),
  };
}

/**
 * Defaults plus overrides. DCS_PUBLIC_ACCESS defaults to true only with the embedded simulator:
 * against a real DCS, anonymous access must be asked for.
 */
export function resolveConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const defaults = defaultConfig();
  const config: ServerConfig = { ...defaults, dcsPublicAccess: overrides.dcsUrl === undefined, ...withoutUndefined(overrides) };
  validateConfig(config);
  return config;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Checks a configuration built in code (overrides), with the same rules as the environment. */
export function validateConfig(config: ServerConfig): void {
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new ConfigError('PORT', `${config.port} is not a port number; use an integer from 0 to 65535`);
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError(config.tlsCert === undefined ? 'TLS_CERT' : 'TLS_KEY', 'TLS_CERT and TLS_KEY must be given together (PEM file paths), or neither for a generated development certificate');
  }
  if (config.dcsUrl !== undefined) parseDcsUrl(config.dcsUrl);
  if (!(config.dcsMaxWindowDays > 0) || !Number.isFinite(config.dcsMaxWindowDays)) {
    throw new ConfigError('DCS_MAX_WINDOW_DAYS', `${config.dcsMaxWindowDays} is not a positive number of days`);
  }
  if (config.dcsRateLimit !== undefined && !(config.dcsRateLimit > 0 && Number.isFinite(config.dcsRateLimit))) {
    throw new ConfigError('DCS_RATE_LIMIT', `${config.dcsRateLimit} is not a positive number of requests per second`);
  }
  if (config.dcsMaxRateLimitWaitMs !== undefined && !(config.dcsMaxRateLimitWaitMs >= 0 && Number.isFinite(config.dcsMaxRateLimitWaitMs))) {
    throw new ConfigError('DCS_RATE_LIMIT_MAX_WAIT', `${config.dcsMaxRateLimitWaitMs} ms is not a usable wait`);
  }
  validateDcsCostSettings(config);
  if (!(config.sessionTtlSeconds > 0) || !Number.isFinite(config.sessionTtlSeconds)) {
    throw new ConfigError('SESSION_TTL', `${config.sessionTtlSeconds} is not a positive number of seconds`);
  }
  if (!Number.isInteger(config.odataPageSize) || config.odataPageSize < 1 || config.odataPageSize > 1_000_000) {
    throw new ConfigError('ODATA_PAGE_SIZE', `${config.odataPageSize} is not a whole number of rows from 1 to 1000000`);
  }
  if (!Number.isInteger(config.signInLimitPerMinute) || config.signInLimitPerMinute < 1) {
    throw new ConfigError('SIGN_IN_LIMIT', `${config.signInLimitPerMinute} is not a positive whole number of attempts per minute`);
  }
  if (!Number.isInteger(config.maxSessionsPerUser) || config.maxSessionsPerUser < 1) {
    throw new ConfigError('MAX_SESSIONS_PER_USER', `${config.maxSessionsPerUser} is not a positive whole number of sessions`);
  }
  if (!Number.isInteger(config.maxSessions) || config.maxSessions < 1) {
    throw new ConfigError('MAX_SESSIONS', `${config.maxSessions} is not a positive whole number of sessions`);
  }
  validateSharedState(config);
  if (config.publicUrl !== undefined) config.publicUrl = parsePublicUrl(config.publicUrl);
  for (const entry of config.trustProxy) parseTrustedProxy(entry);
  if (!LOG_LEVELS.includes(config.logLevel)) {
    throw new ConfigError('LOG_LEVEL', `'${config.logLevel}' is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
  }
  for (const origin of config.allowedOrigins) parseOrigin(origin);
}

type Env = Record<string, string | undefined>;

/**
 * Reads the configuration from environment variables. A `.env` file in the working directory
 * (or the file named by `envFile`) is loaded first; variables already set win over it.
 */
export function loadConfig(env: Env = process.env, options: { envFile?: string } = {}): ServerConfig {
  loadEnvFile(env, options.envFile ?? path.resolve('.env'));
  const overrides: Partial<ServerConfig> = {};
  const text = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const port = text('PORT');
  if (port !== undefined) overrides.port = integer('PORT', port, 0, 65535);
  const host = text('HOST');
  if (host !== undefined) overrides.host = host;
  const https = text('HTTPS');
  if (https !== undefined) overrides.https = boolean('HTTPS', https);
  overrides.tlsCert = text('TLS_CERT');
  overrides.tlsKey = text('TLS_KEY');
  for (const name of ['TLS_CERT', 'TLS_KEY'] as const) {
    const file = text(name);
    if (file !== undefined && !fs.existsSync(file)) {
      throw new ConfigError(name, `file '${file}' does not exist; give the path of a PEM file`);
    }
  }
  const certDir = text('CERT_DIR');
  if (certDir !== undefined) overrides.certDir = path.resolve(certDir);
  const dcsUrl = text('DCS_URL');
  if (dcsUrl !== undefined) overrides.dcsUrl = parseDcsUrl(dcsUrl);
  const publicAccess = text('DCS_PUBLIC_ACCESS');
  if (publicAccess !== undefined) overrides.dcsPublicAccess = boolean('DCS_PUBLIC_ACCESS', publicAccess);
  const window = text('DCS_MAX_WINDOW_DAYS');
  if (window !== undefined) overrides.dcsMaxWindowDays = positiveNumber('DCS_MAX_WINDOW_DAYS', window, 'days');
  const rate = text('DCS_RATE_LIMIT');
  if (rate !== undefined) overrides.dcsRateLimit = positiveNumber('DCS_RATE_LIMIT', rate, 'requests per second');
  const timeout = text('DCS_TIMEOUT');
  if (timeout !== undefined) overrides.dcsTimeoutMs = positiveNumber('DCS_TIMEOUT', timeout, 'milliseconds');
  const rateWait = text('DCS_RATE_LIMIT_MAX_WAIT');
  if (rateWait !== undefined) overrides.dcsMaxRateLimitWaitMs = duration('DCS_RATE_LIMIT_MAX_WAIT', rateWait) * 1000;
  loadDcsCostSettings(text, overrides);
  const ttl = text('SESSION_TTL');
  if (ttl !== undefined) overrides.sessionTtlSeconds = duration('SESSION_TTL', ttl);
  const signIns = text('SIGN_IN_LIMIT');
  if (signIns !== undefined) overrides.signInLimitPerMinute = integer('SIGN_IN_LIMIT', signIns, 1, 1_000_000);
  const perUser = text('MAX_SESSIONS_PER_USER');
  if (perUser !== undefined) overrides.maxSessionsPerUser = integer('MAX_SESSIONS_PER_USER', perUser, 1, 1_000_000);
  const sessions = text('MAX_SESSIONS');
  if (sessions !== undefined) overrides.maxSessions = integer('MAX_SESSIONS', sessions, 1, 1_000_000);
  overrides.publicUrl = text('PUBLIC_URL');
  const proxies = text('TRUST_PROXY');
  if (proxies !== undefined) overrides.trustProxy = proxies.split(',').map((p) => p.trim()).filter((p) => p !== '');
  overrides.redisUrl = text('REDIS_URL');
  overrides.sessionEncryptionKey = text('SESSION_ENCRYPTION_KEY');
  const pageSize = text('ODATA_PAGE_SIZE');
  if (pageSize !== undefined) overrides.odataPageSize = integer('ODATA_PAGE_SIZE', pageSize, 1, 1_000_000);
  const origins = text('ALLOWED_ORIGINS');
  if (origins !== undefined) {
    overrides.allowedOrigins = origins.split(',').map((o) => o.trim()).filter((o) => o !== '').map(parseOrigin);
  }
  const level = text('LOG_LEVEL');
  if (level !== undefined) {
    const lower = level.toLowerCase();
    if (!LOG_LEVELS.includes(lower as LogLevel)) {
      throw new ConfigError('LOG_LEVEL', `'${level}' is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
    }
    overrides.logLevel = lower as LogLevel;
  }
  const staticDir = text('STATIC_DIR');
  if (staticDir !== undefined) overrides.staticDir = path.resolve(staticDir);
  return resolveConfig(overrides);
}

/** What bounds the DCS work one request can cause: its cost in calls, and a reader that stops reading. */
function loadDcsCostSettings(text: (name: string) => string | undefined, overrides: Partial<ServerConfig>): void {
  const budget = text('DCS_CALL_BUDGET');
  if (budget !== undefined) overrides.dcsCallBudget = integer('DCS_CALL_BUDGET', budget, 1, 10_000_000);
  const stalled = text('STALLED_READER_TIMEOUT');
  if (stalled !== undefined) overrides.stalledReaderTimeoutMs = duration('STALLED_READER_TIMEOUT', stalled) * 1000;
  const memory = text('SPOOL_MEMORY_MB');
  if (memory !== undefined) {
    const mb = Number(memory);
    if (!/^\d*\.?\d+$/.test(memory) || mb > 65536) throw new ConfigError('SPOOL_MEMORY_MB', `'${memory}' is not a number of megabytes from 0 to 65536`);
    overrides.spoolMemoryBytes = Math.round(mb * 1024 * 1024);
  }
  const dir = text('SPOOL_DIR');
  if (dir !== undefined) overrides.spoolDir = path.resolve(dir);
}

function validateDcsCostSettings(config: ServerConfig): void {
  if (!Number.isInteger(config.dcsCallBudget) || config.dcsCallBudget < 1) {
    throw new ConfigError('DCS_CALL_BUDGET', `${config.dcsCallBudget} is not a positive whole number of DCS calls`);
  }
  if (!(config.stalledReaderTimeoutMs > 0) || !Number.isFinite(config.stalledReaderTimeoutMs)) {
    throw new ConfigError('STALLED_READER_TIMEOUT', `${config.stalledReaderTimeoutMs} ms is not a positive duration`);
  }
  if (!(config.spoolMemoryBytes >= 0) || !Number.isFinite(config.spoolMemoryBytes)) {
    throw new ConfigError('SPOOL_MEMORY_MB', `${config.spoolMemoryBytes} bytes is not a usable memory limit`);
  }
  if (config.spoolDir !== undefined && !isDirectory(config.spoolDir)) {
    throw new ConfigError('SPOOL_DIR', `'${config.spoolDir}' is not a directory; give an existing directory this server may write temporary files to`);
  }
}

/** REDIS_URL needs SESSION_ENCRYPTION_KEY: sessions in Redis hold DCS cookies, which must be sealed. */
function validateSharedState(config: ServerConfig): void {
  if (config.redisUrl !== undefined) {
    let scheme: string | undefined;
    try {
      scheme = new URL(config.redisUrl).protocol;
    } catch {
      scheme = undefined;
    }
    if (scheme !== 'redis:' && scheme !== 'rediss:') {
      throw new ConfigError('REDIS_URL', 'not a Redis URL; give redis://[:password@]host:6379[/db], or rediss:// for TLS');
    }
    if (config.sessionEncryptionKey === undefined) {
      throw new ConfigError(
        'SESSION_ENCRYPTION_KEY',
        "required when REDIS_URL is set (it encrypts the DCS cookies kept in Redis); make one with 'openssl rand -base64 32' and give every instance the same value",
      );
    }
  }
  if (config.sessionEncryptionKey !== undefined) {
    try {
      CookieCipher.fromText(config.sessionEncryptionKey, 'SESSION_ENCRYPTION_KEY');
    } catch {
      throw new ConfigError('SESSION_ENCRYPTION_KEY', "not a 32-byte key (64 hex digits or 44 base64 characters); make one with 'openssl rand -base64 32'");
    }
  }
  if (config.sessionLockLeaseMs !== undefined && !(config.sessionLockLeaseMs >= 100 && Number.isFinite(config.sessionLockLeaseMs))) {
    throw new ConfigError('sessionLockLeaseMs', `${config.sessionLockLeaseMs} ms is too short a lease; give 100 ms or more`);
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Node 20.12+ reads .env files itself; existing variables are not overwritten. */
function loadEnvFile(env: Env, file: string): void {
  if (!fs.existsSync(file)) return;
  if (env === process.env) {
    process.loadEnvFile(file);
    return;
  }
  // A caller-supplied environment (tests): parse into it without touching process.env.
  const parsed = parseEnvText(fs.readFileSync(file, 'utf8'));
  for (const [name, value] of Object.entries(parsed)) {
    if (env[name] === undefined) env[name] = value;
  }
}

function parseEnvText(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2];
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    result[match[1]] = value;
  }
  return result;
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `'${value}' is not a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

function positiveNumber(name: string, value: string, unit: string): number {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(n > 0)) {
    throw new ConfigError(name, `'${value}' is not a positive number of ${unit}`);
  }
  return n;
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

function boolean(name: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (TRUE_WORDS.includes(lower)) return true;
  if (FALSE_WORDS.includes(lower)) return false;
  throw new ConfigError(name, `'${value}' is not a yes/no value; use 1 or 0 (also true/false, yes/no, on/off)`);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds, or a number with a unit: `900`, `90s`, `15m`, `8h`, `1d`. */
function duration(name: string, value: string): number {
  const match = /^(\d*\.?\d+)\s*([smhd]?)$/i.exec(value);
  const seconds = match ? Number(match[1]) * DURATION_UNITS[(match[2] || 's').toLowerCase()] : NaN;
  if (!(seconds > 0)) {
    throw new ConfigError(name, `'${value}' is not a duration; use seconds (3600) or a number with s, m, h or d (60m, 8h)`);
  }
  return seconds;
}

function parseDcsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('DCS_URL', `'${value}' is not a URL; give the DCS Web API root, e.g. https://dcs.example.com/DCSWebApi`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('DCS_URL', `'${value}' must start with http:// or https://`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError('DCS_URL', 'must not contain a user name or password; users sign in through the add-in or the API');
  }
  return url.href;
}

function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('ALLOWED_ORIGINS', `'${value}' is not an origin; give comma-separated origins such as https://example.com:8443`);
  }
  if (url.origin === 'null' || url.origin !== value.replace(/\/$/, '')) {
    throw new ConfigError('ALLOWED_ORIGINS', `'${value}' is not an origin (scheme://host[:port], no path); e.g. ${url.origin}`);
  }
  return url.origin;
}

/** An absolute http(s) URL without credentials, query or fragment; returned without a trailing slash. */
function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('PUBLIC_URL', `'${value}' is not a URL; give the address callers use, e.g. https://dcs-excel.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('PUBLIC_URL', `'${value}' must start with https:// (or http://)`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new ConfigError('PUBLIC_URL', `'${value}' must be scheme://host[:port][/path] only, without user, ?query or #fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** One TRUST_PROXY entry: an IP address, a CIDR range, or one of Express's names for address ranges. */
function parseTrustedProxy(entry: string): void {
  if (PROXY_NAMES.includes(entry)) return;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
  if (family === 0 || !bitsOk || extra !== undefined) {
    throw new ConfigError(
      'TRUST_PROXY',
      `'${entry}' is not an address of a proxy; give comma-separated IP addresses or ranges (10.0.0.5, 10.0.0.0/8) or loopback, linklocal, uniquelocal`,
    );
  }
}
