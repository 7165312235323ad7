/**
 * Incremental parser for the body of a DCS readings answer:
 *   {"startTime": ..., "name": ..., ..., "readings": [ {...}, {...}, ... ] }
 *
 * Why not JSON.parse the whole body: a year of half-hours for many registers is tens of MB, and
 * parsing it whole holds the text and every object at once. Why not a token-by-token streaming
 * JSON parser: in JavaScript those run an order of magnitude slower than JSON.parse.
 *
 * So the bytes are scanned just enough to know where things are: the header object's keys up to
 * `"readings"` (parsed with JSON.parse as soon as the array begins), then the array, which is cut
 * between elements into batches as the chunks arrive (see scanArray: a cheap guess proved by the
 * decoder, else a scan that tracks strings, escapes and nesting so that a comma or bracket inside
 * a string or a nested value is never mistaken for one). Memory stays at about one network chunk
 * whatever the size of the answer.
 *
 * Batches in exactly DCS's compact form are decoded straight from the bytes (readings-fast.ts);
 * anything else goes through JSON.parse and the liberal decoder (readings-decode.ts).
 *
 * When the answer does not have that shape (the readings come before the header fields, the top
 * level is not an object, `readings` is not an array) the parser falls back to collecting the whole
 * body and parsing it at the end: slower and not flat in memory, but correct.
 */
import { isAscii } from 'node:buffer';
import { DcsProtocolError } from './errors';
import { decodeBatch } from './readings-decode';
import { decodeCompleteRun, decodeStandardRun } from './readings-fast';
import { markRetryable } from './retryable';
import type { AnyReading, ReadingsFormat } from './types';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Header keys that must precede `readings` for the answer to be streamed. */
const HEADER_KEYS_NEEDED_FIRST = ['startTime', 'endTime', 'name'];

/** `},{`: in compact JSON, the boundary between two readings. */
const ELEMENT_BOUNDARY = Buffer.from('},{');

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

type Phase =
  | 'start' // before the opening brace
  | 'header' // inside the top-level object, before "readings"
  | 'afterKey' // just read the "readings" key, expecting a colon
  | 'beforeArray' // read the colon, expecting the array
  | 'array' // inside the readings array
  | 'tail' // after the readings array
  | 'whole'; // fallback: collecting the entire body

type RunDecoder = (buf: Buffer, start: number, end: number) => AnyReading[] | undefined;

export class ReadingsBodyParser {
  private readonly decodeRun: RunDecoder;

  private phase: Phase = 'start';
  /** Bytes not yet consumed: the header so far, or the unfinished end of the readings array. */
  private pending: Buffer = Buffer.alloc(0);
  /** Where scanning resumes within `pending`. */
  private scanPos = 0;
  // Lexical state carried across chunks.
  private inString = false;
  private escaped = false;
  private depth = 0;
  // Header phase bookkeeping.
  private expectingKey = false;
  private keyStart = -1;
  private readingsKeyStart = -1;
  private tailParts: Buffer[] = [];
  private wholeParts: Buffer[] = [];
  private headerValue: Record<string, unknown> | undefined;
  private finished = false;
  /** Bytes seen so far: only used to say where a malformed answer went wrong. */
  private totalBytes = 0;

  constructor(private readonly format: ReadingsFormat = 'standard') {
    this.decodeRun = format === 'complete' ? decodeCompleteRun : decodeStandardRun;
  }

  /** The header, once the readings array has begun (or the whole body was parsed). */
  get header(): Record<string, unknown> | undefined {
    return this.headerValue;
  }

  /** True when the body is being collected whole because it was not in the streamable shape. */
  get isBuffering(): boolean {
    return this.phase === 'whole';
  }

  /**
   * Feeds the next piece of the (decompressed) body. Returns the readings completed by it, in
   * batches, in order. The chunk may be modified and must not be reused.
   */
  push(chunk: Buffer): AnyReading[][] {
    if (this.finished) throw new Error('ReadingsBodyParser: push after finish');
    this.totalBytes += chunk.length;
    const batches: AnyReading[][] = [];
    if (this.phase === 'whole') {
      this.wholeParts.push(chunk);
      return batches;
    }
    if (this.phase === 'tail') {
      this.tailParts.push(chunk);
      return batches;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.phase !== 'array') this.scanHeader();
    if (this.phase === 'array') this.scanArray(batches);
    return batches;
  }

  /**
   * Called when the body has ended. Returns any readings still held (all of them in fallback mode).
   * Throws DcsProtocolError when the body was not a complete readings object.
   */
  finish(): AnyReading[][] {
    if (this.finished) return [];
    this.finished = true;
    switch (this.phase) {
      case 'whole':
        return this.finishWhole();
      case 'tail':
        this.checkTail();
        return [];
      case 'start':
        throw new DcsProtocolError(
          this.totalBytes === 0
            ? 'DCS sent an empty answer where readings were expected; try again, and check the DCS URL if it persists.'
            : 'DCS sent an answer that is not a JSON object where readings were expected; check the DCS URL.',
        );
      case 'array': {
        // The fast path leaves the end of the array for here: scan what is left for the `]`.
        const batches: AnyReading[][] = [];
        this.scanArray(batches, true);
        if ((this.phase as Phase) !== 'tail') throw this.truncated();
        this.checkTail();
        return batches;
      }
      default:
        throw this.truncated();
    }
  }

  private truncated(): DcsProtocolError {
    return markRetryable(
      new DcsProtocolError(
        `DCS's readings answer ended early (after ${this.totalBytes} bytes, ${
          this.phase === 'array' ? 'in the middle of the readings' : 'before the readings'
        }): the answer is incomplete; try again.`,
      ),
    );
  }

  /** Walks the top-level object's keys until the `readings` array begins. */
  private scanHeader(): void {
    const buf = this.pending;
    const n = buf.length;
    let i = this.scanPos;
    while (i < n && this.phase !== 'array' && this.phase !== 'whole') {
      const c = buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyStart >= 0) {
            this.onKey(buf, this.keyStart, i + 1);
            this.keyStart = -1;
          }
        }
        i++;
        continue;
      }
      switch (this.phase) {
        case 'start':
          if (c === OPEN_BRACE) {
            this.phase = 'header';
            this.depth = 1;
            this.expectingKey = true;
          } else if (!isWhitespace(c) && c !== 0xef && c !== 0xbb && c !== 0xbf) {
            // Not an object (or a byte-order mark): let the whole-body path judge it.
            this.switchToWhole(buf);
            return;
          }
          break;
        case 'header':
          if (c === QUOTE) {
            this.inString = true;
            if (this.depth === 1 && this.expectingKey) {
              this.keyStart = i;
              this.expectingKey = false;
            }
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
          else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            this.depth--;
            if (this.depth === 0) {
              // The object closed without a readings array: the whole-body path reports it.
              this.switchToWhole(buf);
              return;
            }
          } else if (c === COMMA && this.depth === 1) this.expectingKey = true;
          break;
        case 'afterKey':
          if (c === COLON) this.phase = 'beforeArray';
          else if (!isWhitespace(c)) {
            this.switchToWhole(buf);
            return;
          }
          break;
        case 'beforeArray':
          if (c === OPEN_BRACKET) {
            if (!this.beginArray(buf, i)) {
              this.switchToWhole(buf);
              return;
            }
            return;
          } else if (!isWhitespace(c)) {
            this.switchToWhole(buf);
            return;
          }
          break;
      }
      i++;
    }
    this.scanPos = i;
  }

  private onKey(buf: Buffer, start: number, end: number): void {
    let key: unknown;
    try {
      key = JSON.parse(buf.toString('utf8', start, end));
    } catch {
      return; // A malformed key: the whole-body path, if reached, reports it.
    }
    if (key === 'readings') {
      this.readingsKeyStart = start;
      this.phase = 'afterKey';
    }
  }

  /** The array opened at `bracketPos`: parse the header that preceded it and start cutting batches. */
  private beginArray(buf: Buffer, bracketPos: number): boolean {
    // The header is everything between `{` and the "readings" key, minus the comma before it.
    let headerText = buf.toString('utf8', 0, this.readingsKeyStart).trimEnd();
    if (headerText.endsWith(',')) headerText = headerText.slice(0, -1);
    let header: unknown;
    try {
      header = JSON.parse(`${headerText}}`);
    } catch {
      return false;
    }
    if (!header || typeof header !== 'object' || Array.isArray(header)) return false;
    const fields = header as Record<string, unknown>;
    if (HEADER_KEYS_NEEDED_FIRST.some((key) => !(key in fields))) return false;
    this.headerValue = fields;
    this.phase = 'array';
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.pending = buf.subarray(bracketPos);
    this.scanPos = 1;
    return true;
  }

  /**
   * Cuts the readings array into batches. Each batch starts at `pending[0]` (the array's `[`, or the
   * comma before the batch's first element) and ends at a comma between elements; that comma is
   * overwritten with `]` so the batch is a JSON array without copying.
   *
   * Fast path: DCS writes compact JSON, so the last `},{` in the buffer is almost always the boundary
   * between two readings. Decoding proves it: the text before that comma decodes (strictly, as
   * DCS's own form, or by JSON.parse as an array) only if the comma is outside every string and at
   * the array's own depth (a cut inside a string leaves the string unterminated; a cut inside a
   * nested value leaves a bracket unclosed). When there is no such candidate or the proof fails,
   * the bytes are scanned one by one (tracking strings, escapes and depth), which also finds the
   * end of the array.
   */
  private scanArray(batches: AnyReading[][], atEnd = false): void {
    if (!atEnd && this.tryFastCut(batches)) return;
    this.scanSlowly(batches);
  }

  private tryFastCut(batches: AnyReading[][]): boolean {
    const buf = this.pending;
    const candidate = buf.lastIndexOf(ELEMENT_BOUNDARY);
    if (candidate < 0) return false;
    const comma = candidate + 1;
    const items = this.parseBatch(buf, comma, false);
    if (items === undefined) return false;
    if (items.length > 0) batches.push(items);
    this.pending = buf.subarray(comma);
    this.scanPos = 1;
    this.inString = false;
    this.escaped = false;
    this.depth = 0;
    return true;
  }

  private scanSlowly(batches: AnyReading[][]): void {
    const buf = this.pending;
    const n = buf.length;
    let i = this.scanPos;
    let inString = this.inString;
    let escaped = this.escaped;
    let depth = this.depth;
    let lastComma = -1;
    let closeAt = -1;
    while (i < n) {
      const c = buf[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === QUOTE) inString = false;
        else if (c === BACKSLASH) escaped = true;
      } else if (c === QUOTE) inString = true;
      else if (c === COMMA) {
        if (depth === 0) lastComma = i;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) {
          closeAt = i;
          break;
        }
        depth--;
      }
      i++;
    }
    this.inString = inString;
    this.escaped = escaped;
    this.depth = depth;

    if (closeAt >= 0) {
      if (buf[closeAt] !== CLOSE_BRACKET) {
        throw new DcsProtocolError('DCS\'s readings answer is not valid JSON (a "}" closes the readings array); check the DCS URL and any proxy in between.');
      }
      const items = this.parseBatch(buf, closeAt, true) as AnyReading[];
      if (items.length > 0) batches.push(items);
      const rest = buf.subarray(closeAt + 1);
      this.phase = 'tail';
      this.pending = Buffer.alloc(0);
      if (rest.length > 0) this.tailParts.push(rest);
      return;
    }
    if (lastComma > 0) {
      const items = this.parseBatch(buf, lastComma, true) as AnyReading[];
      if (items.length > 0) batches.push(items);
      // Keep the comma: it becomes the `[` of the next batch.
      this.pending = buf.subarray(lastComma);
      this.scanPos = n - lastComma;
    } else {
      this.scanPos = n;
    }
  }

  /**
   * Decodes the readings in `pending[1..end)` (end = the index of the closing comma or bracket).
   * A failure is a protocol error when the cut is known to be right (`mustParse`); otherwise it
   * means the guessed cut was wrong, and undefined is returned.
   */
  private parseBatch(buf: Buffer, end: number, mustParse: boolean): AnyReading[] | undefined {
    const fast = this.decodeRun(buf, 1, end);
    if (fast) return fast;
    const savedEnd = buf[end];
    buf[0] = OPEN_BRACKET;
    buf[end] = CLOSE_BRACKET;
    const slice = buf.subarray(0, end + 1);
    // latin1 decoding is several times faster than utf8 and identical for ASCII, which readings are.
    const text = isAscii(slice) ? slice.toString('latin1') : slice.toString('utf8');
    buf[end] = savedEnd;
    let items: unknown[];
    try {
      items = JSON.parse(text) as unknown[];
    } catch (error) {
      if (!mustParse) return undefined;
      throw new DcsProtocolError(
        `DCS's readings answer is not valid JSON (${(error as Error).message}); this is not an answer DCS sends: check the DCS URL and any proxy in between.`,
        { cause: error },
      );
    }
    return decodeBatch(items, this.format);
  }

  /** Everything after the readings array must close the object: `}` or `, "more": ... }`. */
  private checkTail(): void {
    const tail = Buffer.concat(this.tailParts).toString('utf8');
    let extra: Record<string, unknown>;
    try {
      extra = JSON.parse(`{"_":0${tail}`) as Record<string, unknown>;
    } catch {
      if (/^\s*(,|$)/.test(tail) && !/}\s*$/.test(tail)) throw this.truncatedTail();
      throw new DcsProtocolError("DCS's readings answer has unexpected text after the readings; check the DCS URL and any proxy in between.");
    }
    delete extra._;
    // Fields after the readings never replace those already announced in the header.
    if (this.headerValue) {
      for (const [key, value] of Object.entries(extra)) if (!(key in this.headerValue)) this.headerValue[key] = value;
    }
  }

  private truncatedTail(): DcsProtocolError {
    return markRetryable(
      new DcsProtocolError(
        `DCS's readings answer ended early (after ${this.totalBytes} bytes, after the readings but before the end of the object): the answer is incomplete; try again.`,
      ),
    );
  }

  private switchToWhole(buf: Buffer): void {
    this.phase = 'whole';
    this.wholeParts = [buf];
    this.pending = Buffer.alloc(0);
  }

  private finishWhole(): AnyReading[][] {
    const text = Buffer.concat(this.wholeParts).toString('utf8');
    this.wholeParts = [];
    let body: unknown;
    try {
      body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (error) {
      const looksCut = /^\s*[{[]/.test(text) && !/[}\]]\s*$/.test(text);
      if (looksCut) {
        throw markRetryable(
          new DcsProtocolError(`DCS's readings answer ended early (after ${this.totalBytes} bytes): the answer is incomplete; try again.`, {
            cause: error,
          }),
        );
      }
      throw new DcsProtocolError(`DCS's readings answer is not valid JSON (${(error as Error).message}); check the DCS URL and any proxy in between.`, {
        cause: error,
      });
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new DcsProtocolError('DCS sent an answer that is not a JSON object where readings were expected; check the DCS URL.');
    }
    const fields = { ...(body as Record<string, unknown>) };
    const readings = fields.readings;
    delete fields.readings;
    if (!Array.isArray(readings)) {
      throw new DcsProtocolError('DCS\'s readings answer has no "readings" array; check the DCS URL and the source id.');
    }
    this.headerValue = fields;
    return readings.length > 0 ? [decodeBatch(readings, this.format)] : [];
  }
}
