/**
 * `npm run mirror -- [--sources R1,VM2 | --all] [--since DATE]`: keeps sources' settled history
 * current in the readings store (DATABASE_URL), from the DCS at DCS_URL, signed in as
 * DCS_USERNAME / DCS_PASSWORD (environment only: never a password on a command line) or through
 * DCS's public endpoint without them. Prints a progress bar and a summary. With REDIS_URL (and
 * SESSION_ENCRYPTION_KEY, as for the server) its calls count against the pace the servers share.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type ServerConfig } from '../config';
import { connectAs, dcsClientFactory, mirrorRole } from '../dcs-settings';
import { normaliseSourceId, toEpochMs } from 'dcs-client';
import { openSharedState, type SharedState } from '../shared-state';
import { openReadingsStore } from '../store';
import { runMirror, type MirrorProgress, type MirrorSummary } from '.';

export const USAGE = `Usage: npm run mirror -- (--sources R1,VM2,... | --all) [--since DATE]

Copies the settled half-hourly readings of the sources into the readings store, asking DCS only
for what the store lacks. Run it again to bring the store up to date; an interrupted run resumes.

  --sources <ids>   comma-separated registers (R<id>) and virtual meters (VM<id>)
  --all             every register and virtual meter the DCS account can see
  --since <date>    start of the history to keep, e.g. 2024-01-01 (default: a year ago)
  --help            show this help

Environment: DCS_URL, DATABASE_URL (required); DCS_USERNAME and DCS_PASSWORD (else DCS's public
endpoint); SETTLE_AGE and the DCS_ settings (DCS_RATE_LIMIT, DCS_RATE_LIMIT_MAX_WAIT,
DCS_MAX_WINDOW_DAYS, DCS_TIMEOUT_MS) as for the server; REDIS_URL and SESSION_ENCRYPTION_KEY to
keep to the DCS pace the servers share.
`;

export class MirrorUsageError extends Error {}

export interface MirrorArgs {
  help: boolean;
  sources: string[] | 'all';
  since: Date;
}

export function parseMirrorArgs(argv: string[], nowMs: number): MirrorArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { sources: { type: 'string' }, all: { type: 'boolean' }, since: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (error) {
    throw new MirrorUsageError(`${error instanceof Error ? error.message : String(error)}. See --help.`);
  }
  const since = parsed.since === undefined ? new Date(nowMs - 365 * 86_400_000) : parseSince(parsed.since);
  if (parsed.help) return { help: true, sources: [], since };
  if ((parsed.sources === undefined) === (parsed.all !== true)) {
    throw new MirrorUsageError('Say which sources to mirror: --sources R1,VM2 or --all (not both).');
  }
  if (parsed.all) return { help: false, sources: 'all', since };
  const ids = (parsed.sources as string).split(',').filter((id) => id.trim() !== '');
  if (ids.length === 0) throw new MirrorUsageError('--sources is empty; give ids such as R1,VM2.');
  try {
    return { help: false, sources: [...new Set(ids.map((id) => normaliseSourceId(id).id))], since };
  } catch (error) {
    throw new MirrorUsageError((error as Error).message);
  }
}

function parseSince(text: string): Date {
  try {
    return new Date(toEpochMs(text, '--since'));
  } catch (error) {
    throw new MirrorUsageError((error as Error).message);
  }
}

/** One line redrawn in place on a terminal; one line per source otherwise (logs, CI). */
export function progressLine(p: MirrorProgress, width = 24): string {
  const filled = Math.round((p.done / Math.max(1, p.total)) * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  return `[${bar}] ${p.done}/${p.total} sources · ${p.readings.toLocaleString('en')} readings · ${p.dcsCalls} DCS calls · ${p.source}`;
}

export function summaryText(s: MirrorSummary): string {
  const lines = [
    `Mirrored ${s.sources - s.failed.length} of ${s.sources} sources in ${(s.elapsedMs / 1000).toFixed(1)} s:`,
    `  ${s.readings.toLocaleString('en')} readings, ${s.stored.toLocaleString('en')} newly stored, ${s.dcsCalls} DCS calls`,
  ];
  for (const failure of s.failed) lines.push(`  ${failure.source} failed: ${failure.message}`);
  return `${lines.join('\n')}\n`;
}

/** For cron and CI: 0 only when every source was mirrored, 1 when any failed (the summary names them). */
export function exitStatus(summary: MirrorSummary): number {
  return summary.failed.length > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  let args: MirrorArgs;
  try {
    args = parseMirrorArgs(process.argv.slice(2), Date.now());
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfig();
  const databaseUrl = config.databaseUrl;
  if (!config.dcsUrl) throw new ConfigError('DCS_URL', 'the mirror needs the DCS to copy from; set DCS_URL');
  if (!databaseUrl) throw new ConfigError('DATABASE_URL', 'the mirror needs the store to copy into; set DATABASE_URL=postgres://user:password@host/database');
  const shared = await openMirrorSharedState(config.redisUrl, config.sessionEncryptionKey);
  try {
    return await mirrorWith(args, config, { dcsUrl: config.dcsUrl, databaseUrl }, shared);
  } finally {
    await shared?.close();
  }
}

/** With REDIS_URL, the state the servers share: the mirror's DCS calls then keep to their pace. */
async function openMirrorSharedState(redisUrl: string | undefined, key: string | undefined): Promise<SharedState | undefined> {
  if (redisUrl === undefined || key === undefined) return undefined;
  return openSharedState({ redisUrl, sessionEncryptionKey: key, onError: (error) => process.stderr.write(`Redis: ${error.message}\n`) });
}

async function mirrorWith(
  args: MirrorArgs,
  config: ServerConfig,
  { dcsUrl, databaseUrl }: { dcsUrl: string; databaseUrl: string },
  shared: SharedState | undefined,
): Promise<number> {
  const dcs = await connectAs(dcsClientFactory(config, dcsUrl, shared ? { endpoints: shared } : {}), mirrorRole(config));
  const settleAgeMs = config.settleAge * 1000;
  const store = await openReadingsStore({ databaseUrl, settleAgeMs });
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('Interrupted; run again to resume.')));
  const tty = process.stderr.isTTY;
  try {
    const summary = await runMirror({
      store,
      dcs,
      sources: args.sources,
      since: args.since,
      settleAgeMs,
      signal: controller.signal,
      onProgress: (p) => process.stderr.write(tty ? `\r${progressLine(p)}\x1b[K` : `${progressLine(p)}\n`),
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(summaryText(summary));
    return exitStatus(summary);
  } finally {
    await store.close();
    await dcs[Symbol.asyncDispose]();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = error instanceof ConfigError ? `Configuration error: ${error.message}` : error instanceof Error ? error.message : String(error);
      process.stderr.write(`${message}\n`);
      process.exit(error instanceof ConfigError ? 2 : 1);
    },
  );
}
