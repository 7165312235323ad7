/**
 * tools/prune-build.js: after `tsc -b`, compiled files whose source is gone are removed, so that
 * a deleted or moved test or module is never run or found from an old build.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pruneOutputs } = require(path.resolve(__dirname, '../../../tools/prune-build.js')) as {
  pruneOutputs: (outDir: string, sourceDir: string) => string[];
};

describe('removing compiled files whose source is gone (tools/prune-build.js)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'prune-build-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  function write(file: string): void {
    fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    fs.writeFileSync(path.join(work, file), '');
  }

  it('removes the outputs of a deleted or moved source and keeps every other file', () => {
    write('server/kept.ts');
    write('server/moved/new-home.ts');
    const kept = ['build/server/kept.js', 'build/server/kept.js.map', 'build/server/kept.d.ts', 'build/server/moved/new-home.js', 'build/.tsbuildinfo'];
    const gone = [
      'build/server/dcs/client.js',
      'build/server/dcs/client.js.map',
      'build/server/dcs/client.d.ts',
      'build/server/dcs/client.d.ts.map',
      'build/test/dcs/old.test.js',
    ];
    for (const file of [...kept, ...gone]) write(file);

    const deleted = pruneOutputs(path.join(work, 'build'), work);

    assert.deepEqual(deleted.map((file) => path.relative(work, file)).sort(), [...gone].sort());
    for (const file of kept) assert.ok(fs.existsSync(path.join(work, file)), `${file} was removed`);
  });

  it('keeps the output of a JavaScript source compiled with allowJs, and removes it when the source is gone', () => {
    write('assets/drawn.js');
    write('build/assets/drawn.js');
    write('build/assets/drawn.js.map');
    write('build/assets/erased.js');

    const deleted = pruneOutputs(path.join(work, 'build'), work);

    assert.deepEqual(
      deleted.map((file) => path.relative(work, file)),
      ['build/assets/erased.js'],
    );
    assert.ok(fs.existsSync(path.join(work, 'build/assets/drawn.js')));
  });

  it('does nothing when there is no build yet', () => {
    assert.deepEqual(pruneOutputs(path.join(work, 'no-build'), work), []);
  });
});
