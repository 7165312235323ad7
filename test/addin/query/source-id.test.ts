import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normaliseGroupId, normaliseSourceId } from '../../../addin/query/source-id';
import { parseGroupId } from '../../../server/groups/group';
import { parseSourceId } from 'dcs-client';

/** Text that looks like a source id, or nearly: prefixes, digits, spaces, signs, in any order. */
const nearlyIds = fc.string({ unit: fc.constantFrom('r', 'R', 'v', 'V', 'm', 'M', '0', '1', '4', '9', ' ', '-', '.'), maxLength: 14 });
const idShaped = fc
  .tuple(fc.constantFrom('', ' ', 'r', 'R', 'vm', 'VM', 'Vm', 'm'), fc.stringMatching(/^\d{0,12}$/), fc.constantFrom('', ' '))
  .map(([prefix, digits, tail]) => `${prefix}${digits}${tail}`);

describe("the add-in's copy of the source-id grammar", () => {
  it('accepts and normalises exactly the ids the server does', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyIds, idShaped), (text) => {
        assert.equal(normaliseSourceId(text), parseSourceId(text)?.id, JSON.stringify(text));
      }),
      { numRuns: 2000, seed: 14 },
    );
  });

  it('refuses an id past the largest DCS can hold, as the server does', () => {
    assert.equal(normaliseSourceId('R4294967295'), 'R4294967295');
    assert.equal(normaliseSourceId('R4294967296'), undefined);
  });

  it('accepts and normalises exactly the group ids the server does', () => {
    const groupShaped = fc
      .tuple(
        fc.constantFrom('', ' ', 'group:', 'Group:', 'GROUP:', 'groups:', 'group'),
        fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', ' ', '_', 'é'), maxLength: 64 }),
      )
      .map(([prefix, rest]) => `${prefix}${rest}`);
    fc.assert(
      fc.property(groupShaped, (text) => {
        assert.equal(normaliseGroupId(text), parseGroupId(text), JSON.stringify(text));
      }),
      { numRuns: 2000, seed: 21 },
    );
    assert.equal(normaliseGroupId('Group:Engineering-Elec'), 'group:engineering-elec');
  });
});
