/**
 * Excel dates. Excel stores a date-time as a serial number of days since its epoch
 * (1899-12-30, so that 1900-01-01 = 1 with Lotus's leap-year bug), with the time as the
 * fraction: 2000-01-01 00:00 = 36526, 12:00 = .5. A serial carries no time zone: it is a
 * wall-clock reading, so the add-in converts each instant to the wall clock of the zone the user
 * chose and says which zone in the table's title.
 *
 * A workbook may instead use the 1904 date system (an option in Excel; the default of old Mac
 * workbooks), where the same date's serial is 1,462 smaller. Every conversion here takes the
 * workbook's DateSystem; see date-system.ts for finding it out.
 */

import { checkTimeZone, offsetMsAt } from '../query/time-zones';

const MS_PER_DAY = 86_400_000;
/** Serial of 1970-01-01 00:00, the Unix epoch. */
export const UNIX_EPOCH_SERIAL = 25_569;

/** Which date system a workbook uses: 1900 (Excel's default) or 1904. */
export type DateSystem = 1900 | 1904;

/** Days by which a 1904-system serial is smaller than the 1900-system serial of the same date. */
export const DAYS_1900_TO_1904 = 1_462;

function epochSerial(system: DateSystem): number {
  return system === 1904 ? UNIX_EPOCH_SERIAL - DAYS_1900_TO_1904 : UNIX_EPOCH_SERIAL;
}

/** The serial of a UTC wall-clock instant given in epoch milliseconds. */
export function epochMsToSerial(epochMs: number, system: DateSystem = 1900): number {
  return epochMs / MS_PER_DAY + epochSerial(system);
}

/** Epoch milliseconds of a serial read as a UTC wall clock, rounded to the millisecond. */
export function serialToEpochMs(serial: number, system: DateSystem = 1900): number {
  return Math.round((serial - epochSerial(system)) * MS_PER_DAY);
}

/** A serial shown as `YYYY-MM-DD HH:mm:ss` (the wall clock it stands for). */
export function serialToText(serial: number): string {
  return new Date(serialToEpochMs(serial)).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The serial of the wall clock an ISO-8601 text shows, ignoring its offset: the server writes
 * interval boundaries in the requested zone with that zone's offset (`2023-10-01T00:00:00+01:00`),
 * so the local date and time are the text before the offset.
 */
export function wallClockSerial(iso: string, dateSystem: DateSystem = 1900): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!match) throw new Error(`The server sent a time that is not ISO-8601 ("${iso}"). Check that the add-in and the server are the same version.`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  return epochMsToSerial(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)), dateSystem);
}

/** The serial of a naive local date-time `YYYY-MM-DD[THH:mm[:ss]]` (no zone: a wall clock). */
export function naiveDateTimeToSerial(text: string, system: DateSystem = 1900): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a date-time of the form YYYY-MM-DDTHH:mm:ss.`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  return epochMsToSerial(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)), system);
}

/**
 * Converts instants to the wall clock of one time zone, for Excel cells.
 *
 * Looking up a zone's offset through Intl is slow compared with writing a cell, so offsets are
 * remembered per quarter-hour of UTC: every clock change since 1970 happens on a quarter-hour,
 * so all instants of one quarter-hour share one offset.
 */
export class ZonedSerials {
  readonly zone: string;
  readonly dateSystem: DateSystem;
  readonly #isUtc: boolean;
  readonly #offsets = new Map<number, number>();

  /** @throws Error when the zone is not a time-zone name Intl knows (e.g. Europe/London, UTC). */
  constructor(zone: string, dateSystem: DateSystem = 1900) {
    this.zone = zone;
    this.dateSystem = dateSystem;
    this.#isUtc = zone === 'UTC' || zone === 'Etc/UTC';
    if (!this.#isUtc) checkTimeZone(zone);
  }

  /** The serial of an instant (epoch ms) as the zone's wall clock shows it. */
  serialOf(epochMs: number): number {
    return epochMsToSerial(epochMs + this.offsetMs(epochMs), this.dateSystem);
  }

  /** The serial of an ISO-8601 instant such as `2024-03-31T00:30:00Z`. */
  serialOfIso(iso: string): number {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) throw new Error(`The server sent a timestamp that is not a date ("${iso}").`);
    return this.serialOf(ms);
  }

  /** How far the zone's wall clock is ahead of UTC at this instant, in milliseconds. */
  offsetMs(epochMs: number): number {
    if (this.#isUtc) return 0;
    const quarter = Math.floor(epochMs / 900_000);
    let offset = this.#offsets.get(quarter);
    if (offset === undefined) {
      offset = offsetMsAt(this.zone, quarter * 900_000);
      if (this.#offsets.size > 50_000) this.#offsets.clear();
      this.#offsets.set(quarter, offset);
    }
    return offset;
  }
}
