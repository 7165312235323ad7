/**
 * What Excel shows of the functions (issue 19): the tooltips generated from functions.ts's JSDoc
 * into functions.json name the arguments as the code does (firstDay and lastDay, never start
 * and end), and every example id in them exists in the demo estate, so a tooltip can be tried.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { demoEstate } from 'dcs-simulator';
import { ADDIN_DIST, REPO_ROOT } from '../support/browser';

const SOURCE = fs.readFileSync(path.join(REPO_ROOT, 'addin', 'functions', 'functions.ts'), 'utf8');

/** Each `@customfunction NAME`'s JSDoc parameter names and the exported function's own parameters. */
function declaredFunctions(): Array<{ name: string; jsdoc: string[]; code: string[]; text: string }> {
  const found = [];
  for (const [, doc, signature] of SOURCE.matchAll(/\/\*\*([\s\S]*?)\*\/\s*export async function \w+\(([\s\S]*?)\):/g)) {
    const name = /@customfunction (\w+)/.exec(doc)?.[1];
    if (!name) continue;
    const jsdoc = [...doc.matchAll(/@param \[?(\w+)\]?/g)].map((m) => m[1]);
    const code = [...signature.matchAll(/^\s*(\w+)\s*:/gm)].map((m) => m[1]).filter((p) => p !== 'invocation');
    found.push({ name, jsdoc, code, text: doc });
  }
  return found;
}

describe("the functions' tooltips", () => {
  const functions = declaredFunctions();

  it('document every argument under the name the code gives it, dates as firstDay and lastDay', () => {
    assert.deepEqual(
      functions.map((f) => f.name),
      ['CONSUMPTION', 'QUALITY', 'DEMAND', 'READINGS', 'INTERVALS', 'CUSUM', 'SOURCES'],
    );
    for (const f of functions) {
      assert.deepEqual(f.jsdoc, f.code, `DCS.${f.name}`);
      assert.ok(!f.code.includes('start') && !f.code.includes('end'), `DCS.${f.name} names no argument start or end`);
    }
    for (const name of ['CONSUMPTION', 'QUALITY', 'READINGS', 'INTERVALS']) {
      assert.deepEqual(functions.find((f) => f.name === name)!.code.slice(1, 3), ['firstDay', 'lastDay'], name);
    }
  });

  it('give example ids that the demo estate has', () => {
    const estate = demoEstate();
    const ids = new Set([...estate.meters.flatMap((m) => m.registers.map((r) => `R${r.id}`)), ...estate.virtualMeters.map((v) => `VM${v.id}`)]);
    const examples = [...SOURCE.matchAll(/"((?:R|VM)\d+)"/g)].map((m) => m[1]);
    assert.ok(examples.length >= 3, 'the tooltips give examples');
    assert.deepEqual(
      examples.filter((id) => !ids.has(id)),
      [],
    );
  });

  it('reach the built functions.json with the same arguments (the build generates it from the JSDoc)', (t) => {
    const file = path.join(ADDIN_DIST, 'functions.json');
    if (!fs.existsSync(file)) return t.skip('needs the built add-in (npm run build:addin)');
    const metadata = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      functions: Array<{ id: string; parameters: Array<{ name: string; description: string }> }>;
    };
    for (const f of functions) {
      const built = metadata.functions.find((m) => m.id === f.name);
      assert.ok(built, `functions.json has ${f.name}`);
      assert.deepEqual(
        built.parameters.map((p) => p.name),
        f.code,
        f.name,
      );
    }
  });
});
