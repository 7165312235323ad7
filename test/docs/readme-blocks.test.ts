/**
 * How the README example test reads README.md: which blocks it runs, which marker skips one, which
 * block is a sample output, and which shell commands would escape it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeBlocks, hiddenCommands, isRunnable, parseMarker } from './readme-blocks';

const SAMPLE = [
  'Sign in:',
  '',
  '```sh',
  'curl -k https://localhost:3000/api/health',
  '```',
  '',
  '```',
  '{"status": "ok"}',
  '```',
  '<!-- example: not run (runs until Ctrl+C) -->',
  '```sh',
  'npm start',
  '```',
  '1. Build it:',
  '   <!-- example: sqlite3 dcs.db -->',
  '   ```sql',
  '   SELECT 1;',
  '   ```',
  '',
  '```',
  'curl -k https://localhost:3000/api/sources',
  '```',
  '',
  '    HTTPS=0 npm start',
].join('\n');

test('fenced blocks come out in order, with language, line, marker and sample output', () => {
  const blocks = codeBlocks(SAMPLE);
  assert.deepEqual(
    blocks.map((b) => [b.info, b.line, b.code]),
    [
      ['sh', 3, 'curl -k https://localhost:3000/api/health\n'],
      ['', 7, '{"status": "ok"}\n'],
      ['sh', 11, 'npm start\n'],
      ['sql', 16, 'SELECT 1;\n'],
      ['', 20, 'curl -k https://localhost:3000/api/sources\n'],
    ],
  );
  assert.equal(blocks[0].output, '{"status": "ok"}\n', 'the untagged block right after an example is its output');
  assert.equal(blocks[2].output, undefined, 'a marker line separates blocks');
  assert.deepEqual(parseMarker(blocks[2]), { kind: 'not run', reason: 'runs until Ctrl+C' });
  assert.deepEqual(parseMarker(blocks[3]), { kind: 'sqlite3', database: 'dcs.db' });
  assert.deepEqual(
    blocks.filter(isRunnable).map((b) => b.line),
    [3, 11, 16],
  );
});

test('shell commands in untagged or indented blocks are reported, with their line', () => {
  assert.deepEqual(hiddenCommands(SAMPLE, codeBlocks(SAMPLE)), ['README.md:20: curl -k https://localhost:3000/api/sources', 'README.md:24: HTTPS=0 npm start']);
});

test('a marker the test cannot read is refused with the forms it can', () => {
  const [block] = codeBlocks('<!-- example: skip -->\n```sh\nnpm test\n```\n');
  assert.throws(() => parseMarker(block), /not run \(why\)/);
  const [noReason] = codeBlocks('<!-- example: not run -->\n```sh\nnpm test\n```\n');
  assert.throws(() => parseMarker(noReason), /unknown marker/);
});
