/**
 * Every ```ts block of README.md and the guides compiles, strictly, against the real types of the
 * packages it imports (`dcs-client`, `dcs-simulator`, as a user's project would install them). A
 * document's blocks are one program, in order, as a reader follows them (the second block uses the
 * client the first one connected); they are ES modules, so `await` works at the top level. A block
 * marked `<!-- example: not run (why) -->` is left out. Errors are reported at the guide's line.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { codeBlocks, parseMarker, type CodeBlock } from './readme-blocks';

const ROOT = path.resolve(__dirname, '../../..');
/** Inside the repository, so that `dcs-client` resolves to the workspace package as it would from node_modules. */
const OUT_DIR = path.join(ROOT, 'build', 'docs-examples');
const DOCUMENTS = [
  'README.md',
  // The packages' own guides (docs/dcs-client.md points to the client's README).
  'packages/dcs-client/README.md',
  'packages/dcs-simulator/README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
  types: ['node'],
};

interface Program {
  file: string;
  text: string;
  /** The document's line of each line of `text`. */
  lines: number[];
}

/** The document's compiled blocks, one after another, as one module. */
function programOf(document: string, blocks: CodeBlock[]): Program {
  const file = path.join(OUT_DIR, `${document.replace(/[/.]/g, '-')}.mts`);
  const text: string[] = [];
  const lines: number[] = [];
  for (const block of blocks) {
    block.code.split('\n').forEach((line, i) => {
      text.push(line);
      lines.push(block.line + 1 + i);
    });
  }
  return { file, text: text.join('\n'), lines };
}

function errorsOf(program: Program, document: string): string[] {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(program.file, program.text);
  const compiled = ts.createProgram([program.file], OPTIONS);
  return ts.getPreEmitDiagnostics(compiled).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const where = d.file.fileName === program.file ? `${document}:${program.lines[line]}` : `${d.file.fileName}:${line + 1}`;
    return `${where}: ${message}`;
  });
}

const withTypeScript = DOCUMENTS.map((document) => {
  const blocks = codeBlocks(fs.readFileSync(path.join(ROOT, document), 'utf8'), document).filter((b) => b.info === 'ts' || b.info === 'typescript');
  return { document, blocks: blocks.filter((b) => parseMarker(b).kind !== 'not run'), notRun: blocks.filter((b) => parseMarker(b).kind === 'not run').length };
}).filter((d) => d.blocks.length + d.notRun > 0);

test('the guides have TypeScript examples to compile', () => {
  assert.ok(withTypeScript.some((d) => d.blocks.length > 0));
});

for (const { document, blocks, notRun } of withTypeScript) {
  test(`${document}: ${blocks.length} TypeScript examples compile against the packages' types (${notRun} marked not run)`, () => {
    assert.deepEqual(errorsOf(programOf(document, blocks), document), []);
  });
}

test('a wrong example is caught, at its line in the guide', () => {
  const [block] = codeBlocks("Text\n\n```ts\nimport { DcsClient } from 'dcs-client';\nconst n: number = DcsClient.connect;\n```\n", 'docs/sample.md');
  const errors = errorsOf(programOf('docs/sample.md', [block]), 'docs/sample.md');
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /^docs\/sample\.md:5: Type .* is not assignable to type 'number'/);
});
