/**
 * Validation of a `/readings` query, enforcing the rules a real DCS server enforces. Every
 * refusal names the parameter at fault and what a valid value looks like.
 */

import { parseSourceId } from 'dcs-client';
import { DcsRefusal } from './errors';
import { EstateRegister, EstateVirtualMeter } from './estate';
import { EstateData } from './estate-data';
import { SourceModel, VirtualMeterModel } from './models';
import { addPeriods, alignmentRule, DAY_MS, formatTimestamp, isAligned, utcMs, parsePeriodType, parseTimeParam, PeriodType, periodTypeNames } from './time';

export type ReadingsSource =
  | { kind: 'register'; id: number; register: EstateRegister; model: SourceModel; isInstantaneous: boolean; name: string; unit: string }
  | { kind: 'virtualMeter'; id: number; virtualMeter: EstateVirtualMeter; model: VirtualMeterModel; isInstantaneous: boolean; name: string; unit: string };

export interface ReadingsRequest {
  source: ReadingsSource;
  start: number;
  end: number;
  periodType: PeriodType;
  format: 'standard' | 'complete';
  calibrated: boolean;
  interpolated: boolean;
}

export interface QueryPolicy {
  rangeLimitDays?: number;
  /** Throws a 403 DcsRefusal if the caller may not read this source. */
  checkAccess(source: ReadingsSource): void;
}

/** Query parameter names are case-insensitive on an ASP.NET server. */
function lowerCaseParams(params: URLSearchParams): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of params) {
    const key = name.toLowerCase();
    if (!map.has(key)) map.set(key, value);
  }
  return map;
}

export function resolveSource(idText: string | undefined, data: EstateData): ReadingsSource {
  if (idText === undefined || idText.trim() === '') {
    throw new DcsRefusal(400, 'The id parameter is required: R<registerId> for a register or VM<virtualMeterId> for a virtual meter, e.g. R1001 or VM3.');
  }
  const parsed = parseSourceId(idText);
  if (!parsed) {
    throw new DcsRefusal(
      400,
      `"${idText}" is not a valid id: use R<registerId> for a register or VM<virtualMeterId> for a virtual meter (a meter id is not a source id).`,
    );
  }
  const number = parsed.number;
  if (!parsed.isVirtualMeter) {
    const register = data.registerInfo(number);
    if (!register) throw new DcsRefusal(400, `Register ${number} (id ${idText}) does not exist: see /meters for the registers you can read.`);
    return {
      kind: 'register',
      id: number,
      register,
      model: data.register(number),
      isInstantaneous: register.wire.isInstantaneous,
      name: register.fullName,
      unit: register.wire.unit,
    };
  }
  const virtualMeter = data.estate.virtualMeterById.get(number);
  if (!virtualMeter)
    throw new DcsRefusal(400, `Virtual meter ${number} (id ${idText}) does not exist: see /virtualMeters for the virtual meters you can read.`);
  return {
    kind: 'virtualMeter',
    id: number,
    virtualMeter,
    model: data.virtualMeter(number),
    isInstantaneous: virtualMeter.wire.isInstantaneous,
    name: virtualMeter.wire.name,
    unit: virtualMeter.wire.unit,
  };
}

function parseBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new DcsRefusal(400, `${name}=${value} is not valid: use true or false.`);
}

function parseTime(name: string, value: string, periodType: PeriodType): number {
  const ms = parseTimeParam(value);
  if (ms === undefined) {
    throw new DcsRefusal(400, `${name}=${value} is not a valid date-time: use UTC in the form yyyy-MM-ddTHH:mm:ssZ, e.g. 2021-09-20T18:00:00Z.`);
  }
  checkAligned(name, ms, periodType);
  return ms;
}

function checkAligned(name: string, ms: number, periodType: PeriodType): void {
  if (!isAligned(ms, periodType)) {
    throw new DcsRefusal(400, `${name} ${formatTimestamp(ms)} is not consistent with periodType ${periodType}: it must fall ${alignmentRule(periodType)}.`);
  }
}

const MIN_MS = utcMs(1, 0, 1);
const MAX_MS = utcMs(10000, 0, 1);

export function parseReadingsQuery(params: URLSearchParams, data: EstateData, policy: QueryPolicy): ReadingsRequest {
  const q = lowerCaseParams(params);
  const source = resolveSource(q.get('id'), data);
  policy.checkAccess(source);

  const periodTypeText = q.get('periodtype');
  const periodType = periodTypeText === undefined || periodTypeText === '' ? 'halfHour' : parsePeriodType(periodTypeText);
  if (!periodType) throw new DcsRefusal(400, `periodType=${periodTypeText} is not valid: use one of ${periodTypeNames()}.`);

  const formatText = (q.get('format') || 'standard').toLowerCase();
  if (formatText !== 'standard' && formatText !== 'complete') {
    throw new DcsRefusal(400, `format=${q.get('format')} is not valid: use standard or complete.`);
  }
  if (formatText === 'complete' && source.kind === 'virtualMeter') {
    throw new DcsRefusal(400, `format=complete is not valid for virtual meters (VM${source.id}): use format=standard.`);
  }
  const calibrated = parseBoolean('calibrated', q.get('calibrated'));
  const interpolated = parseBoolean('interpolated', q.get('interpolated'));

  if (source.isInstantaneous && periodType !== 'halfHour') {
    const label = source.kind === 'register' ? `R${source.id}` : `VM${source.id}`;
    throw new DcsRefusal(400, `${label} is instantaneous: only periodType=halfHour is allowed for instantaneous registers and virtual meters.`);
  }

  const startText = q.get('starttime') || undefined;
  const endText = q.get('endtime') || undefined;
  const countText = q.get('periodcount') || undefined;
  const given = [startText, endText, countText].filter((v) => v !== undefined).length;
  if (given !== 2) {
    throw new DcsRefusal(400, `Exactly two of startTime, endTime and periodCount must be given (${given} ${given === 1 ? 'was' : 'were'}).`);
  }
  let count: number | undefined;
  if (countText !== undefined) {
    count = Number(countText);
    if (!/^\d+$/.test(countText) || !Number.isSafeInteger(count) || count < 1) {
      throw new DcsRefusal(400, `periodCount=${countText} is not valid: use a whole number of periods, 1 or more.`);
    }
  }
  let start = startText !== undefined ? parseTime('startTime', startText, periodType) : undefined;
  let end = endText !== undefined ? parseTime('endTime', endText, periodType) : undefined;
  if (start === undefined) start = addPeriods(end as number, periodType, -(count as number));
  if (end === undefined) end = addPeriods(start, periodType, count as number);
  if (!(start >= MIN_MS && end <= MAX_MS)) {
    throw new DcsRefusal(400, 'The requested time span reaches outside the years 0001 to 9999.');
  }
  if (end <= start) {
    throw new DcsRefusal(400, `endTime ${formatTimestamp(end)} must be after startTime ${formatTimestamp(start)}.`);
  }
  const limit = policy.rangeLimitDays;
  if (limit !== undefined && limit > 0 && end - start > limit * DAY_MS) {
    const days = Math.round(((end - start) / DAY_MS) * 100) / 100;
    throw new DcsRefusal(
      400,
      `The requested time span is too long: ${days} days from ${formatTimestamp(start)} to ${formatTimestamp(end)}; the maximum allowed is ${limit} days. Split the request into smaller spans.`,
    );
  }
  return { source, start, end, periodType, format: formatText, calibrated, interpolated };
}
