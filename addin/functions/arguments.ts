/**
 * Reading cell-function arguments. Excel hands custom functions plain JavaScript values: numbers
 * (dates arrive as serial numbers), strings, booleans, and null for an empty cell or an omitted
 * optional argument; and cell value objects for formatted numbers and data types (read through
 * their `basicValue`). Each reader accepts what a user would reasonably type or reference and
 * otherwise fails with #VALUE! naming the argument and saying what to write instead.
 */
import type { IntervalCalc, IntervalType, PeriodType, ReadingsFormat } from '../../server/api/types';
import { DAYS_1900_TO_1904, serialToEpochMs, type DateSystem } from '../excel/dates';
import { normaliseGroupId, normaliseSourceId } from '../query/source-id';
import { isKnownZone } from '../query/time-zones';
import { badArgument } from './failure';

/** A plain value as Excel passes it to a custom function declared with type `any`. */
type PlainArgument = number | string | boolean | null | undefined;

/**
 * With `allowCustomDataForDataTypeAny` (functions.json), a cell holding a formatted number (a date
 * another DCS function spilled), an entity or another data type arrives as a JSON object whose
 * `basicValue` is the plain value (learn.microsoft.com/office/dev/add-ins/excel/custom-functions-data-types-concepts).
 */
interface CellValueObject {
  type?: string;
  basicValue?: unknown;
}

/** An argument as Excel passes it: a plain value, or a cell value object. */
export type CellArgument = PlainArgument | CellValueObject;

/** The plain value of an argument: a cell value object's `basicValue` (its text if it has none). */
export function plainArgument(value: CellArgument): PlainArgument {
  if (typeof value !== 'object' || value === null) return value;
  const basic = value.basicValue;
  if (typeof basic === 'number' || typeof basic === 'string' || typeof basic === 'boolean') return basic;
  return basic === null ? null : String(value.type ?? 'a value');
}

/** True for an omitted optional argument or an empty cell. */
export function isOmitted(value: PlainArgument): value is null | undefined | '' {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** A source id such as `R1001` or `VM3`, normalised to upper case, or a group id (`group:engineering-elec`: the server sums its members). */
export function readSourceId(cell: CellArgument, argument = 'id'): string {
  const value = plainArgument(cell);
  if (isOmitted(value))
    throw badArgument(argument, 'is empty; give a source id such as "R1001" (a register) or "VM3" (a virtual meter); =DCS.SOURCES() lists them');
  if (typeof value === 'number') {
    throw badArgument(
      argument,
      `${value} is a number, but ids say what kind of source they are: write "R${value}" for register ${value} or "VM${value}" for virtual meter ${value}`,
    );
  }
  const text = String(value).trim();
  const id = normaliseSourceId(text) ?? normaliseGroupId(text);
  if (id === undefined)
    throw badArgument(
      argument,
      `"${text}" is not a source id; write R<register id> or VM<virtual meter id>, e.g. "R1001", or a group id such as "group:engineering-elec"; =DCS.SOURCES() lists them`,
    );
  return id;
}

/** A point in time as the user gave it: a plain date, or a date and time (local, or with an offset). */
export interface TimeArgument {
  /** `YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm:ss` optionally followed by `Z` or `±HH:mm`. */
  text: string;
  /** True when only a date was given (a whole day). */
  dateOnly: boolean;
}

/** Serial numbers before this (1900-03-01) meet Excel's 1900 leap-year bug; nobody bills then. */
const FIRST_USABLE_SERIAL = 61;
/** 9999-12-31, Excel's last date (1900 system). */
const LAST_SERIAL = 2_958_465;

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A start or end: an Excel date serial (a date cell, DATE(2024,4,1)) or text in ISO form
 * (`2024-04-01`, `2024-04-01 06:30`). A serial is a wall-clock reading with no zone; the zone
 * argument says where that wall clock hangs. Serials count days in the workbook's date system
 * (a 1904 workbook's are 1,462 smaller for the same date).
 */
export function readTime(cell: CellArgument, argument: string, dateSystem: DateSystem = 1900): TimeArgument {
  const value = plainArgument(cell);
  if (isOmitted(value))
    throw badArgument(argument, 'is empty; give a date (a date cell, DATE(2024,4,1) or "2024-04-01") or a date and time ("2024-04-01 06:30")');
  if (typeof value === 'boolean') throw badArgument(argument, `${String(value).toUpperCase()} is not a date; give a date cell, DATE(2024,4,1) or "2024-04-01"`);
  if (typeof value === 'number') return timeFromSerial(value, argument, dateSystem);
  return timeFromText(String(value).trim(), argument);
}

function timeFromSerial(serial: number, argument: string, dateSystem: DateSystem): TimeArgument {
  const first = dateSystem === 1904 ? 0 : FIRST_USABLE_SERIAL;
  const last = dateSystem === 1904 ? LAST_SERIAL - DAYS_1900_TO_1904 : LAST_SERIAL;
  if (!Number.isFinite(serial) || serial < first || serial > last) {
    throw badArgument(argument, `${serial} is not a date Excel can show; give a date cell, DATE(2024,4,1) or "2024-04-01"`);
  }
  // Whole seconds: a serial's float noise (e.g. 00:30 as 0.0208333...) must not read as 00:29:59.999.
  const wallMs = Math.round(serialToEpochMs(serial, dateSystem) / 1000) * 1000;
  const iso = new Date(wallMs).toISOString();
  const dateOnly = wallMs % 86_400_000 === 0;
  return { text: dateOnly ? iso.slice(0, 10) : iso.slice(0, 19), dateOnly };
}

function timeFromText(text: string, argument: string): TimeArgument {
  const match = DATE_TEXT.exec(text);
  if (!match) {
    throw badArgument(
      argument,
      `"${text}" is not a date I can read without guessing the day/month order; write it as 2024-04-01 or 2024-04-01 06:30, or use a date cell`,
    );
  }
  const [, y, mo, d, h, mi, s, offset] = match;
  const month = Number(mo);
  const day = Number(d);
  const lastDay = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > lastDay) throw badArgument(argument, `"${text}" is not a date that exists`);
  if (h === undefined) return { text: `${y}-${mo}-${d}`, dateOnly: true };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)
    throw badArgument(argument, `"${text}" is not a time of day; hours run 00-23 and minutes 00-59`);
  const normalisedOffset = offset === undefined ? '' : offset.toUpperCase() === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  return { text: `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${normalisedOffset}`, dateOnly: false };
}

/** An IANA time-zone name, checked against the runtime's zone database; `fallback` when omitted. */
export function readTimeZone(cell: CellArgument, fallback: string, argument = 'timeZone'): string {
  const value = plainArgument(cell);
  if (isOmitted(value)) return fallback;
  const zone = String(value).trim();
  if (typeof value !== 'string' || !isKnownZone(zone)) {
    throw badArgument(argument, `"${zone}" is not a time zone; use a name such as "Europe/London", "America/New_York" or "UTC"`);
  }
  return zone;
}

/**
 * An optional time-of-use band (`"Mon-Sun 00:00-07:00"`): text, passed to the server, which reads
 * it (one syntax, server/time/bands.ts) and refuses what it cannot read, naming `band`.
 */
export function readBand(cell: CellArgument, argument = 'band'): string | undefined {
  const value = plainArgument(cell);
  if (isOmitted(value)) return undefined;
  if (typeof value !== 'string') throw badArgument(argument, 'must be text such as "Mon-Fri 16:00-19:00" or "Mon-Sun 00:00-07:00"');
  const band = value.trim();
  return band === '' ? undefined : band;
}

/** Period-type names as a user may write them (any case; `half-hour` and `half hour` too). */
const PERIOD_TYPE_NAMES: Record<string, PeriodType> = {
  halfhour: 'halfHour',
  'half-hour': 'halfHour',
  'half hour': 'halfHour',
  hour: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
};

/** `halfHour` (default), `hour`, `day`, `week` or `month`, any case. */
export function readPeriodType(cell: CellArgument, argument = 'periodType'): PeriodType {
  const value = plainArgument(cell);
  return readName(value, PERIOD_TYPE_NAMES, 'halfHour', argument, 'is not a period type; use "halfHour", "hour", "day", "week" or "month"');
}

/**
 * One of a few names, looked up in `names` (keys in lower case) after trimming and lower-casing;
 * `fallback` when omitted. Anything else fails: "<what was given>" <refusal>.
 */
function readName<T>(cell: CellArgument, names: Record<string, T>, fallback: T, argument: string, refusal: string): T {
  const value = plainArgument(cell);
  if (isOmitted(value)) return fallback;
  const key = String(value).trim().toLowerCase();
  // Own keys only: "constructor" or "toString" must not find Object's (not Object.hasOwn: older Office webviews lack it).
  const found = Object.prototype.hasOwnProperty.call(names, key) ? names[key] : undefined;
  if (typeof value !== 'string' || found === undefined) throw badArgument(argument, `"${String(value)}" ${refusal}`);
  return found;
}

/** What DCS.READINGS' options text asks for. */
export interface ReadingsOptionsArgument {
  format: ReadingsFormat;
  calibrated: boolean;
  interpolated: boolean;
  /** Undefined: the caller's default zone. */
  timeZone?: string;
  header: boolean;
  /** Rows the formula may spill; undefined: the default cap. */
  maxRows?: number;
}

/** Rows a DCS formula spills at most unless its options say otherwise, and the most they may say. */
export const DEFAULT_MAX_ROWS = 10_000;
const HIGHEST_MAX_ROWS = 100_000;

export const READINGS_OPTIONS_HELP =
  'separate options with ";": "complete" (totals and period values), "uncalibrated", "noInterpolation", "noHeader", "timeZone=Europe/London", "maxRows=50000"';

/** Options text such as `"complete; timeZone=Europe/London"`. */
export function readReadingsOptions(cell: CellArgument, argument = 'options'): ReadingsOptionsArgument {
  const value = plainArgument(cell);
  const options: ReadingsOptionsArgument = { format: 'standard', calibrated: true, interpolated: true, header: true };
  if (isOmitted(value)) return options;
  if (typeof value !== 'string') throw badArgument(argument, `${String(value)} is not options text; ${READINGS_OPTIONS_HELP}`);
  for (const raw of value.split(/[;,]/)) {
    const token = raw.trim();
    if (token === '') continue;
    const [name, ...rest] = token.split('=');
    const key = name
      .trim()
      .toLowerCase()
      .replace(/[\s_-]/g, '');
    const setting = rest.join('=').trim();
    if (key === 'timezone' || key === 'tz') {
      if (setting === '' || !isKnownZone(setting))
        throw badArgument(argument, `"${setting}" is not a time zone; use a name such as timeZone=Europe/London or timeZone=UTC`);
      options.timeZone = setting;
    } else if (key === 'maxrows') {
      options.maxRows = readMaxRows(setting, argument);
    } else if (rest.length > 0) {
      throw badArgument(argument, `"${token}" is not an option; ${READINGS_OPTIONS_HELP}`);
    } else if (key === 'complete') {
      options.format = 'complete';
    } else if (key === 'standard') {
      options.format = 'standard';
    } else if (key === 'uncalibrated') {
      options.calibrated = false;
    } else if (key === 'nointerpolation' || key === 'raw') {
      options.interpolated = false;
    } else if (key === 'noheader') {
      options.header = false;
    } else {
      throw badArgument(argument, `"${token}" is not an option; ${READINGS_OPTIONS_HELP}`);
    }
  }
  return options;
}

function readMaxRows(setting: string, argument: string): number {
  const rows = Number(setting);
  if (!Number.isInteger(rows) || rows < 1 || rows > HIGHEST_MAX_ROWS) {
    throw badArgument(argument, `maxRows=${setting} is not a row count from 1 to ${HIGHEST_MAX_ROWS.toLocaleString('en-GB')}; e.g. maxRows=50000`);
  }
  return rows;
}

/** Optional search text for DCS.SOURCES; numbers are searched as text. */
export function readSearch(cell: CellArgument, argument = 'search'): string {
  const value = plainArgument(cell);
  if (isOmitted(value)) return '';
  if (typeof value === 'boolean') throw badArgument(argument, 'give text to look for in source names, or leave it out to list every source');
  return String(value).trim();
}

/** What DCS.QUALITY may be asked for on its own, for use inside a table. */
export type QualityMeasure = 'interpolated' | 'resets' | 'missing' | 'periods';
export const QUALITY_MEASURES: readonly QualityMeasure[] = ['interpolated', 'resets', 'missing', 'periods'];

const QUALITY_NAMES: Record<string, QualityMeasure> = {
  ...(Object.fromEntries(QUALITY_MEASURES.map((m) => [m, m])) as Record<QualityMeasure, QualityMeasure>),
  estimated: 'interpolated',
  reset: 'resets',
  halfhours: 'periods',
  'half-hours': 'periods',
};

export function readQualityMeasure(cell: CellArgument, argument = 'measure'): QualityMeasure | undefined {
  const value = plainArgument(cell);
  return readName<QualityMeasure | undefined>(
    value,
    QUALITY_NAMES,
    undefined,
    argument,
    'is not a measure; use "interpolated", "resets", "missing" or "periods", or leave it out for all four',
  );
}

/**
 * The ids of DCS.INTERVALS: one id, several in one text separated by commas or semicolons, or a
 * range of cells holding ids (empty cells skipped). Upper-cased, without repeats, in order.
 */
export function readSourceIds(value: CellArgument | CellArgument[][], argument = 'ids'): string[] {
  const cells = Array.isArray(value) ? value.flat() : [value];
  const ids: string[] = [];
  for (const entry of cells) {
    const cell = plainArgument(entry);
    if (isOmitted(cell)) continue;
    const parts = typeof cell === 'string' ? cell.split(/[,;]/).filter((p) => p.trim() !== '') : [cell];
    for (const part of parts) {
      const id = readSourceId(part, argument);
      if (!ids.includes(id)) ids.push(id);
    }
  }
  if (ids.length === 0) throw badArgument(argument, 'is empty; give a source id such as "R1001", several as "R1001,R1008", or a range of cells holding ids');
  if (ids.length > MAX_INTERVAL_SOURCES)
    throw badArgument(argument, `${ids.length} sources is more than one formula may ask for (${MAX_INTERVAL_SOURCES}); split them over several formulas`);
  return ids;
}

/** Sources one DCS.INTERVALS may ask for (the server takes up to 200; a formula's spill should stay readable). */
const MAX_INTERVAL_SOURCES = 50;

/** The period types' names and the two intervals longer than a month. */
const INTERVAL_NAMES: Record<string, IntervalType> = { ...PERIOD_TYPE_NAMES, quarter: 'quarter', year: 'year' };

/** `halfHour`, `hour`, `day` (default), `week`, `month`, `quarter` or `year`, any case. */
export function readInterval(cell: CellArgument, argument = 'interval'): IntervalType {
  const value = plainArgument(cell);
  return readName(value, INTERVAL_NAMES, 'day', argument, 'is not an interval; use "halfHour", "hour", "day", "week", "month", "quarter" or "year"');
}

const CALC_NAMES: Record<string, IntervalCalc> = {
  consumption: 'consumption',
  mean: 'mean',
  average: 'mean',
  min: 'min',
  max: 'max',
  maxat: 'maxAt',
  maxdemand: 'maxDemand',
  maxdemandat: 'maxDemandAt',
  loadfactor: 'loadFactor',
};

/** Optional calculations, e.g. "consumption" or "mean,max,maxAt"; undefined: the server's default for each source. */
export function readCalcs(cell: CellArgument, argument = 'calc'): IntervalCalc[] | undefined {
  const value = plainArgument(cell);
  if (isOmitted(value)) return undefined;
  const calcs: IntervalCalc[] = [];
  for (const raw of String(value).split(/[,;]/)) {
    if (raw.trim() === '') continue;
    const key = raw
      .trim()
      .toLowerCase()
      .replace(/[\s_-]/g, '');
    // Own keys only, as readName: "constructor" must not find Object's.
    const calc = Object.prototype.hasOwnProperty.call(CALC_NAMES, key) ? CALC_NAMES[key] : undefined;
    if (typeof value !== 'string' || calc === undefined) {
      throw badArgument(
        argument,
        `"${raw.trim()}" is not a calculation; use "consumption", "maxDemand", "maxDemandAt", "loadFactor", "mean", "min", "max" or "maxAt", several separated by commas`,
      );
    }
    if (!calcs.includes(calc)) calcs.push(calc);
  }
  return calcs.length > 0 ? calcs : undefined;
}
