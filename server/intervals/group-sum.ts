/**
 * A group's members summed interval by interval (`combine=sum`). Only figures that are themselves
 * sums over half-hours add up exactly: consumption, out-of-hours consumption, carbon, and the
 * counts of half-hours (periods, interpolated, resets, missing, invalid, counted per member). A
 * maximum, a mean, a demand or a percentile of the sum is not the sum of the members' and is not
 * offered. As for one source, a figure is the sum of the usable half-hours and `missing` says how
 * many were not there; it is null only when no member had one.
 */
import type { IntervalCalc } from '../api/types';
import { badParameter } from '../request-errors';
import { cleanNumber, type IntervalFigures } from './accumulator';

/** The calculations a sum of members gives exactly. */
export const SUMMABLE_CALCS: readonly IntervalCalc[] = ['consumption', 'outOfHours', 'carbon'];

/** Refuses, naming them, calculations asked of a group's sum that a sum cannot give exactly. */
export function refuseUnsummable(groupId: string, asked: readonly IntervalCalc[] | undefined): void {
  const refused = (asked ?? []).filter((calc) => !SUMMABLE_CALCS.includes(calc));
  if (refused.length === 0) return;
  throw badParameter(
    'calc',
    `${refused.join(', ')} of ${groupId}'s sum would not be the sum of its members' (a maximum, mean or demand of a sum is not the sum of theirs); with combine=sum ask for ${SUMMABLE_CALCS.join(', ')}, or leave combine=sum out for every calculation per member`,
  );
}

/**
 * Adds a batch of one member's intervals into the running sum, the batch's first interval being the
 * member's `offset`-th; the first member's intervals start the sum. Returns `sum`, changed in place.
 */
export function addIntervals(sum: IntervalFigures[], batch: readonly IntervalFigures[], offset: number, groupId: string): IntervalFigures[] {
  batch.forEach((figures, i) => {
    const at = offset + i;
    if (at < sum.length) sum[at] = addFigures(sum[at], figures);
    else if (at === sum.length) sum.push(addFigures(emptyFigures(groupId, figures), figures));
    else throw new Error(`interval ${at} of a member of ${groupId} came before interval ${sum.length}`);
  });
  return sum;
}

function emptyFigures(id: string, like: IntervalFigures): IntervalFigures {
  return {
    id,
    startMs: like.startMs,
    endMs: like.endMs,
    consumption: null,
    mean: null,
    min: null,
    max: null,
    maxAtMs: null,
    periods: 0,
    interpolated: 0,
    resets: 0,
    missing: 0,
    invalid: 0,
    baseload: null,
    outOfHours: null,
    heatingDegreeDays: null,
    coolingDegreeDays: null,
    carbon: null,
  };
}

function addFigures(total: IntervalFigures, figures: IntervalFigures): IntervalFigures {
  if (total.startMs !== figures.startMs) throw new Error(`interval ${figures.startMs} added to ${total.startMs}`);
  return {
    ...total,
    consumption: plus(total.consumption, figures.consumption),
    outOfHours: plus(total.outOfHours, figures.outOfHours),
    carbon: plus(total.carbon, figures.carbon),
    periods: total.periods + figures.periods,
    interpolated: total.interpolated + figures.interpolated,
    resets: total.resets + figures.resets,
    missing: total.missing + figures.missing,
    invalid: total.invalid + figures.invalid,
  };
}

function plus(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return cleanNumber(a + b);
}
