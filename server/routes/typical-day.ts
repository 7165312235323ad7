/**
 * GET /api/typical-day: a source's mean demand (kW) per local half-hour of day, weekdays and
 * weekends apart, over [start, end) (analysis/typical-day.ts). One pull of the source's half-hours.
 */
import { Router, type Request, type Response } from 'express';
import type { TypicalDayJson } from '../api/types';
import { TypicalDayAccumulator } from '../analysis/typical-day';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { budgetLimits, checkHalfHourBudget } from '../http/dcs-budget';
import { badParameter } from '../request-errors';
import { refuseUnknownParameters, singleText, sourceIdsParameter, spanEndParameter } from '../http/params';
import { timeZoneParameter } from '../time/parameters';
import { readingsCallOptions } from '../http/readings-calls';
import { readingsReader } from '../http/stored-readings';
import { resolveIntervalsRequest, resolveSources, streamSourceIntervals } from '../intervals';
import { demandUnit } from '../intervals/demand';

const TYPICAL_DAY_PARAMETERS = ['id', 'start', 'end', 'lastDay', 'timeZone'] as const;

export function createTypicalDayRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/typical-day', requireDcs(ctx), async (req: Request, res: Response) => {
    refuseUnknownParameters(req.query, TYPICAL_DAY_PARAMETERS, 'GET /api/typical-day');
    const one = (name: string): string | undefined => singleText(req.query[name], name)?.trim();
    const [id] = sourceIdsParameter(req.query.id, 1);
    const timeZone = timeZoneParameter(one('timeZone'), ctx.config.defaultTimeZone);
    const end = spanEndParameter(one('end'), one('lastDay'));
    // Days in the caller's zone; the half-hours themselves are DCS's UTC grid.
    const days = resolveIntervalsRequest({
      ids: [id],
      start: one('start') ?? '',
      end: end.text,
      endParameter: end.parameter,
      interval: 'day',
      timeZone,
      defaultTimeZone: timeZone,
    });
    const handle = res.locals.handle;
    if (!handle) throw new Error('requireDcs did not set the DCS client');
    const [source] = await resolveSources(handle, [id]);
    const unit = demandUnit(source);
    if (unit === undefined) throw badParameter('id', `${source.id} (${source.name}, ${source.unit}) has no demand; give an energy source in Wh, kWh or MWh`);
    checkHalfHourBudget(await budgetLimits(ctx, handle.dcs), 1, days);
    const typical = new TypicalDayAccumulator(timeZone);
    const halfHours = { ...days, interval: 'halfHour' as const, timeZone: 'UTC', calcs: ['consumption' as const] };
    let missing = 0;
    const events = streamSourceIntervals(handle, [source], halfHours, {
      calls: readingsCallOptions(ctx.config),
      maxWindowDays: ctx.config.dcsMaxWindowDays,
      reader: readingsReader(ctx, handle),
    });
    for await (const event of events) {
      if (event.type !== 'intervals') continue;
      for (const figures of event.intervals) {
        if (figures.consumption === null) missing++;
        else typical.add(figures.startMs, figures.consumption);
      }
    }
    const body: TypicalDayJson = { id: source.id, name: source.name, unit, timeZone, missing, ...typical.result() };
    res.json(body);
  });
  return router;
}
