/** How a guide's ```json sample is held against the real answer (json-sample.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { differences, jsonValues, parseSample } from './json-sample';

test("a sample with '...' elisions and an abbreviated token parses, and matches an answer that has more", () => {
  const sample = parseSample('{"token": "9fN0...vQ", "readings": [{"value": 1}, {"value": 2}, ...]}');
  assert.deepEqual(differences(sample, { token: 'abcdef', readings: [{ value: 1, status: 0 }, { value: 2, status: 1 }, { value: 3 }], more: true }), []);
  assert.deepEqual(differences(parseSample('[\n  {"id": "R1"},\n  ...\n]'), [{ id: 'R0' }, { id: 'R1' }]), []);
});

test('a sample that says something the answer does not is refused, saying where', () => {
  assert.deepEqual(differences(parseSample('{"version": "0.1.0"}'), { version: '0.2.0' }), ['$.version: "0.1.0" in the guide, "0.2.0" in the answer']);
  assert.deepEqual(differences(parseSample('{"role": "Operator"}'), {}), ['$.role: missing from the answer']);
  assert.deepEqual(differences(parseSample('[{"v": 2}, {"v": 1}]'), [{ v: 1 }, { v: 2 }]), ['$[1]: {"v":1} is not in the answer (in this order)']);
  assert.throws(() => parseSample('{"a": 1,}'), /not JSON/);
});

test('the JSON values several commands printed one after another are told apart', () => {
  assert.deepEqual(jsonValues('[{"id":"R1"}]{"a":"}"}\nok\n[1]'), [[{ id: 'R1' }], { a: '}' }, [1]]);
});
