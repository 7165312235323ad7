/**
 * Every relative link in README.md, CONTRIBUTING.md and the guides under docs/ leads somewhere: the
 * file exists, and a `#fragment` names a heading of that file as GitHub makes its anchor
 * (lower case, punctuation dropped, spaces to hyphens, a repeated heading numbered `-1`, `-2`).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks (links in code are not links). */
function prose(markdown: string): string {
  return markdown.replace(/^\s*(`{3,})[\s\S]*?^\s*\1\s*$/gm, '');
}

/** GitHub's anchors for the headings of a Markdown file. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = heading
      .toLowerCase()
      .replace(/<[^>]+>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

test('every relative link in the README, CONTRIBUTING and the guides leads to a file and heading that exist', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const document of DOCUMENTS) {
    const text = prose(fs.readFileSync(path.join(ROOT, document), 'utf8'));
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\bsrc="([^"]+)"/g)) {
      const target = match[1] ?? match[2];
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      checked++;
      const [file, fragment] = target.split('#');
      const resolved = file === '' ? path.join(ROOT, document) : path.resolve(path.dirname(path.join(ROOT, document)), file);
      if (!fs.existsSync(resolved)) {
        broken.push(`${document}: ${target} (no such file)`);
        continue;
      }
      if (fragment !== undefined && resolved.endsWith('.md') && !anchors(fs.readFileSync(resolved, 'utf8')).has(fragment)) {
        broken.push(`${document}: ${target} (no such heading in ${path.relative(ROOT, resolved)})`);
      }
    }
  }
  assert.ok(checked > 20, `only ${checked} links found: is the pattern still right?`);
  assert.deepEqual(broken, []);
});

test('the anchors are made as GitHub makes them', () => {
  const made = anchors('# Python: pandas and SQLite\n## `GET /api/health`\n## Errors\n## Errors\n```sh\n# not a heading\n```\n');
  assert.deepEqual([...made], ['python-pandas-and-sqlite', 'get-apihealth', 'errors', 'errors-1']);
});
