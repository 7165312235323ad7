/**
 * Every shell, Python and SQL example in README.md and in every guide under docs/ runs, in one
 * temporary working folder against a server this test starts (HTTPS, embedded simulator, data
 * clock in 2025), so a wrong example fails CI. The documents run one after another in
 * `DOCUMENTS` order (README first, then the guides whose examples use what an earlier one made,
 * then every other guide, alphabetically), each in its own order, sharing the folder and the shell
 * variables as a reader working through them would. A block the test cannot run carries the
 * marker `<!-- example: not run (why) -->` on the line before it and is reported as skipped with
 * that reason; see `readme-blocks.ts` for the markers and `example-runner.ts` for how prompts and
 * the server address are handled. Each document's suite names how many of its blocks run.
 *
 * Needs bash, curl, jq, sqlite3 and a python3 with requests and pandas (Debian: python3-requests,
 * python3-pandas). Without them the examples are skipped with a warning, except on CI, where the
 * file fails instead (`.ci/run` installs them).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../server/helpers';
import { skipSuite } from '../support/services';
import {
  findPython,
  hasCommand,
  installCertificate,
  makeFolders,
  pointAt,
  removeFolders,
  runPython,
  runShell,
  runSql,
  secretsIn,
  shellStateFile,
  type ExampleFolders,
  type ExampleResult,
} from './example-runner';
import { differences, jsonValues, parseSample } from './json-sample';
import { codeBlocks, hiddenCommands, isRunnable, parseMarker, type CodeBlock } from './readme-blocks';

const ROOT = path.resolve(__dirname, '../../..');
/** Documents whose examples use what an earlier one made (a signed-in token, a downloaded file), in reading order. */
const ORDERED = ['README.md', 'docs/operating.md', 'docs/http-api.md'];
const DOCUMENTS = [
  ...ORDERED,
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
    .filter((file) => !ORDERED.includes(file))
    .sort(),
];

interface Document {
  file: string;
  markdown: string;
  blocks: CodeBlock[];
}

const documents: Document[] = DOCUMENTS.map((file) => {
  const markdown = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return { file, markdown, blocks: codeBlocks(markdown, file) };
});
const python = findPython();

/** The `skip` option of the suite that runs the examples: missing tools skip it, except on CI. */
function skipWithoutTools(): string | false {
  const missing = ['bash', 'curl', 'jq', 'sqlite3'].filter((tool) => !hasCommand(tool));
  if (python === undefined) missing.push('python3 with requests and pandas');
  if (missing.length === 0) return false;
  return skipSuite(
    'the documentation examples',
    `The documentation examples need ${missing.join(', ')}. Install them: apt-get install -y curl jq sqlite3 python3-requests python3-pandas`,
  );
}

/** An untagged block that is one request line, `GET /api/...`: its ```json sample is checked against the server's answer. */
const REQUEST_LINE = /^GET (\/\S+)\s*$/;

/** Blocks the test checks by asking the server: runnable examples, and request lines followed by a JSON sample. */
function checked(document: Document): CodeBlock[] {
  return document.blocks.filter((block) => isRunnable(block) || (block.info === '' && block.json !== undefined && REQUEST_LINE.test(block.code.trim())));
}

/** "docs/excel.md: 7 examples run, 2 marked not run, 3 JSON samples checked": the suite's name, so the output counts them per document. */
function counted(document: Document): string {
  const examples = checked(document);
  const notRun = examples.filter((block) => parseMarker(block).kind === 'not run').length;
  const samples = examples.filter((block) => block.json !== undefined && parseMarker(block).kind !== 'not run').length;
  return `${document.file}: ${examples.length - notRun} examples run, ${notRun} marked not run, ${samples} JSON samples checked`;
}

/** The block's ```json sample matches one of the JSON values it printed. */
function assertJsonSample(block: CodeBlock, printed: string): void {
  if (block.json === undefined) return;
  const sample = parseSample(block.json);
  const values = jsonValues(printed);
  const misses = values.map((value) => differences(sample, value));
  assert.ok(
    misses.some((m) => m.length === 0),
    `${block.file}:${block.line}: the JSON shown after this example is not what it printed:\n${misses.map((m) => m.join('\n')).join('\n--\n') || printed.slice(0, 1500)}`,
  );
}

function title(block: CodeBlock): string {
  const first = block.code.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  return `${block.file}:${block.line} ${block.info}: ${first.trim().slice(0, 70)}`;
}

function describeFailure(block: CodeBlock, result: ExampleResult): string {
  return `${block.file}:${block.line} exited ${result.code}\n--- stdout\n${result.stdout.slice(-2000)}\n--- stderr\n${result.stderr.slice(-2000)}`;
}

/** Lines of the document's sample output (an untagged block right after the example) it printed; `...` lines are elisions. */
function assertSampleOutput(block: CodeBlock, stdout: string): void {
  if (block.output === undefined) return;
  const printed = new Set(stdout.split('\n').map((l) => l.trimEnd()));
  for (const line of block.output.split('\n')) {
    if (line.trim() === '' || line.includes('...')) continue;
    assert.ok(
      printed.has(line.trimEnd()),
      `${block.file}:${block.line}: the sample output shows\n  ${line}\nbut the example printed:\n${stdout.slice(0, 1500)}`,
    );
  }
}

for (const document of documents) {
  test(`every shell command in ${document.file} is in a block the test runs, or marked "not run"`, () => {
    assert.deepEqual(
      hiddenCommands(document.markdown, document.blocks, document.file),
      [],
      'put these in a ```sh block (with <!-- example: not run (why) --> if it cannot run in a test)',
    );
  });

  test(`every JSON block in ${document.file} is the sample of an example or request line the test runs, or marked "not run"`, () => {
    document.blocks.forEach((block, i) => {
      if (block.info !== 'json' || parseMarker(block).kind === 'not run') return;
      const before = document.blocks[i - 1];
      assert.ok(
        before?.json === block.code && checked(document).includes(before),
        `${block.file}:${block.line}: put this JSON right after the example (or \`GET /api/...\` line) whose answer it shows, or mark it <!-- example: not run (why) -->`,
      );
    });
  });

  test(`every example marker in ${document.file} is understood, and every sql block names its database`, () => {
    for (const block of document.blocks) {
      const marker = parseMarker(block);
      if (block.info === 'sql')
        assert.notEqual(marker.kind, 'run', `${block.file}:${block.line}: an sql block needs <!-- example: sqlite3 <database> --> before it`);
    }
  });
}

test('the README and the guides hold runnable examples', () => {
  const runnable = documents.flatMap((d) => d.blocks).filter(isRunnable);
  assert.ok(runnable.length >= 10, `only ${runnable.length} runnable blocks found`);
});

describe('README and guide examples, run in order', { skip: skipWithoutTools() }, () => {
  let server: TestServer;
  let folders: ExampleFolders;
  /** Session tokens the examples were given: none may end up in the working folder. */
  const tokens = new Set<string>();

  before(async () => {
    folders = makeFolders();
    // Groups the examples make are kept with the test's private files, not in the repository's data/.
    server = await startTestServer({
      https: true,
      certDir: path.join(folders.privateDir, 'certs'),
      dataDir: path.join(folders.privateDir, 'data'),
      logLevel: 'warn',
    });
    installCertificate(folders, server.tls!.certPath);
  });
  after(async () => {
    await server?.close();
    if (folders) removeFolders(folders);
  });

  for (const document of documents) {
    describe(counted(document), () => {
      for (const block of checked(document)) {
        const marker = parseMarker(block);
        const skip = marker.kind === 'not run' ? `not run: ${marker.reason}` : false;
        test(title(block), { skip }, async () => {
          if (!isRunnable(block)) {
            const [, request] = REQUEST_LINE.exec(block.code.trim())!;
            // As a reader would ask it: curl, signed in as the demo user, trusting the test server's certificate.
            const result = await runShell(
              folders,
              `curl --silent --show-error --user demo --cacert .certs/localhost-cert.pem '${new URL(request, server.url).href}'`,
            );
            assert.equal(result.code, 0, describeFailure(block, result));
            assertJsonSample(block, result.stdout);
            return;
          }
          const code = pointAt(block.code, server.url);
          let result: ExampleResult;
          if (block.info === 'python') result = await runPython(folders, python!, code);
          else if (marker.kind === 'sqlite3') result = await runSql(folders, marker.database, code);
          else result = await runShell(folders, code);
          assert.equal(result.code, 0, describeFailure(block, result));
          if (block.info === 'sql') assert.notEqual(result.stdout.trim(), '', `${block.file}:${block.line}: the query printed nothing`);
          assertSampleOutput(block, result.stdout);
          assertJsonSample(block, result.stdout);
          for (const match of result.stdout.matchAll(/"token"\s*:\s*"([^"]+)"/g)) tokens.add(match[1]);
        });
      }
    });
  }

  test('the files the examples write hold what the guides say', async () => {
    const header = (file: string) => fs.readFileSync(path.join(folders.workDir, file), 'utf8').split('\n')[0];
    assert.equal(header('readings.csv'), 'id,timestamp,value,status');
    assert.equal(header('days.csv'), 'id,start,end,consumption,periods,interpolated,resets,missing,invalid');
    assert.match(
      header('october.csv'),
      /^start,end,R1001 Main Library - Electricity Main Incomer: Active Energy Import \(kWh\),R1019 .*,VM3 Campus Electricity Import \(kWh\)$/,
    );
    const october = fs.readFileSync(path.join(folders.workDir, 'october.csv'), 'utf8').trim().split('\n');
    assert.equal(october.length, 1 + 31, 'october.csv: a row per day of October');
    const counts = await runSql(folders, 'dcs.db', "SELECT count(DISTINCT id) || ' ' || count(*) FROM readings; SELECT count(*) FROM daily;");
    assert.equal(counts.code, 0, counts.stderr);
    const [readings, daily] = counts.stdout.trim().split('\n');
    assert.match(readings, /^2 \d+$/, 'dcs.db readings: R1001 and VM3');
    assert.equal(daily, String(2 * 366), 'dcs.db daily: two sources, every day of 2024');
  });

  test('the working folder holds no session token, cookie or password afterwards', () => {
    const state = fs.existsSync(shellStateFile(folders)) ? fs.readFileSync(shellStateFile(folders), 'utf8') : '';
    for (const match of state.matchAll(/="([A-Za-z0-9_-]{43})"/g)) tokens.add(match[1]);
    assert.ok(tokens.size > 0, 'no example showed a session token: the check below would prove nothing');
    assert.deepEqual(secretsIn(folders.workDir, [...tokens]), []);
  });
});
