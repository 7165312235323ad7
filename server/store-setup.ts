/**
 * The readings store's part in starting and stopping the server: with DATABASE_URL, the store is
 * opened (its migrations applied) before the server listens, and the mirror is scheduled on
 * MIRROR_SCHEDULE; both stop with the server. Without DATABASE_URL there is nothing to do.
 * With REDIS_URL the scheduled mirror's DCS calls count against the pace every instance shares.
 */
import type { ServerConfig } from './config';
import { connectAs, mirrorRole, type DcsClientFactory } from './dcs-settings';
import type { Logger } from './http/logger';
import { StoredReadings } from './http/stored-readings';
import { runMirror } from './mirror';
import { parseCronSchedule } from './mirror/schedule';
import { scheduleMirror, type ScheduledMirror } from './mirror/scheduled';
import { openReadingsStore } from './store';

export interface ServerStore {
  readings: StoredReadings;
  mirror?: ScheduledMirror;
  close(): Promise<void>;
}

/**
 * Opens the store; rejects (with the database's own message) when it cannot be reached or migrated.
 * `clients`: the server's DCS client factory, which holds the shared state when REDIS_URL is set, so
 * the mirror paces with every instance.
 */
export async function openServerStore(config: ServerConfig, logger: Logger, clients: DcsClientFactory): Promise<ServerStore | undefined> {
  if (config.databaseUrl === undefined) return undefined;
  const log = logger.child({ component: 'store' });
  let store;
  try {
    store = await openReadingsStore({
      databaseUrl: config.databaseUrl,
      settleAgeMs: config.settleAge * 1000,
      timeoutMs: config.databaseTimeout * 1000,
      ...(config.now ? { now: config.now } : {}),
      onError: (error) => log.warn('readings store trouble (pulls go on from DCS)', { error: error.message }),
      log: (message) => log.info(message),
    });
  } catch (error) {
    // The URL holds a password: the message names the variable, never its value.
    const reason = error instanceof Error ? error.message : String(error);
    // eslint-disable-next-line preserve-caught-error -- the cause may quote the URL, password and all
    throw new Error(
      `the readings store (DATABASE_URL) could not be opened: ${reason}. Check that PostgreSQL is running and that the URL's host, user, password and database are right, or unset DATABASE_URL to run without the store.`,
    );
  }
  const readings = new StoredReadings(store, logger.child({ component: 'read-through' }));
  const mirror = config.mirrorSchedule === undefined ? undefined : startMirror(config, readings, log, clients);
  log.info('readings store open', { settleAgeDays: config.settleAge / 86_400, mirrorSchedule: config.mirrorSchedule });
  return {
    readings,
    mirror,
    close: async () => {
      await mirror?.stop();
      await readings.close();
    },
  };
}

function startMirror(config: ServerConfig, readings: StoredReadings, log: Logger, clients: DcsClientFactory): ScheduledMirror {
  const now = config.now ?? Date.now;
  return scheduleMirror({
    schedule: parseCronSchedule(config.mirrorSchedule as string),
    now,
    run: async (signal) => {
      const dcs = await connectAs(clients, mirrorRole(config), signal);
      try {
        return await runMirror({
          store: readings.store,
          dcs,
          sources: config.mirrorSources,
          since: new Date(now() - config.mirrorSince * 1000),
          settleAgeMs: config.settleAge * 1000,
          now,
          signal,
        });
      } finally {
        await dcs[Symbol.asyncDispose]().catch(() => undefined);
      }
    },
    onRun: ({ summary, error, skipped }) => {
      if (skipped) log.warn('scheduled mirror skipped: the previous run is still going');
      else if (summary && summary.failed.length > 0)
        log.warn('scheduled mirror done, with failed sources', { ...summary, failed: summary.failed.map((f) => `${f.source}: ${f.message}`) });
      else if (summary) log.info('scheduled mirror done', { ...summary });
      else log.warn('scheduled mirror failed', { error: error instanceof Error ? error.message : String(error) });
    },
  });
}
