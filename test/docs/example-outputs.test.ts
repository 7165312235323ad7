/**
 * The guides' examples write files where they are run (`curl -o october.csv`, `> cusum.json`,
 * `sqlite3.connect("dcs.db")`). Someone trying them in a clone of this repository must not end up
 * with those files in `git status` (issue 19): each one is in .gitignore.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { codeBlocks } from './readme-blocks';

const ROOT = path.resolve(__dirname, '../../..');
const DOCUMENTS = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** How examples write a file: curl's -o, a shell redirection, Python's sqlite3 and pandas, the sqlite3 shell. */
const WRITES = [
  /(?:^|\s)-o\s+([\w.-]+)/g,
  /(?<![0-9&>])>{1,2}\s*([\w.-]+\.\w+)/g,
  /connect\("([^"]+)"\)/g,
  /to_(?:csv|excel|parquet)\("([^"]+)"/g,
  /^sqlite3\s+([\w.-]+)/gm,
];

test("every file the guides' examples write is ignored by git", () => {
  const ignored = new Set(
    fs
      .readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  const written = new Map<string, string>();
  for (const document of DOCUMENTS) {
    for (const block of codeBlocks(fs.readFileSync(path.join(ROOT, document), 'utf8'), document)) {
      for (const pattern of WRITES) for (const [, file] of block.code.matchAll(pattern)) written.set(file, `${document}:${block.line}`);
    }
  }
  assert.ok(written.has('dcs.db') && written.has('readings.csv'), 'the patterns find what the Python and SQL guide writes');
  const notIgnored = [...written].filter(([file]) => !ignored.has(file)).map(([file, where]) => `${file} (${where})`);
  assert.deepEqual(notIgnored, []);
});
