import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SOURCE_ID, parseSourceId } from '../src/source-id';

describe('the source-id grammar (one for the client, the routes, the OData feed and the simulator)', () => {
  it('normalises registers and virtual meters in any case, with leading zeros and surrounding spaces', () => {
    assert.deepEqual(parseSourceId('r0733'), { id: 'R733', isVirtualMeter: false, number: 733 });
    assert.deepEqual(parseSourceId(' vm9 '), { id: 'VM9', isVirtualMeter: true, number: 9 });
    assert.equal(parseSourceId('Vm00000000000000042')?.id, 'VM42');
    assert.equal(parseSourceId(`R${MAX_SOURCE_ID}`)?.id, 'R4294967295');
  });

  it('refuses meter ids, bare numbers, spaces inside an id and numbers DCS cannot hold', () => {
    for (const text of ['M12', '733', 'R', 'VM', 'R 733', 'R-1', 'VM1.5', 'R4294967296', 'R99999999999', 'RVM1', '']) {
      assert.equal(parseSourceId(text), undefined, text);
    }
  });
});
