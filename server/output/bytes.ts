/**
 * Output rows written as bytes straight into ~64 KB buffers. A million-row pull is formatted
 * without building a million strings: timestamps, numbers and punctuation go into the buffer
 * byte by byte, and each full buffer is handed to the socket as it is (no string flattening,
 * no encoding step). Functions take the buffer and a position and return the next position,
 * so hot loops keep both in local variables.
 */

/** A buffer is sent once it holds this much. */
export const CHUNK_BYTES = 64 * 1024;
/** Room past CHUNK_BYTES for the row that crosses it (rows are well under 300 bytes). */
const SLACK_BYTES = 2048;

/**
 * The buffer being filled. `take()` hands the filled part over and continues in a spare
 * buffer; `recycle()` returns a buffer once the socket is done with it, so a long pull cycles
 * through a few buffers instead of allocating one per chunk.
 */
export class ChunkBuilder {
  buf: Buffer = newChunkBuffer();
  pos = 0;
  private readonly spares: Buffer[] = [];

  /** @param maxSpares buffers kept for reuse: enough for every chunk the socket may hold at once. */
  constructor(private readonly maxSpares = 4) {}

  /** Appends text (UTF-8), growing the buffer if one piece is unusually long. */
  text(text: string): void {
    const needed = this.pos + Buffer.byteLength(text);
    if (needed > this.buf.length) {
      const bigger = Buffer.allocUnsafe(needed + SLACK_BYTES);
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  get full(): boolean {
    return this.pos >= CHUNK_BYTES;
  }

  /** The bytes written so far (a view into `buf`, which must not be reused until recycled). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = this.spares.pop() ?? newChunkBuffer();
    this.pos = 0;
    return out;
  }

  /** Gives back a chunk from `take()` once it has been written out. */
  recycle(chunk: Buffer): void {
    const size = CHUNK_BYTES + SLACK_BYTES;
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength === size && this.spares.length < this.maxSpares) {
      this.spares.push(Buffer.from(chunk.buffer, 0, size));
    }
  }
}

function newChunkBuffer(): Buffer {
  // Not from Node's shared pool: each chunk buffer owns its memory, so it can be recycled.
  return Buffer.from(new ArrayBuffer(CHUNK_BYTES + SLACK_BYTES));
}

/** ASCII text as bytes, for pieces written on every row. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function writeBytes(buf: Buffer, p: number, bytes: Uint8Array): number {
  // A byte loop beats a native copy for a few bytes; longer pieces (ndjson's per-row prefix) go faster with set().
  if (bytes.length > 16) buf.set(bytes, p);
  else for (let i = 0; i < bytes.length; i++) buf[p + i] = bytes[i];
  return p + bytes.length;
}

/** A non-negative integer (reading status bits). */
export function writeUint(buf: Buffer, p: number, n: number): number {
  if (n < 10 && n >= 0) {
    buf[p] = 48 + n;
    return p + 1;
  }
  return p + buf.write(String(n), p, 'latin1');
}

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6];
/**
 * The decimals that worked last time: a source's values mostly share them, so try them first. A
 * value needing fewer decimals reads back at more too, so this does not fall for 12.5 after
 * 12.75 (a run such as 12.5, 12.75, 13 settles on 2 instead of searching after every shorter
 * one); it falls only for a value too large to scale by 10^lastDecimals.
 */
let lastDecimals = 0;

/**
 * A number exactly as JavaScript prints it (`String(value)`): `NaN`, `Infinity` and `-Infinity`
 * included. Values with up to six decimals and fifteen significant digits (every metered value
 * in practice) take a fast path: if the decimal m / 10^k (|m| < 1e15) reads back as v, then
 * String(v) is that decimal (trailing zeros dropped), since two different decimals of at most 15
 * significant digits never round to the same double. Any such k gives the same text.
 */
export function writeNumber(buf: Buffer, p: number, value: number): number {
  if (value === 0) {
    buf[p] = 48; // String(-0) is "0" too
    return p + 1;
  }
  let k = lastDecimals;
  let scaled = Math.round(value * POW10[k]);
  if (!readsBack(value, scaled, k)) {
    k = decimalsFor(value);
    if (k < 0) return p + buf.write(String(value), p, 'latin1');
    scaled = Math.round(value * POW10[k]);
  }
  return writeScaled(buf, p, scaled, k);
}

/**
 * Whether the decimal scaled / 10^k is value itself. value * 10^k may miss the integer by an ulp
 * (33554602.98 * 100); the division is correctly rounded, so it is the test.
 */
function readsBack(value: number, scaled: number, k: number): boolean {
  return scaled / POW10[k] === value && scaled < 1e15 && scaled > -1e15;
}

/** Decimals (0..6) at which `value` reads back, remembered for the next value; -1 when none. */
function decimalsFor(value: number): number {
  // More decimals than last time first: fewer would have read back at lastDecimals already,
  // unless the value was too large to scale that far (the second loop).
  for (let k = lastDecimals + 1; k < POW10.length; k++) {
    if (readsBack(value, Math.round(value * POW10[k]), k)) return (lastDecimals = k);
  }
  for (let k = 0; k < lastDecimals; k++) {
    if (readsBack(value, Math.round(value * POW10[k]), k)) return (lastDecimals = k);
  }
  return -1;
}

/**
 * Writes the integer `scaled` (|scaled| < 1e15) with a decimal point `k` digits from the right,
 * trailing zeros of the fraction dropped, straight into place from the last digit back.
 */
function writeScaled(buf: Buffer, p: number, scaled: number, k: number): number {
  let rest = scaled;
  if (rest < 0) {
    buf[p++] = 45; // '-'
    rest = -rest;
  }
  // Integer arithmetic on 32-bit parts: the low eight digits and the rest (below 1e7). k <= 6,
  // so the fraction and the point always fall among the low digits.
  let high = 0;
  let low = rest;
  if (rest >= 1e8) {
    high = Math.floor(rest / 1e8);
    low = rest - high * 1e8;
  }
  let part = low | 0;
  let lowDigits = 8;
  while (k > 0 && part % 10 === 0) {
    // A trailing zero of the fraction: String() drops it.
    part = (part / 10) | 0;
    k--;
    lowDigits--;
  }
  let digits: number;
  if (high > 0) {
    digits = lowDigits + digitCount(high);
  } else {
    // At least one digit before the point ("0.05").
    const length = digitCount(part);
    digits = length > k ? length : k + 1;
    lowDigits = digits;
  }
  const end = p + digits + (k > 0 ? 1 : 0);
  let q = end;
  let written = 0;
  for (; written < lowDigits; written++) {
    if (written === k && k > 0) buf[--q] = 46; // '.'
    const next = (part / 10) | 0;
    buf[--q] = 48 + part - next * 10;
    part = next;
  }
  part = high;
  for (; written < digits; written++) {
    const next = (part / 10) | 0;
    buf[--q] = 48 + part - next * 10;
    part = next;
  }
  return end;
}

/** Decimal digits of a positive integer below 1e8. */
function digitCount(n: number): number {
  if (n < 1e4) return n < 100 ? (n < 10 ? 1 : 2) : n < 1000 ? 3 : 4;
  return n < 1e6 ? (n < 1e5 ? 5 : 6) : n < 1e7 ? 7 : 8;
}

const QUOTE = 34;

/** A number for JSON: bare when finite, else DCS's strings `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export function writeJsonNumber(buf: Buffer, p: number, value: number): number {
  if (Number.isFinite(value)) return writeNumber(buf, p, value);
  buf[p++] = QUOTE;
  p += buf.write(String(value), p, 'latin1');
  buf[p] = QUOTE;
  return p + 1;
}
