/**
 * The server's configuration: one typed object, read from environment variables (and an
 * optional `.env`) by `loadConfig`, or built from defaults plus overrides by `resolveConfig`
 * (what tests and `startServer` use). Every variable is documented in docs/operating.md's
 * Configuration section; keep the two in step (CONTRIBUTING.md: "How to add a setting").
 *
 * One name per setting: the field is the variable's name in camelCase (`DCS_MAX_WINDOW_DAYS` ↔
 * `dcsMaxWindowDays`), holding the value in the variable's unit: the one its name ends with
 * (`_MS`, `_MB`, `_DAYS`), else seconds for a duration. One validation path: SETTINGS says how
 * each variable's text becomes a value and which values are usable, and `validateConfig` applies
 * the same checks to overrides given in code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import {
  checkedText,
  duration,
  filePath,
  InvalidSetting,
  listOf,
  numberBetween,
  oneOf,
  parseDatabaseUrl,
  parseDcsUrl,
  parseOrigin,
  parsePublicUrl,
  parseTrustedProxy,
  positiveNumber,
  sourceListOrAll,
  text,
  wholeNumber,
  yesNo,
  type SettingKind,
} from './config-kinds';
import { parseSourceId } from 'dcs-client';
import { CronSyntaxError, nextRun, parseCronSchedule } from './mirror/schedule';
import { CookieCipher } from './shared-state/cookie-cipher';
import { checkTimeZone, TimeParseError } from './time/zones';
import type { SimulatorOptions } from 'dcs-simulator';

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
  /** CERT_DIR: where the generated development certificate is kept. Default `<project>/.certs`. */
  certDir: string;
  /** DCS_URL: the DCS Web API root. Undefined = start the embedded simulator. */
  dcsUrl?: string;
  /** DCS_PUBLIC_ACCESS: whether callers without credentials are served through DCS's public endpoint. */
  dcsPublicAccess: boolean;
  /** DCS_MAX_WINDOW_DAYS: the largest span asked of DCS in one /readings call. */
  dcsMaxWindowDays: number;
  /** DEFAULT_TIME_ZONE: the zone of every request without a (non-blank) timeZone, on every route. Default UTC. */
  defaultTimeZone: string;
  /** CARBON_FACTORS_FILE: a JSON table of kgCO2e/kWh by fuel and year replacing the built-in one (analysis/carbon.ts). */
  carbonFactorsFile?: string;
  /** DCS_RATE_LIMIT: requests per second to the whole DCS endpoint, shared by all sessions. Undefined = unpaced. */
  dcsRateLimit?: number;
  /** DCS_TIMEOUT_MS: milliseconds to wait for DCS's answer to begin. Undefined = the client's default. */
  dcsTimeoutMs?: number;
  /**
   * DCS_RATE_LIMIT_MAX_WAIT: longest wait (seconds) for DCS's rate limit before a request fails with 429.
   * Undefined = the client's default (5 minutes).
   */
  dcsRateLimitMaxWait?: number;
  /** DCS_CALL_BUDGET: most DCS calls (windows × sources) one request may cost; more is refused with 400. */
  dcsCallBudget: number;
  /** STALLED_READER_TIMEOUT: seconds a caller may take nothing of a pull that is waiting for it before it is cut off. */
  stalledReaderTimeout: number;
  /** SPOOL_MEMORY_MB: megabytes of readings kept in memory per pull for a slower reader; beyond it, a temporary file. */
  spoolMemoryMb: number;
  /** SPOOL_DIR: where those temporary files go. Undefined = the operating system's temporary directory. */
  spoolDir?: string;
  /** SESSION_TTL: seconds a session lives after its last use (sliding). */
  sessionTtl: number;
  /** SIGN_IN_LIMIT: failed sign-ins allowed per client address and user name per minute. */
  signInLimit: number;
  /** The sign-in limiter's window (seconds). Not a setting: code only (tests). Default 60. */
  signInWindowSeconds?: number;
  /** MAX_SESSIONS_PER_USER: live sessions one DCS user may hold at once (tokens and Basic credentials). */
  maxSessionsPerUser: number;
  /** MAX_REQUESTS_PER_USER: requests one signed-in DCS user may have in progress at once on this instance; one more is 429 with Retry-After. */
  maxRequestsPerUser: number;
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
  /** ODATA_PAGE_SIZE: most rows in one page of the OData feed before `@odata.nextLink`. */
  odataPageSize: number;
  /** ALLOWED_ORIGINS: origins allowed to call the API from a browser (CORS, with credentials). */
  allowedOrigins: string[];
  /** REDIS_URL: state shared by every instance (sessions, the DCS pace, locks, span cap, sign-in counters). Undefined = in-process. */
  redisUrl?: string;
  /** REDIS_TIMEOUT: seconds one Redis command may take before the request is answered 503 (a frozen Redis must not hang requests). */
  redisTimeout: number;
  /** SESSION_ENCRYPTION_KEY: 32 bytes (base64 or hex) sealing the DCS cookies kept in Redis; required with REDIS_URL. */
  sessionEncryptionKey?: string;
  /** How long a session's lock in Redis lasts unless renewed (ms). Not a setting: code only (tests). Default 5000. */
  sessionLockLeaseMs?: number;
  /** DATABASE_URL: the PostgreSQL readings store (settled readings served without asking DCS). Undefined = no store. */
  databaseUrl?: string;
  /** DATABASE_TIMEOUT: seconds to wait for a PostgreSQL connection or one query before giving up on the store for that request. */
  databaseTimeout: number;
  /** SETTLE_AGE: seconds a period must be past before its real reading is kept and served from the store. */
  settleAge: number;
  /** MIRROR_SCHEDULE: when the server runs the mirror itself (cron, five fields, UTC). Undefined = never; needs DATABASE_URL. */
  mirrorSchedule?: string;
  /** MIRROR_SOURCES: what the scheduled mirror keeps: source ids, or 'all' (every source its DCS account can see). */
  mirrorSources: string[] | 'all';
  /** MIRROR_SINCE: seconds of history the scheduled mirror keeps. */
  mirrorSince: number;
  /** DCS_USERNAME / DCS_PASSWORD: the account the scheduled mirror (and `npm run mirror`) reads DCS as; undefined = the public endpoint. Never logged. */
  dcsUsername?: string;
  dcsPassword?: string;
  /** LOG_LEVEL: least severe level written to the log. */
  logLevel: LogLevel;
  /** STATIC_DIR: where the built add-in lives (webpack output). Default `<project>/dist`. */
  staticDir: string;
  /** DATA_DIR: where the server keeps what users make (groups.json) when there is no DATABASE_URL. Default `<project>/data`. */
  dataDir: string;
  /** Options for the embedded simulator (only used without dcsUrl). Not a setting: code only. */
  simulator?: SimulatorOptions;
  /** Where log lines go. Default: standard output. Tests capture them here. */
  logSink?: (line: string) => void;
  /** The clock, in epoch milliseconds. Tests replace it to expire sessions without waiting. */
  now?: () => number;
  /** Deprecated variables loadConfig found (still obeyed); startServer logs each as a warning. */
  warnings?: string[];
}

/** A setting read from the environment: its kind, and deprecated names that still work. */
interface Setting {
  kind: SettingKind;
  /** Old names, still read (after the current one) with a warning. */
  aliases?: string[];
}

/**
 * Every environment variable the server reads, in the order of docs/operating.md's table. The config field is the
 * name in camelCase (`fieldOf`); a test holds this table, ServerConfig and docs/operating.md together.
 */
export const SETTINGS: Readonly<Record<string, Setting>> = {
  DCS_URL: { kind: checkedText(parseDcsUrl) },
  DCS_PUBLIC_ACCESS: { kind: yesNo() },
  DCS_MAX_WINDOW_DAYS: { kind: positiveNumber('days') },
  DCS_RATE_LIMIT: { kind: positiveNumber('requests per second') },
  DCS_TIMEOUT_MS: { kind: positiveNumber('milliseconds'), aliases: ['DCS_TIMEOUT'] },
  DCS_RATE_LIMIT_MAX_WAIT: { kind: duration() },
  DCS_CALL_BUDGET: { kind: wholeNumber(1, 10_000_000) },
  DEFAULT_TIME_ZONE: { kind: checkedText(parseTimeZoneSetting) },
  CARBON_FACTORS_FILE: { kind: filePath('file', false) },
  STALLED_READER_TIMEOUT: { kind: duration() },
  SPOOL_MEMORY_MB: { kind: numberBetween(0, 65536, 'megabytes') },
  SPOOL_DIR: { kind: filePath('directory') },
  SESSION_TTL: { kind: duration() },
  SIGN_IN_LIMIT: { kind: wholeNumber(1, 1_000_000) },
  MAX_SESSIONS_PER_USER: { kind: wholeNumber(1, 1_000_000) },
  MAX_SESSIONS: { kind: wholeNumber(1, 1_000_000) },
  MAX_REQUESTS_PER_USER: { kind: wholeNumber(1, 1_000_000) },
  ODATA_PAGE_SIZE: { kind: wholeNumber(1, 1_000_000) },
  ALLOWED_ORIGINS: { kind: listOf(parseOrigin) },
  PUBLIC_URL: { kind: checkedText(parsePublicUrl) },
  TRUST_PROXY: { kind: listOf(parseTrustedProxy) },
  PORT: { kind: wholeNumber(0, 65535) },
  HOST: { kind: text() },
  HTTPS: { kind: yesNo() },
  TLS_CERT: { kind: filePath('file', false) },
  TLS_KEY: { kind: filePath('file', false) },
  CERT_DIR: { kind: filePath() },
  STATIC_DIR: { kind: filePath() },
  DATA_DIR: { kind: filePath() },
  LOG_LEVEL: { kind: oneOf(LOG_LEVELS, 'a log level') },
  REDIS_URL: { kind: checkedText(parseRedisUrl) },
  REDIS_TIMEOUT: { kind: duration() },
  SESSION_ENCRYPTION_KEY: { kind: checkedText(parseEncryptionKey) },
  DATABASE_URL: { kind: checkedText(parseDatabaseUrl) },
  DATABASE_TIMEOUT: { kind: duration() },
  SETTLE_AGE: { kind: duration() },
  MIRROR_SCHEDULE: { kind: checkedText(parseMirrorSchedule) },
  MIRROR_SOURCES: { kind: sourceListOrAll((id) => parseSourceId(id)?.id) },
  MIRROR_SINCE: { kind: duration() },
  DCS_USERNAME: { kind: text() },
  DCS_PASSWORD: { kind: text() },
};

/** An IANA zone, kept as its canonical name (`Etc/UTC` → `UTC`). */
function parseTimeZoneSetting(value: string): string {
  try {
    return checkTimeZone(value);
  } catch (error) {
    if (error instanceof TimeParseError) throw new InvalidSetting(error.message);
    throw error;
  }
}

/** redis:// or rediss:// (TLS). */
function parseRedisUrl(value: string): string {
  let scheme: string | undefined;
  try {
    scheme = new URL(value).protocol;
  } catch {
    scheme = undefined;
  }
  if (scheme !== 'redis:' && scheme !== 'rediss:')
    throw new InvalidSetting('is not a Redis URL; give redis://[:password@]host:6379[/db], or rediss:// for TLS');
  return value;
}

/** 32 bytes as 64 hex digits or 44 base64 characters; the key itself is never repeated in a message. */
function parseEncryptionKey(value: string): string {
  try {
    CookieCipher.fromText(value, 'SESSION_ENCRYPTION_KEY');
  } catch {
    throw new InvalidSetting("is not a 32-byte key (64 hex digits or 44 base64 characters); make one with 'openssl rand -base64 32'");
  }
  return value;
}

/** Five cron fields (UTC) that name at least one date that exists. */
function parseMirrorSchedule(value: string): string {
  let schedule;
  try {
    schedule = parseCronSchedule(value);
  } catch (error) {
    if (error instanceof CronSyntaxError) throw new InvalidSetting(error.message);
    throw error;
  }
  if (nextRun(schedule, Date.now()) === undefined)
    throw new InvalidSetting(`'${value}' names no date that exists (e.g. 31 February); check the day and month fields`);
  return value;
}

/** The config field of a variable: its name in camelCase (`DCS_MAX_WINDOW_DAYS` → `dcsMaxWindowDays`). */
export function fieldOf(variable: string): keyof ServerConfig {
  return variable.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as keyof ServerConfig;
}

/** A configuration value that cannot be used; the message names the variable and says what to do. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
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
    defaultTimeZone: 'UTC',
    dcsCallBudget: 1000,
    stalledReaderTimeout: 180,
    spoolMemoryMb: 8,
    sessionTtl: 3600,
    signInLimit: 10,
    maxSessionsPerUser: 20,
    maxSessions: 1000,
    maxRequestsPerUser: 8,
    trustProxy: [],
    odataPageSize: 10_000,
    allowedOrigins: [],
    logLevel: 'info',
    staticDir: path.join(root, 'dist'),
    dataDir: path.join(root, 'data'),
    redisTimeout: 2,
    databaseTimeout: 10,
    settleAge: 7 * 86_400,
    mirrorSources: 'all',
    mirrorSince: 365 * 86_400,
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

/**
 * Checks a configuration, from the environment or built in code, by the rules of SETTINGS, and
 * normalises it in place (absolute paths, URLs as written by the URL parser). Throws ConfigError
 * naming the variable.
 */
export function validateConfig(config: ServerConfig): void {
  const fields = config as unknown as Record<string, unknown>;
  for (const [variable, setting] of Object.entries(SETTINGS)) {
    const field = fieldOf(variable);
    if (fields[field] === undefined) continue;
    fields[field] = asConfigError(variable, () => setting.kind.check(fields[field]));
  }
  if (config.redisUrl !== undefined && config.sessionEncryptionKey === undefined) {
    throw new ConfigError(
      'SESSION_ENCRYPTION_KEY',
      "required when REDIS_URL is set (it encrypts the DCS cookies kept in Redis); make one with 'openssl rand -base64 32' and give every instance the same value",
    );
  }
  if (config.sessionLockLeaseMs !== undefined && !(config.sessionLockLeaseMs >= 100 && Number.isFinite(config.sessionLockLeaseMs))) {
    throw new ConfigError('sessionLockLeaseMs', `${config.sessionLockLeaseMs} ms is too short a lease; give 100 ms or more`);
  }
  if (config.mirrorSchedule !== undefined && config.databaseUrl === undefined) {
    throw new ConfigError('MIRROR_SCHEDULE', 'the mirror fills the readings store: set DATABASE_URL too, or leave MIRROR_SCHEDULE unset');
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError(
      config.tlsCert === undefined ? 'TLS_CERT' : 'TLS_KEY',
      'TLS_CERT and TLS_KEY must be given together (PEM file paths), or neither for a generated development certificate',
    );
  }
}

function asConfigError<T>(variable: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidSetting) throw new ConfigError(variable, error.message);
    throw error;
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads the configuration from environment variables. A `.env` file in the working directory
 * (or the file named by `envFile`) is loaded first; variables already set win over it. Each
 * variable's text becomes a value of its kind; resolveConfig then checks them all as it checks
 * overrides. A deprecated name still works, and leaves a warning in `warnings`.
 */
export function loadConfig(env: Env = process.env, options: { envFile?: string } = {}): ServerConfig {
  loadEnvFile(env, options.envFile ?? path.resolve('.env'));
  const overrides: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [variable, setting] of Object.entries(SETTINGS)) {
    const found = readVariable(env, variable, setting.aliases ?? []);
    if (found === undefined) continue;
    if (found.name !== variable) warnings.push(`${found.name} is deprecated and will be removed: rename it ${variable} (same value).`);
    overrides[fieldOf(variable)] = asConfigError(variable, () => setting.kind.parse(found.text));
  }
  const config = resolveConfig(overrides);
  return warnings.length > 0 ? { ...config, warnings } : config;
}

/** The variable's trimmed text, or its first deprecated name's; undefined when none is set (or all are blank). */
function readVariable(env: Env, variable: string, aliases: string[]): { name: string; text: string } | undefined {
  for (const name of [variable, ...aliases]) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return { name, text: value };
  }
  return undefined;
}

/**
 * Loads a `.env` file into `env` without overwriting variables already set. Node parses it
 * (`util.parseEnv`, the parser behind `node --env-file` and `process.loadEnvFile`), so the file
 * means what it means to Node; the values go into `env`, which need not be `process.env` (tests
 * pass their own).
 */
function loadEnvFile(env: Env, file: string): void {
  if (!fs.existsSync(file)) return;
  for (const [name, value] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) {
    if (env[name] === undefined) env[name] = value;
  }
}
