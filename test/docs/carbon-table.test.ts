/**
 * The emission factors have one meaning: the table of docs/monitoring-and-targeting.md (*Carbon*),
 * which says where each figure was checked, states exactly the server's built-in factors, year by
 * year and fuel by fuel.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_EMISSION_FACTORS } from '../../server/analysis/carbon';

const DOC = path.resolve(__dirname, '../../../docs/monitoring-and-targeting.md');

test("the documented emission factors are the server's built-in ones", () => {
  const rows = fs
    .readFileSync(DOC, 'utf8')
    .split('\n')
    .filter((line) => /^\| \d{4} \|/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  const documented = { electricity: {} as Record<string, number>, naturalGas: {} as Record<string, number> };
  for (const [, year, electricity, naturalGas] of rows) {
    documented.electricity[year] = Number(electricity);
    documented.naturalGas[year] = Number(naturalGas);
  }
  assert.ok(rows.length > 0, 'the table of factors is in the guide');
  assert.deepEqual(documented, DEFAULT_EMISSION_FACTORS);
});
