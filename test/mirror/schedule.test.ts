import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config';
import type { MirrorSummary } from '../../server/mirror';
import { CronSyntaxError, nextRun, parseCronSchedule } from '../../server/mirror/schedule';
import { scheduleMirror } from '../../server/mirror/scheduled';

const at = (iso: string): number => Date.parse(iso);
const next = (cron: string, after: string): string | undefined => {
  const ms = nextRun(parseCronSchedule(cron), at(after));
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe('MIRROR_SCHEDULE (cron, UTC)', () => {
  test('names the next minute the schedule gives, in UTC', () => {
    assert.equal(next('30 2 * * *', '2025-03-10T01:00:00Z'), '2025-03-10T02:30:00.000Z');
    assert.equal(next('30 2 * * *', '2025-03-10T02:30:00Z'), '2025-03-11T02:30:00.000Z', 'strictly after');
    assert.equal(next('*/15 * * * *', '2025-03-10T01:07:20Z'), '2025-03-10T01:15:00.000Z');
    assert.equal(next('0 3 * * 0', '2025-03-10T00:00:00Z'), '2025-03-16T03:00:00.000Z', 'Sunday');
    assert.equal(next('0 3 * * 7', '2025-03-10T00:00:00Z'), '2025-03-16T03:00:00.000Z', '7 is Sunday too');
    assert.equal(next('0 0 1 1,7 *', '2025-03-10T00:00:00Z'), '2025-07-01T00:00:00.000Z');
    assert.equal(next('0 0 29 2 *', '2025-03-10T00:00:00Z'), '2028-02-29T00:00:00.000Z');
    assert.equal(next('0 0 13 * 5', '2025-03-10T00:00:00Z'), '2025-03-13T00:00:00.000Z', 'either day field, as cron');
    assert.equal(next('0 0 31 2 *', '2025-03-10T00:00:00Z'), undefined);
    assert.equal(next('0-30/10 9-17 * * 1-5', '2025-03-14T17:31:00Z'), '2025-03-17T09:00:00.000Z', 'a Friday evening: Monday 09:00');
    assert.equal(next('0-30/10 9-17 * * 1-5', '2025-03-10T09:05:00Z'), '2025-03-10T09:10:00.000Z');
  });

  test('refuses what it does not understand, saying what to write', () => {
    // Croner's own extensions (L, #, ?, seconds) are refused too: the documented subset only.
    for (const bad of [
      '@daily',
      '* * * *',
      '60 * * * *',
      '* * * * MON',
      '5-1 * * * *',
      '*/0 * * * *',
      '0 0 L * *',
      '0 0 * * 5#2',
      '0 0 ? * *',
      '0 0 0 * * *',
    ]) {
      assert.throws(
        () => parseCronSchedule(bad),
        (error: Error) => error instanceof CronSyntaxError && /e\.g\. '30 2 \* \* \*'/.test(error.message),
        bad,
      );
    }
  });

  test('is read with the store settings, and needs DATABASE_URL', () => {
    const env = { DATABASE_URL: 'postgres://dcs@db/dcs', SETTLE_AGE: '3d', MIRROR_SCHEDULE: '30 2 * * *', MIRROR_SOURCES: 'r733, vm9' };
    const config = loadConfig(env, { envFile: '/nonexistent/.env' });
    assert.equal(config.settleAge, 3 * 86_400);
    assert.deepEqual(config.mirrorSources, ['R733', 'VM9']);
    const refused = (extra: Record<string, string>, variable: string) =>
      assert.throws(
        () => loadConfig({ ...env, ...extra }, { envFile: '/nonexistent/.env' }),
        (e: Error) => e instanceof ConfigError && e.variable === variable,
      );
    refused({ DATABASE_URL: '' }, 'MIRROR_SCHEDULE');
    refused({ MIRROR_SCHEDULE: '0 0 31 2 *' }, 'MIRROR_SCHEDULE');
    refused({ DATABASE_URL: 'mysql://db/dcs' }, 'DATABASE_URL');
    refused({ SETTLE_AGE: 'a week' }, 'SETTLE_AGE');
    refused({ MIRROR_SOURCES: 'R1,meter 2' }, 'MIRROR_SOURCES');
    const plain = loadConfig({}, { envFile: '/nonexistent/.env' });
    assert.equal(plain.databaseUrl, undefined, 'no store unless asked for');
  });

  test('runs the mirror when due and aborts it when the server stops', async () => {
    const started = Date.now();
    // A clock 50 ms before a minute: the schedule "every minute" is due at once.
    const now = () => at('2025-03-10T01:00:59.950Z') + (Date.now() - started);
    const summary: MirrorSummary = { sources: 1, readings: 48, stored: 48, dcsCalls: 1, failed: [], elapsedMs: 1 };
    const outcomes: unknown[] = [];
    let stopSignal: AbortSignal | undefined;
    const ran = new Promise<void>((resolve) => {
      const mirror = scheduleMirror({
        schedule: parseCronSchedule('* * * * *'),
        now,
        run: async (signal) => {
          stopSignal = signal;
          return summary;
        },
        onRun: (outcome) => {
          outcomes.push(outcome);
          resolve();
          void mirror.stop();
        },
      });
      assert.equal(mirror.next, at('2025-03-10T01:01:00Z'));
    });
    // The schedule's timers do not keep a server process alive; this test must.
    const alive = setInterval(() => undefined, 1000);
    await ran;
    clearInterval(alive);
    assert.deepEqual(outcomes, [{ summary }]);
    assert.equal(stopSignal?.aborted, true, 'stopping aborts the run');
  });
});
