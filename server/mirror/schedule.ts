/**
 * MIRROR_SCHEDULE: when the server runs the mirror itself, in cron's five fields (minute, hour,
 * day of month, month, day of week), read in UTC. Croner reads and steps the schedule; this module
 * keeps MIRROR_SCHEDULE to the documented subset: `*`, numbers, ranges `a-b`, lists `a,b`, steps
 * `*\/n` and `a-b/n`; day of week 0–7 (0 and 7 are Sunday). As in cron, when both day fields are
 * restricted a day matching either runs. No names (`MON`, `JAN`), no `@daily` and none of croner's
 * extensions (`L`, `#`, `?`, seconds): a schedule means the same to any cron a reader knows.
 */
import { Cron } from 'croner';

export class CronSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}

export interface CronSchedule {
  readonly text: string;
  readonly cron: Cron;
}

const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

const EXAMPLE = "e.g. '30 2 * * *' for 02:30 UTC every day";

/** Five fields of the documented subset, in UTC; a CronSyntaxError saying what to write otherwise. */
export function parseCronSchedule(text: string): CronSchedule {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(`'${text}' is not a schedule: give five fields (minute hour day-of-month month day-of-week, UTC), ${EXAMPLE}`);
  }
  parts.forEach((part, i) => {
    if (!/^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/.test(part)) {
      throw new CronSyntaxError(
        `the ${FIELD_NAMES[i]} field '${part}' is not understood; use *, numbers, a range a-b, a list a,b or a step */n (no names), ${EXAMPLE}`,
      );
    }
  });
  try {
    // domAndDow false: a day matching either restricted day field runs, as in cron.
    return { text, cron: new Cron(parts.join(' '), { timezone: 'UTC', mode: '5-part', domAndDow: false, paused: true }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, '') : String(error);
    throw new CronSyntaxError(`'${text}' is not a schedule: ${reason}; ${EXAMPLE}`);
  }
}

/** The first whole minute strictly after `afterMs` that the schedule names (UTC), or undefined within 5 years (e.g. 31 February). */
export function nextRun(schedule: CronSchedule, afterMs: number): number | undefined {
  const next = schedule.cron.nextRun(new Date(afterMs));
  if (next === null) return undefined;
  return next.getTime() <= afterMs + 5 * 366 * 86_400_000 ? next.getTime() : undefined;
}
