/**
 * One search everywhere: the server's matcher (GET /api/sources?q=, OData Sources?$search, and so
 * =DCS.SOURCES) is also the task pane's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Source } from '../../server/api/types';
import { matchingSources as paneMatching, sourceMatches as paneMatches } from '../../addin/query/source-match';
import { matchingSources, sourceMatches } from '../../server/sources/source-match';

describe('the one source search', () => {
  it('is the one the task pane searches with, not a copy', () => {
    assert.equal(paneMatches, sourceMatches);
    assert.equal(paneMatching, matchingSources);
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
