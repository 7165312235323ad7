/**
 * Time-of-use bands: which local half-hours a tariff's unit rate (or an "occupied" period)
 * applies to, written as text such as `Mon-Fri 16:00-19:00`. DOM-free and HTTP-free, so the
 * server, bills and monitoring all read bands the same way.
 *
 * Syntax (case-insensitive; clauses separated by `;`):
 *
 *   band     = clause *( ";" clause )
 *   clause   = window | "holidays" date *( [","] date )
 *   window   = [ months ] days times *( "," times )
 *   months   = month [ "-" month ] *( "," month [ "-" month ] )      Jan … Dec; ranges may wrap (Nov-Feb)
 *   days     = day [ "-" day ] *( "," day [ "-" day ] )              Mon … Sun, and Hol; ranges may wrap (Sat-Mon)
 *   times    = HH:MM "-" HH:MM                                       00:00 ≤ start < end ≤ 24:00
 *
 * A half-hour belongs to the band when its LOCAL start (in the zone the band is read in) falls in
 * one of the windows: the month and weekday of that local start match and `start ≤ time < end`.
 * So a night band `Mon-Sun 00:00-07:00` holds 14 half-hours on an ordinary day, 12 on the spring
 * clock-change day and 16 on the autumn one (01:00–02:00 local happens twice).
 *
 * Holidays are their own kind of day, `Hol`: on a date listed after `holidays`, only windows whose
 * days include `Hol` apply (a bank holiday billed as a weekend is `Sat-Sun,Hol 00:00-24:00`).
 */
import { offsetMinutesAt } from './zones';

export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
/** Monday first, as the syntax is written; `Hol` is the eighth kind of day. */
export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Hol'] as const;
const HOLIDAY = 7;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A band that cannot be read; the message says what is wrong and how to write it. */
export class BandSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BandSyntaxError';
  }
}

export interface BandWindow {
  /** Bit i set: month i (0 = January) is included. */
  months: number;
  /** Bit i set: day i of DAY_NAMES (0 = Monday, 7 = holiday) is included. */
  days: number;
  /** Minutes after local midnight, [start, end). */
  times: { start: number; end: number }[];
}

export interface Band {
  /** The text as given, trimmed. */
  text: string;
  windows: BandWindow[];
  /** Local dates (YYYY-MM-DD) that count as holidays. */
  holidays: ReadonlySet<string>;
}

const ALL_MONTHS = (1 << 12) - 1;
const SYNTAX_HINT = 'write e.g. "Mon-Fri 16:00-19:00", "Nov-Feb Mon-Fri 07:00-24:00", "Sat-Sun,Hol 00:00-24:00; holidays 2025-12-25 2025-12-26"';

export function parseBand(text: string): Band {
  const trimmed = text.trim();
  if (trimmed === '') throw new BandSyntaxError(`a band is empty; ${SYNTAX_HINT}`);
  const windows: BandWindow[] = [];
  const holidays = new Set<string>();
  for (const clause of trimmed.split(';')) {
    const words = clause.trim().split(/\s+/);
    if (words[0] === '') continue;
    if (words[0].toLowerCase() === 'holidays') readHolidays(words.slice(1), holidays);
    else windows.push(readWindow(clause.trim()));
  }
  if (windows.length === 0) throw new BandSyntaxError(`'${trimmed}' has no window (days and times); ${SYNTAX_HINT}`);
  return { text: trimmed, windows, holidays };
}

function readHolidays(words: string[], holidays: Set<string>): void {
  const dates = words.flatMap((word) => word.split(',')).filter((date) => date !== '');
  if (dates.length === 0) throw new BandSyntaxError(`'holidays' needs one or more dates, e.g. holidays 2025-12-25 2025-12-26`);
  for (const date of dates) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const valid = match !== null && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
    if (!valid) throw new BandSyntaxError(`holiday '${date}' is not a date; write YYYY-MM-DD, e.g. 2025-12-25`);
    holidays.add(date);
  }
}

function readWindow(clause: string): BandWindow {
  const words = clause.split(/\s+/);
  const timeWords = words.filter((word) => /\d/.test(word));
  const nameWords = words.filter((word) => !/\d/.test(word));
  if (timeWords.length === 0) throw new BandSyntaxError(`'${clause}' has no times; give HH:MM-HH:MM after the days, e.g. Mon-Fri 16:00-19:00`);
  if (nameWords.length === 0) throw new BandSyntaxError(`'${clause}' has no days; start it with days, e.g. Mon-Fri or Mon-Sun`);
  if (nameWords.length > 2) throw new BandSyntaxError(`'${clause}' has more than months and days before its times; ${SYNTAX_HINT}`);
  const days = readNames(nameWords[nameWords.length - 1], DAY_NAMES, 'day', clause);
  const months = nameWords.length === 2 ? readNames(nameWords[0], MONTH_NAMES, 'month', clause) : ALL_MONTHS;
  const times = timeWords
    .join('')
    .split(',')
    .filter((part) => part !== '')
    .map((part) => readTimes(part, clause));
  return { months, days, times };
}

/** A list of names and ranges as a bit set; ranges may wrap round (Nov-Feb, Sat-Mon). */
function readNames(word: string, names: readonly string[], what: 'day' | 'month', clause: string): number {
  let bits = 0;
  const cycle = what === 'day' ? 7 : 12;
  for (const part of word.split(',')) {
    const ends = part.split('-').map((name) => indexOfName(name, names, what, clause));
    if (ends.length > 2) throw new BandSyntaxError(`'${part}' in '${clause}' is not a ${what} or a range of ${what}s such as ${names[0]}-${names[2]}`);
    const [from, to] = [ends[0], ends[ends.length - 1]];
    if ((from === HOLIDAY || to === HOLIDAY) && from !== to && what === 'day') {
      throw new BandSyntaxError(`'${part}' in '${clause}': Hol is not in a range of days; list it on its own, e.g. Sat-Sun,Hol`);
    }
    for (let i = from; ; i = (i + 1) % cycle) {
      bits |= 1 << i;
      if (i === to) break;
    }
  }
  return bits;
}

function indexOfName(name: string, names: readonly string[], what: string, clause: string): number {
  const index = names.findIndex((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (index < 0) throw new BandSyntaxError(`'${name}' in '${clause}' is not a ${what}; use ${names.join(', ')}`);
  return index;
}

function readTimes(part: string, clause: string): { start: number; end: number } {
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part);
  if (!match) throw new BandSyntaxError(`'${part}' in '${clause}' is not a time range; write HH:MM-HH:MM, e.g. 16:00-19:00`);
  const start = toMinutes(match[1], match[2], part, clause);
  const end = toMinutes(match[3], match[4], part, clause);
  if (end <= start) {
    throw new BandSyntaxError(
      `'${part}' in '${clause}' ends before it starts; a window lies within one local day, so split a range over midnight in two, e.g. 23:00-24:00,00:00-07:00`,
    );
  }
  return { start, end };
}

function toMinutes(hours: string, minutes: string, part: string, clause: string): number {
  const value = Number(hours) * 60 + Number(minutes);
  if (Number(minutes) > 59 || value > 24 * 60) throw new BandSyntaxError(`'${part}' in '${clause}' has a time after 24:00 or minutes over 59`);
  return value;
}

/** Whether a half-hour starting at an instant is in the band, read in a time zone. */
export type BandMatcher = (halfHourStartMs: number) => boolean;

/**
 * The band read in a zone. The zone's offset is looked up once per UTC day (twice where it
 * changes that day), so a year of half-hours costs about 800 Intl look-ups, not 17,520.
 */
export function bandMatcher(band: Band, timeZone: string): BandMatcher {
  const offsetOf = offsetCache(timeZone);
  return (ms) => {
    const wall = ms + offsetOf(ms) * MINUTE_MS;
    const date = new Date(wall);
    const month = 1 << date.getUTCMonth();
    const isHoliday = band.holidays.size > 0 && band.holidays.has(date.toISOString().slice(0, 10));
    const day = 1 << (isHoliday ? HOLIDAY : (date.getUTCDay() + 6) % 7);
    const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
    for (const window of band.windows) {
      if ((window.months & month) === 0 || (window.days & day) === 0) continue;
      for (const times of window.times) if (minute >= times.start && minute < times.end) return true;
    }
    return false;
  };
}

/** The zone's offset at an instant, remembered per UTC day when it is the same at both ends. */
function offsetCache(timeZone: string): (ms: number) => number {
  let dayStart = NaN;
  let steady: number | undefined;
  return (ms) => {
    const day = Math.floor(ms / DAY_MS) * DAY_MS;
    if (day !== dayStart) {
      dayStart = day;
      const first = offsetMinutesAt(timeZone, day);
      steady = first === offsetMinutesAt(timeZone, day + DAY_MS - 1000) ? first : undefined;
    }
    return steady ?? offsetMinutesAt(timeZone, ms);
  };
}
