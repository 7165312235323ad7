/**
 * One search everywhere: the server's matcher (GET /api/sources?q=, OData Sources?$search, and so
 * =DCS.SOURCES) and the task pane's copy answer every search over every source alike.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Source } from '../../server/api/types';
import { sourceMatches as paneMatches } from '../../addin/query/source-match';
import { matchingSources, sourceMatches } from '../../server/sources/source-match';

const words = fc.constantFrom('Library', 'library', 'ELECTRICITY', 'Gas', 'Main', 'Incomer', 'R1001', 'r10', 'VM7', 'kWh', 'm3', 'virtual', 'Energy', '-', ':');
const text = fc.array(fc.oneof(words, fc.constantFrom(' ', '  ', '\t')), { maxLength: 6 }).map((parts) => parts.join(' '));
const source: fc.Arbitrary<Source> = fc.record({
  id: fc.constantFrom('R1001', 'R1008', 'VM7', 'VM12'),
  kind: fc.constantFrom('register' as const, 'virtualMeter' as const),
  name: fc.array(words, { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
  unit: fc.constantFrom('kWh', 'm3', 'kW', ''),
  isInstantaneous: fc.boolean(),
  meter: fc.option(fc.record({ id: fc.nat(), name: fc.array(words, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')) }), { nil: undefined }),
});

describe('the one source search', () => {
  it("matches exactly as the pane's copy does", () => {
    fc.assert(
      fc.property(source, text, (s, t) => {
        assert.equal(sourceMatches(s, t), paneMatches(s, t), JSON.stringify([s, t]));
      }),
      { numRuns: 3000, seed: 19 },
    );
  });

  it('takes every word, in any order, across meter name, source name and id, ignoring case', () => {
    const library: Source = {
      id: 'R1001',
      kind: 'register',
      name: 'Electricity Main Incomer',
      unit: 'kWh',
      isInstantaneous: false,
      meter: { id: 1, name: 'Main Library' },
    };
    const gas: Source = { id: 'R1008', kind: 'register', name: 'Gas Volume', unit: 'm3', isInstantaneous: false, meter: { id: 1, name: 'Main Library' } };
    const all = [library, gas];
    assert.deepEqual(matchingSources(all, 'library electricity'), [library]);
    assert.deepEqual(matchingSources(all, 'ELECTRICITY library'), [library], 'order and case do not matter');
    assert.deepEqual(matchingSources(all, 'r1008'), [gas], 'ids are searched too');
    assert.deepEqual(matchingSources(all, 'library'), all);
    assert.deepEqual(matchingSources(all, '   '), all, 'a blank search lists everything');
    assert.deepEqual(matchingSources(all, 'library water'), [], 'every word must be found');
  });
});
