/**
 * Writes JSON text straight into a byte buffer. The readings stream serialises millions of
 * readings a second; building them as JS strings spends most of that time in the garbage
 * collector, while bytes written into a fresh 64 KB buffer cost nothing to collect.
 */

import { DAY_MS, formatTimestamp, HALF_HOUR_MS } from './time';

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

const NAN = ascii('"NaN"');
const INFINITY = ascii('"Infinity"');
const MINUS_INFINITY = ascii('"-Infinity"');
const POWERS_OF_TEN = Array.from({ length: 17 }, (_, i) => 10 ** i);
const DIGIT_PAIRS = ascii(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));

export class JsonBytes {
  readonly buffer: Buffer;
  pos = 0;

  constructor(readonly capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Bytes still free. */
  get free(): number {
    return this.capacity - this.pos;
  }

  bytes(source: Uint8Array): void {
    const length = source.length;
    if (length > 12) {
      // A native copy beats a byte loop from about a dozen bytes on.
      this.buffer.set(source, this.pos);
      this.pos += length;
      return;
    }
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < length; i++) buffer[pos++] = source[i];
    this.pos = pos;
  }

  /** A non-negative integer below 10^16, two digits per division. */
  unsigned(n: number): void {
    const buffer = this.buffer;
    let length = 1;
    while (length < 16 && n >= POWERS_OF_TEN[length]) length++;
    let pos = this.pos + length;
    this.pos = pos;
    while (n >= 100) {
      const q = Math.floor(n / 100);
      const pair = (n - q * 100) * 2;
      buffer[--pos] = DIGIT_PAIRS[pair + 1];
      buffer[--pos] = DIGIT_PAIRS[pair];
      n = q;
    }
    if (n >= 10) {
      buffer[pos - 1] = DIGIT_PAIRS[n * 2 + 1];
      buffer[pos - 2] = DIGIT_PAIRS[n * 2];
    } else {
      buffer[pos - 1] = 48 + n;
    }
  }

  /** Bytes of `source` from `offset` on. */
  bytesFrom(source: Uint8Array, offset: number): void {
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = offset; i < source.length; i++) buffer[pos++] = source[i];
    this.pos = pos;
  }

  /**
   * A value held as an integer scaled by 10^decimals, as a JSON number with trailing zeros
   * trimmed; NaN and infinities as DCS's strings.
   */
  scaled(value: number, decimals: number, factor: number): void {
    if (value !== value) return this.bytes(NAN);
    if (value === Infinity) return this.bytes(INFINITY);
    if (value === -Infinity) return this.bytes(MINUS_INFINITY);
    if (value < 0) {
      this.buffer[this.pos++] = 45; // '-'
      value = -value;
    }
    const whole = Math.floor(value / factor);
    let fraction = value - whole * factor;
    this.unsigned(whole);
    if (fraction === 0) return;
    let digits = decimals;
    while (fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    const buffer = this.buffer;
    buffer[this.pos++] = 46; // '.'
    let pos = this.pos + digits;
    this.pos = pos;
    for (let i = 0; i < digits; i++) {
      const q = Math.floor(fraction / 10);
      buffer[--pos] = 48 + (fraction - q * 10);
      fraction = q;
    }
  }

  /** The bytes written so far (a view: the buffer must not be reused after it is handed on). */
  view(): Buffer {
    return this.buffer.subarray(0, this.pos);
  }
}

/**
 * The opening of each reading, `,{"timestamp":"2021-09-20T18:30:00Z","value":`, written as two
 * precomputed pieces: the date part (rebuilt when the day changes) and the time-and-key part
 * (fixed per half-hour slot).
 */
export class ReadingOpenings {
  private dayStart = Number.NaN;
  private dayPart: Uint8Array = new Uint8Array(0);
  private readonly slotParts: readonly Uint8Array[];

  /** `valueKey`: `value` or `totalValue`. */
  constructor(valueKey: string) {
    this.slotParts = Array.from({ length: 48 }, (_, i) => ascii(`${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00Z","${valueKey}":`));
  }

  /** Writes the opening for a half-hour-aligned instant; the first reading has no leading comma. */
  write(out: JsonBytes, ms: number, first: boolean): void {
    let offset = ms - this.dayStart;
    if (!(offset >= 0 && offset < DAY_MS)) {
      this.dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
      this.dayPart = ascii(`,{"timestamp":"${formatTimestamp(this.dayStart).slice(0, 11)}`);
      offset = ms - this.dayStart;
    }
    if (first) out.bytesFrom(this.dayPart, 1);
    else out.bytes(this.dayPart);
    out.bytes(this.slotParts[offset / HALF_HOUR_MS]);
  }
}

const STATUS_ENDINGS: readonly Uint8Array[] = Array.from({ length: 4 }, (_, status) => ascii(`,"status":${status}}`));

/** `,"status":N}` for the status bits DCS uses (0-3). */
export function statusEnding(status: number): Uint8Array {
  return STATUS_ENDINGS[status] ?? ascii(`,"status":${status}}`);
}
