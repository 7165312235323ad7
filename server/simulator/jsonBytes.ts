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
const HALF_HOUR_SUFFIXES: readonly Uint8Array[] = Array.from({ length: 48 }, (_, i) =>
  ascii(`${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00Z`),
);

export class JsonBytes {
  readonly buffer: Buffer;
  pos = 0;
  private dayStart = Number.NaN;
  private dayPrefix = new Uint8Array(0);

  constructor(readonly capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Bytes still free. */
  get free(): number {
    return this.capacity - this.pos;
  }

  bytes(source: Uint8Array): void {
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < source.length; i++) buffer[pos++] = source[i];
    this.pos = pos;
  }

  /** A non-negative integer below 2^53. */
  unsigned(n: number): void {
    const buffer = this.buffer;
    if (n < 10) {
      buffer[this.pos++] = 48 + n;
      return;
    }
    let length = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) length++;
    let pos = this.pos + length;
    this.pos = pos;
    let x = n;
    while (x >= 10) {
      const q = Math.floor(x / 10);
      buffer[--pos] = 48 + (x - q * 10);
      x = q;
    }
    buffer[--pos] = 48 + x;
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

  /** A half-hour-aligned instant as `yyyy-MM-ddTHH:mm:ssZ` (without quotes). */
  timestamp(ms: number): void {
    let offset = ms - this.dayStart;
    if (!(offset >= 0 && offset < DAY_MS)) {
      this.dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
      this.dayPrefix = ascii(formatTimestamp(this.dayStart).slice(0, 11));
      offset = ms - this.dayStart;
    }
    this.bytes(this.dayPrefix);
    this.bytes(HALF_HOUR_SUFFIXES[offset / HALF_HOUR_MS]);
  }

  /** The bytes written so far (a view: the buffer must not be reused after it is handed on). */
  view(): Buffer {
    return this.buffer.subarray(0, this.pos);
  }
}
