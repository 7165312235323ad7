import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCompleteRun, decodeStandardRun } from '../src/readings-fast';
import { ReadingsBodyParser } from '../src/readings-parser';

function run(text: string): ReturnType<typeof decodeStandardRun> {
  const buf = Buffer.from(`[${text}]`);
  return decodeStandardRun(buf, 1, buf.length - 1);
}

const reading = (value: string, status = '0', timestamp = '2024-02-29T23:30:00Z'): string => `{"timestamp":"${timestamp}","value":${value},"status":${status}}`;

describe("decoding readings straight from DCS's bytes", () => {
  it('gives exactly the double JSON.parse gives, for every shape of number', () => {
    const samples = [
      '0',
      '-0',
      '7',
      '-7',
      '0.1',
      '0.30000000000000004',
      '77642584.02',
      '-1234.5678',
      '123456789012345',
      '1234567890123456789',
      '0.000001',
      '1e3',
      '-2.5E-7',
      '9007199254740993',
      '1.7976931348623157e308',
      '5e-324',
      '0.1234567890123456',
    ];
    let seed = 1;
    const random = (): number => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    for (let i = 0; i < 3000; i++) {
      const integer = String(Math.floor(random() * 10 ** Math.floor(random() * 12)));
      const fraction = Math.floor(random() * 8);
      const digits = Array.from({ length: fraction }, () => Math.floor(random() * 10)).join('');
      samples.push(`${random() < 0.2 ? '-' : ''}${integer}${fraction ? `.${digits}` : ''}`);
    }
    for (const text of samples) {
      const decoded = run(reading(text));
      assert.ok(decoded, text);
      assert.ok(Object.is(decoded[0].value, JSON.parse(text)), `${text}: ${decoded[0].value} !== ${JSON.parse(text)}`);
    }
  });

  it("reads DCS's NaN and infinity strings, timestamps and statuses", () => {
    const decoded = run([reading('"NaN"', '1'), reading('"Infinity"', '2', '2024-03-01T00:00:00Z'), reading('"-Infinity"', '3')].join(','));
    assert.ok(decoded);
    assert.ok(Number.isNaN(decoded[0].value));
    assert.equal(decoded[1].value, Infinity);
    assert.equal(decoded[2].value, -Infinity);
    assert.deepEqual(
      decoded.map((r) => r.status),
      [1, 2, 3],
    );
    assert.equal(decoded[0].timestamp.getTime(), Date.UTC(2024, 1, 29, 23, 30));
    assert.equal(decoded[1].timestamp.getTime(), Date.UTC(2024, 2, 1));
  });

  it('decodes the complete format', () => {
    const buf = Buffer.from('[{"timestamp":"2024-01-01T00:00:00Z","totalValue":100.5,"periodValue":"NaN","status":2}]');
    const decoded = decodeCompleteRun(buf, 1, buf.length - 1);
    assert.ok(decoded);
    assert.equal(decoded[0].totalValue, 100.5);
    assert.ok(Number.isNaN(decoded[0].periodValue));
    assert.equal(decoded[0].status, 2);
  });

  it("declines anything not exactly in DCS's form, leaving it to JSON.parse", () => {
    const declined = [
      ' {"timestamp":"2024-01-01T00:00:00Z","value":1,"status":0}',
      '{"timestamp": "2024-01-01T00:00:00Z","value":1,"status":0}',
      '{"value":1,"timestamp":"2024-01-01T00:00:00Z","status":0}',
      '{"timestamp":"2024-01-01T00:00:00Z","Value":1,"status":0}',
      '{"timestamp":"2024-01-01T00:00:00Z","value":1,"status":0,"extra":true}',
      '{"timestamp":"2024-01-01T00:00:00.000Z","value":1,"status":0}',
      '{"timestamp":"2023-02-29T00:00:00Z","value":1,"status":0}',
      '{"timestamp":"2024-01-01T00:00:00Z","value":"1","status":0}',
      '{"timestamp":"2024-01-01T00:00:00Z","value":01,"status":0}',
      '{"timestamp":"2024-01-01T00:00:00Z","value":1.,"status":0}',
      '{"timestamp":"2024-01-01T00:00:00Z","value":-,"status":0}',
      '{"timestamp":"2024-01-01T00:00:00Z","value":1,"status":-1}',
      '{"timestamp":"2024-01-01T00:00:00Z","value":1,"status":0} ',
      '{"timestamp":"2024-01-01T00:00:00Z","value":1,"status":0},',
      '{"timestamp":"2024-01-01T00:00:00Z","value":1,"status":0',
    ];
    for (const text of declined) assert.equal(run(text), undefined, text);
  });

  it('gives the same readings through the fast path and through JSON.parse', () => {
    const compact = [reading('1.25'), reading('"NaN"', '1'), reading('-3e2', '2')].join(',');
    const header = '"startTime":"2024-01-01T00:00:00Z","endTime":"2024-01-02T00:00:00Z","name":"n"';
    const parse = (body: string): unknown[] => {
      const parser = new ReadingsBodyParser();
      const out = parser.push(Buffer.from(body)).flat();
      return [...out, ...parser.finish().flat()];
    };
    // The spaced-out body cannot take the fast path; the readings must still be identical.
    assert.deepEqual(parse(`{${header},"readings":[${compact}]}`), parse(`{${header}, "readings": [ ${compact.replace(/,/g, ' , ')} ] }`));
  });
});
