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
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength === size && this.spares.length < MAX_SPARES) {
      this.spares.push(Buffer.from(chunk.buffer, 0, size));
    }
  }
}

const MAX_SPARES = 4;

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
/** Digits of an integer below 1e15, least significant first. */
const DIGITS = new Uint8Array(16);
/** Ones and tens digit of 0..99, so digits come out two per division. */
const ONES = Uint8Array.from({ length: 100 }, (_, i) => i % 10);
const TENS = Uint8Array.from({ length: 100 }, (_, i) => Math.floor(i / 10));
/** The decimals that worked last time: a source's values mostly share them, so try them first. */
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
  if (readsBackAs(value, lastDecimals)) return writeScaled(buf, p, Math.round(value * POW10[lastDecimals]), lastDecimals);
  for (let k = 0; k < POW10.length; k++) {
    if (readsBackAs(value, k)) {
      lastDecimals = k;
      return writeScaled(buf, p, Math.round(value * POW10[k]), k);
    }
  }
  return p + buf.write(String(value), p, 'latin1');
}

/**
 * Whether the decimal round(value * 10^k) / 10^k is value itself. value * 10^k may miss the
 * integer by an ulp (33554602.98 * 100); the division is correctly rounded, so it is the test.
 */
function readsBackAs(value: number, k: number): boolean {
  const scale = POW10[k];
  const scaled = Math.round(value * scale);
  return scaled / scale === value && scaled < 1e15 && scaled > -1e15;
}

/** Writes the integer `scaled` with a decimal point `k` digits from the right, trailing zeros dropped. */
function writeScaled(buf: Buffer, p: number, scaled: number, k: number): number {
  let rest = scaled;
  if (rest < 0) {
    buf[p++] = 45; // '-'
    rest = -rest;
  }
  let count = integerDigits(rest);
  while (count <= k) DIGITS[count++] = 0; // a leading "0." and any zeros after the point
  let lowest = 0;
  while (lowest < k && DIGITS[lowest] === 0) lowest++;
  for (let i = count - 1; i >= k; i--) buf[p++] = 48 + DIGITS[i];
  if (lowest < k) {
    buf[p++] = 46; // '.'
    for (let i = k - 1; i >= lowest; i--) buf[p++] = 48 + DIGITS[i];
  }
  return p;
}

/**
 * Fills DIGITS with the decimal digits of a positive integer below 1e15 (least significant
 * first, no leading zeros) and returns how many. Works on 32-bit parts, two digits at a time.
 */
function integerDigits(value: number): number {
  let n = 0;
  let small = value;
  if (value >= 1e8) {
    const high = Math.floor(value / 1e8);
    let low = value - high * 1e8;
    for (let i = 0; i < 4; i++) {
      const q = (low / 100) | 0;
      const pair = low - q * 100;
      DIGITS[n++] = ONES[pair];
      DIGITS[n++] = TENS[pair];
      low = q;
    }
    small = high;
  }
  small |= 0;
  while (small >= 100) {
    const q = (small / 100) | 0;
    const pair = small - q * 100;
    DIGITS[n++] = ONES[pair];
    DIGITS[n++] = TENS[pair];
    small = q;
  }
  DIGITS[n++] = ONES[small];
  if (small >= 10) DIGITS[n++] = TENS[small];
  return n;
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
