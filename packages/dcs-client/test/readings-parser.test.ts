import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsProtocolError } from '../src/errors';
import { decodeBatch } from '../src/readings-decode';
import { ReadingsBodyParser } from '../src/readings-parser';
import { isRetryable } from '../src/retryable';

interface Parsed {
  header: Record<string, unknown> | undefined;
  readings: unknown[];
  buffered: boolean;
}

/** Feeds `body` to a fresh parser in the given pieces. */
function parseInPieces(body: string, cuts: number[]): Parsed {
  const bytes = Buffer.from(body);
  const parser = new ReadingsBodyParser();
  const readings: unknown[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Each piece is a copy: the parser may write into the buffers it is given.
    for (const batch of parser.push(Buffer.from(bytes.subarray(from, cut)))) readings.push(...batch);
    from = cut;
  }
  const buffered = parser.isBuffering;
  for (const batch of parser.finish()) readings.push(...batch);
  return { header: parser.header, readings, buffered };
}

/** What the parser must produce: JSON.parse's reading of the body, decoded. */
function expected(body: string): { header: Record<string, unknown>; readings: unknown[] } {
  const { readings, ...header } = JSON.parse(body.replace(/^\uFEFF/, '')) as Record<string, unknown> & { readings: unknown[] };
  return { header, readings: decodeBatch(readings, 'standard') };
}

/** Splitting the body at every byte position (into two, and into three) gives the same answer as JSON.parse. */
function assertSameAtEverySplit(body: string): void {
  const want = expected(body);
  const length = Buffer.byteLength(body);
  for (let cut = 0; cut <= length; cut++) {
    const got = parseInPieces(body, [cut]);
    assert.deepEqual(got.readings, want.readings, `readings differ when split at byte ${cut}`);
    assert.deepEqual(got.header, want.header, `header differs when split at byte ${cut}`);
  }
  for (let cut = 1; cut + 7 <= length; cut += 3) {
    const got = parseInPieces(body, [cut, cut + 7]);
    assert.deepEqual(got.readings, want.readings, `readings differ when split at ${cut} and ${cut + 7}`);
  }
}

const HEADER =
  '"startTime":"2024-01-01T00:00:00Z","endTime":"2024-01-01T02:00:00Z","name":"Main Library: Import","periodType":"halfHour","unit":"kWh","duration":0';
const READINGS = [
  '{"timestamp":"2024-01-01T00:00:00Z","value":1.5,"status":0}',
  '{"timestamp":"2024-01-01T00:30:00Z","value":"NaN","status":1}',
  '{"timestamp":"2024-01-01T01:00:00Z","value":"Infinity","status":0}',
  '{"timestamp":"2024-01-01T01:30:00Z","value":"-Infinity","status":2}',
];

describe('ReadingsBodyParser', () => {
  it('reads compact DCS JSON identically wherever the network splits it', () => {
    assertSameAtEverySplit(`{${HEADER},"readings":[${READINGS.join(',')}]}`);
  });

  it('copes with whitespace and newlines everywhere JSON allows them', () => {
    const body = `\n { ${HEADER.replace(/,/g, ' ,\n  ')} ,\r\n "readings" :\t[\n  ${READINGS.join(' ,\n  ')}\n ] \n}\n`;
    assertSameAtEverySplit(body);
  });

  it('is not fooled by brackets, commas, quotes and the word readings inside strings', () => {
    const body =
      '{"name":"Lab \\"B\\" [east], {\\"readings\\":[1,2]} \\\\","startTime":"2024-01-01T00:00:00Z","endTime":"2024-01-01T01:00:00Z",' +
      '"readings":[{"timestamp":"2024-01-01T00:00:00Z","value":1,"status":0,"note":"},{\\"x\\":\\\\"},' +
      '{"timestamp":"2024-01-01T00:30:00Z","value":2,"status":0,"note":"é ✓ 𝄞 ],["}]}';
    assertSameAtEverySplit(body);
  });

  it('keeps unknown fields, nested values in readings, and fields after the readings', () => {
    const body = `{${HEADER},"extra":{"a":[1,{"b":"]"}]},"readings":[{"timestamp":"2024-01-01T00:00:00Z","value":1,"status":0,"meta":{"q":[1,2,{"z":"}"}]}},{"timestamp":"2024-01-01T00:30:00Z","Value":2,"status":0}],"after":"kept"}`;
    assertSameAtEverySplit(body);
  });

  it('reads an empty readings array', () => {
    assertSameAtEverySplit(`{${HEADER},"readings":[]}`);
    assertSameAtEverySplit(`{${HEADER},"readings":[ ]}`);
  });

  it('streams: hands over readings before the body has ended', () => {
    const parser = new ReadingsBodyParser();
    const first = parser.push(Buffer.from(`{${HEADER},"readings":[${READINGS[0]},${READINGS[1]},{"timesta`));
    assert.equal(parser.header?.name, 'Main Library: Import');
    assert.equal(first.flat().length, 2);
    assert.equal(parser.isBuffering, false);
  });

  it('falls back to reading the whole body when the readings come before the header', () => {
    const body = `{"readings":[${READINGS.join(',')}],${HEADER}}`;
    const got = parseInPieces(body, [10, 50]);
    assert.equal(got.buffered, true);
    assert.deepEqual(got.readings, expected(body).readings);
    assert.deepEqual(got.header, expected(body).header);
    assertSameAtEverySplit(body);
  });

  it('takes a byte-order mark in its stride', () => {
    const body = `\uFEFF{${HEADER},"readings":[${READINGS[0]}]}`;
    const got = parseInPieces(body, [2]);
    assert.equal(got.readings.length, 1);
    assert.equal(got.header?.unit, 'kWh');
  });

  it('reports a body cut anywhere as an incomplete answer, never as fewer readings', () => {
    const body = `{${HEADER},"readings":[${READINGS.join(',')}],"after":1}`;
    for (let end = 0; end < Buffer.byteLength(body); end++) {
      const parser = new ReadingsBodyParser();
      let thrown: unknown;
      try {
        parser.push(Buffer.from(body.slice(0, end)));
        parser.finish();
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof DcsProtocolError, `a body cut at byte ${end} must fail`);
      if (end > 0) assert.ok(isRetryable(thrown), `a body cut at byte ${end} is worth asking again for`);
    }
  });

  it('refuses malformed JSON inside the readings, and text after the object', () => {
    assert.throws(() => parseInPieces(`{${HEADER},"readings":[{"timestamp":"x","value":1,},{"a":1}]}`, []), DcsProtocolError);
    assert.throws(() => parseInPieces(`{${HEADER},"readings":[${READINGS[0]}]}garbage`, []), DcsProtocolError);
    assert.throws(() => parseInPieces(`{${HEADER},"readings":[${READINGS[0]}}}`, []), DcsProtocolError);
  });

  it('refuses answers that are not a readings object', () => {
    assert.throws(() => parseInPieces('[1,2,3]', []), /not a JSON object/);
    assert.throws(() => parseInPieces(`{${HEADER}}`, []), /no "readings" array/);
    assert.throws(() => parseInPieces('', []), /empty answer/);
    assert.throws(() => parseInPieces('<html>Bad gateway</html>', []), DcsProtocolError);
  });

  it('parses a large answer in batches without holding it whole', () => {
    const readings: string[] = [];
    for (let i = 0; i < 20_000; i++) readings.push(`{"timestamp":"2024-01-01T00:00:00Z","value":${i},"status":0}`);
    const body = Buffer.from(`{${HEADER},"readings":[${readings.join(',')}]}`);
    const parser = new ReadingsBodyParser();
    let count = 0;
    let batches = 0;
    let largestPending = 0;
    for (let from = 0; from < body.length; from += 16_384) {
      for (const batch of parser.push(Buffer.from(body.subarray(from, from + 16_384)))) {
        count += batch.length;
        batches++;
      }
      largestPending = Math.max(largestPending, (parser as unknown as { pending: Buffer }).pending.length);
    }
    for (const batch of parser.finish()) count += batch.length;
    assert.equal(count, 20_000);
    assert.ok(batches > 50, `readings arrive in many batches (${batches})`);
    assert.ok(largestPending < 1024, `only a partial reading is held between chunks (${largestPending} bytes)`);
  });
});
