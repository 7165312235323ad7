/**
 * tools/addin-inputs.js: `npm run build:addin` skips webpack only when the last build's inputs,
 * settings and outputs are exactly as recorded; anything else rebuilds.
 */
import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface BuildFiles {
  files: string[];
  directories: string[];
  outputs: string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const inputs = require(path.join(ROOT, 'tools', 'addin-inputs.js')) as {
  RECORD: string;
  recordInputs(recordFile: string, key: string, build: BuildFiles): void;
  staleReason(recordFile: string, key: string): string | undefined;
};

describe('knowing whether the add-in bundle is current (tools/addin-inputs.js)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'addin-inputs-'));
  const record = path.join(work, 'cache', 'record.json');
  const at = (name: string) => path.join(work, name);
  const KEY = 'production ';

  /** Records a build of the shape of a real one: a source, a path looked for in vain, a directory copied whole, an output. */
  function build(): void {
    inputs.recordInputs(record, KEY, { files: [at('src/app.ts'), at('src/missing.ts')], directories: [at('assets')], outputs: [at('dist/app.js')] });
  }

  beforeEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
    for (const dir of ['src', 'assets', 'dist']) fs.mkdirSync(at(dir), { recursive: true });
    fs.writeFileSync(at('src/app.ts'), 'export const a = 1;\n');
    fs.writeFileSync(at('assets/icon.png'), 'png');
    fs.writeFileSync(at('dist/app.js'), 'bundle');
    build();
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('is current when nothing changed since the recorded build', () => {
    assert.equal(inputs.staleReason(record, KEY), undefined);
  });

  it('rebuilds when there is no record, or one from an older format', () => {
    fs.rmSync(record);
    assert.equal(inputs.staleReason(record, KEY), 'no record of a previous build');
    fs.writeFileSync(record, JSON.stringify({ key: KEY, inputs: {} }));
    assert.match(inputs.staleReason(record, KEY) ?? '', /incomplete/);
  });

  it('rebuilds when a source is edited, even to the same size', () => {
    fs.writeFileSync(at('src/app.ts'), 'export const b = 2;\n');
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(at('src/app.ts'), later, later);
    assert.match(inputs.staleReason(record, KEY) ?? '', /app\.ts changed$/);
  });

  it('rebuilds when a file the build looked for and did not find appears', () => {
    fs.writeFileSync(at('src/missing.ts'), 'export {};\n');
    assert.match(inputs.staleReason(record, KEY) ?? '', /missing\.ts changed/);
  });

  it('rebuilds when a file is added to a directory copied whole', () => {
    fs.writeFileSync(at('assets/icon-2.png'), 'png');
    assert.match(inputs.staleReason(record, KEY) ?? '', /assets changed/);
  });

  it('rebuilds when an output was deleted or altered after the build', () => {
    fs.rmSync(at('dist/app.js'));
    assert.match(inputs.staleReason(record, KEY) ?? '', /app\.js changed/);
  });

  it('rebuilds when the build settings (mode, ADDIN_BASE_URL) differ', () => {
    assert.equal(
      inputs.staleReason(record, 'production https://energy.example.ac.uk/'),
      'built for "production ", now "production https://energy.example.ac.uk/"',
    );
  });
});

describe('the record of the real add-in build', () => {
  it('names the add-in sources, the page templates, the copied files and the build settings among its inputs', () => {
    const recorded = JSON.parse(fs.readFileSync(inputs.RECORD, 'utf8')) as { files: Record<string, string>; outputs: Record<string, string> };
    for (const source of [
      'addin/taskpane/taskpane.ts',
      'addin/functions/functions.ts',
      'server/api/types.ts',
      'addin/taskpane/taskpane.html',
      'addin/taskpane/taskpane.css',
      'manifest.xml',
      'webpack.config.js',
      'package-lock.json',
      'package.json',
    ]) {
      assert.ok(path.join(ROOT, source) in recorded.files, `${source} is not recorded as an input`);
    }
    for (const output of ['taskpane.js', 'taskpane.html', 'functions.json', 'manifest.xml']) {
      assert.ok(path.join(ROOT, 'dist', output) in recorded.outputs, `dist/${output} is not recorded as an output`);
    }
  });
});
