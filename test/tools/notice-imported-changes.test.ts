/**
 * tools/notice-imported-changes.js: `tsc -b` rebuilds when a file it compiles only because it is
 * imported (an add-in module a test uses) changes, although that file is outside the tsconfig's
 * `include`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { noticeImportedChanges } = require(path.join(REPO, 'tools', 'notice-imported-changes.js')) as {
  noticeImportedChanges: (tsconfigFile: string, buildInfoFile: string) => string | undefined;
};

describe('noticing changes to imported files outside the tsconfig (tools/notice-imported-changes.js)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'notice-imported-'));
  const tsconfig = path.join(work, 'tsconfig.json');
  const buildInfo = path.join(work, 'build', '.tsbuildinfo');
  const helper = path.join(work, 'outside', 'helper.ts');
  const compiledHelper = path.join(work, 'build', 'outside', 'helper.js');
  const build = () => execFileSync(process.execPath, [TSC, '-b', tsconfig], { cwd: work });
  const writeHelper = (value: number) => {
    fs.writeFileSync(helper, `export const value = ${value};\n`);
    // Saved after the last build, even on a file system whose clock ticks coarsely.
    const later = new Date(Math.max(Date.now(), fs.statSync(buildInfo).mtimeMs + 1));
    fs.utimesSync(helper, later, later);
  };

  before(() => {
    fs.mkdirSync(path.join(work, 'src'));
    fs.mkdirSync(path.join(work, 'outside'));
    const compilerOptions = { incremental: true, outDir: 'build', rootDir: '.', module: 'commonjs', tsBuildInfoFile: 'build/.tsbuildinfo', types: [] };
    fs.writeFileSync(tsconfig, JSON.stringify({ compilerOptions, include: ['src/**/*.ts'] }));
    fs.writeFileSync(path.join(work, 'src', 'main.ts'), "export { value } from '../outside/helper';\n");
    fs.writeFileSync(helper, 'export const value = 1;\n');
    build();
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('sees that tsc -b alone keeps the old output of a changed imported file (why the tool exists)', () => {
    writeHelper(2);
    build();
    assert.match(fs.readFileSync(compiledHelper, 'utf8'), /value = 1/);
  });

  it('makes tsc -b compile the changed file again', () => {
    writeHelper(3);
    assert.equal(noticeImportedChanges(tsconfig, buildInfo), helper);
    build();
    assert.match(fs.readFileSync(compiledHelper, 'utf8'), /value = 3/);
  });

  it('changes nothing when no file of the build changed since', () => {
    const before = fs.statSync(tsconfig).mtimeMs;
    assert.equal(noticeImportedChanges(tsconfig, buildInfo), undefined);
    assert.equal(fs.statSync(tsconfig).mtimeMs, before);
  });

  it('does nothing before the first build', () => {
    assert.equal(noticeImportedChanges(tsconfig, path.join(work, 'no-build', '.tsbuildinfo')), undefined);
  });
});
