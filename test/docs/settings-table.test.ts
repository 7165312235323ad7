/**
 * The settings have one table, in docs/operating.md (*Configuration*), and it tells the truth: no
 * other document has a table of settings, and each default the table states as a plain value is
 * the default the server uses (giving that value explicitly changes nothing). That the table names
 * exactly the settings `SETTINGS` defines is held by test/server/config-settings.test.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fieldOf, loadConfig, SETTINGS } from '../../server/config';
import { NO_ENV_FILE } from '../server/config-helpers';

const ROOT = path.resolve(__dirname, '../../..');
const TABLE_DOC = 'docs/operating.md';

/** The rows of every Markdown table whose first column is headed `variable`, per document. */
function settingsTables(markdown: string): string[][][] {
  const tables: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    const cells = line
      .slice(1, line.lastIndexOf('|'))
      .split(' | ')
      .map((c) => c.trim());
    if (current === undefined && cells[0] === 'variable') tables.push((current = []));
    else if (current !== undefined && !/^-+$/.test(cells[0])) current.push(cells);
  }
  return tables;
}

const documents = ['README.md', 'CONTRIBUTING.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) => f.endsWith('.md'));

test('one table of settings in all the documentation: the one in docs/operating.md', () => {
  const found = documents.flatMap((doc) => settingsTables(fs.readFileSync(path.join(ROOT, doc), 'utf8')).map(() => doc));
  assert.deepEqual(found, [TABLE_DOC], 'link to docs/operating.md#configuration instead of repeating settings');
});

test('each default the table gives as a plain value is the one the server uses', () => {
  const [table] = settingsTables(fs.readFileSync(path.join(ROOT, TABLE_DOC), 'utf8'));
  const unset = loadConfig({}, NO_ENV_FILE);
  let checked = 0;
  for (const [names, fallback] of table) {
    const variables = [...names.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]);
    const literal = /^`([^`]+)`(?: \([^)]*\))?$/.exec(fallback)?.[1];
    // "(the client's default)": unset, the server leaves it to the DCS client, which is tested on its own.
    if (variables.length !== 1 || literal === undefined || !(variables[0] in SETTINGS) || fallback.includes("client's default")) continue;
    const [variable] = variables;
    const given = loadConfig({ [variable]: literal }, NO_ENV_FILE);
    assert.deepEqual(given[fieldOf(variable)], unset[fieldOf(variable)], `${variable}: the table says the default is ${literal}`);
    checked++;
  }
  assert.ok(checked >= 15, `only ${checked} defaults checked: is the table's layout still variable | default | meaning?`);
});
