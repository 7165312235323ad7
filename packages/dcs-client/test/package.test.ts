/**
 * The packages as a user gets them: `npm pack` of dcs-client and dcs-simulator, installed from
 * their tarballs into an empty folder (offline: neither has a dependency outside the two), then
 * `npx dcs-simulator` started there and the client README's example run there against it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';

const PACKAGES = path.join(__dirname, '..', '..', '..');
const CLIENT = path.join(PACKAGES, 'dcs-client');
const SIMULATOR = path.join(PACKAGES, 'dcs-simulator');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs npm in `cwd`, failing the test with npm's own words when it fails. */
function npm(cwd: string, args: string[]): { stdout: string; stderr: string } {
  const run = spawnSync(NPM, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(run.status, 0, `npm ${args.join(' ')} failed:\n${run.stderr}`);
  return { stdout: run.stdout, stderr: run.stderr };
}

/** `npm pack` of a built package into `into` (scripts skipped: the build is already current); the tarball's path and files. */
function pack(dir: string, into: string): { tarball: string; files: string[] } {
  const { stdout } = npm(dir, ['pack', '--json', '--ignore-scripts', '--pack-destination', into]);
  const [report] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: path.join(into, report.filename), files: report.files.map((f) => f.path) };
}

/** The README's runnable examples: its ```js blocks, each with the untagged block after it (its output), if any. */
function readmeExamples(readme: string): { code: string; output: string[] }[] {
  const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)];
  const examples: { code: string; output: string[] }[] = [];
  blocks.forEach((block, i) => {
    if (block[1] !== 'js') return;
    const next = blocks[i + 1];
    const between = next ? readme.slice(block.index + block[0].length, next.index) : '';
    const hasOutput = next !== undefined && next[1] === '' && !/```/.test(between);
    examples.push({ code: block[2], output: hasOutput ? next[2].split('\n').filter((line) => line.trim() !== '' && !line.includes('...')) : [] });
  });
  return examples;
}

/** Waits for the simulator CLI's first line, which names its address. */
async function addressOf(child: ChildProcess): Promise<string> {
  let seen = '';
  for await (const chunk of child.stdout!) {
    seen += String(chunk);
    const match = /listening at (http:\/\/\S+)/.exec(seen);
    if (match) return match[1];
  }
  throw new Error(`dcs-simulator ended before listening:\n${seen}`);
}

describe('dcs-client and dcs-simulator as installed from their tarballs', () => {
  let work: string;
  let app: string;
  let client: { tarball: string; files: string[] };
  let simulator: ChildProcess | undefined;
  let install: { stdout: string; stderr: string };

  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'dcs-packages-'));
    app = path.join(work, 'app');
    client = pack(CLIENT, work);
    const simulatorPack = pack(SIMULATOR, work);
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'uses-dcs-client', version: '1.0.0', private: true }));
    install = npm(app, ['install', '--offline', '--no-audit', '--no-fund', client.tarball, simulatorPack.tarball]);
  });

  after(async () => {
    if (simulator?.pid !== undefined && simulator.exitCode === null) {
      process.kill(-simulator.pid, 'SIGTERM');
      await once(simulator, 'exit');
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('ships the compiled library, its types and its README, and none of its tests', () => {
    for (const file of ['package.json', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts']) assert.ok(client.files.includes(file), `${file} is missing`);
    assert.deepEqual(
      client.files.filter((f) => f.includes('test') || f.endsWith('.tsbuildinfo')),
      [],
    );
  });

  it('installs from the tarballs alone, offline and without a warning, with no dependency of its own', () => {
    assert.doesNotMatch(install.stderr, /warn/i);
    const installed = readdirSync(path.join(app, 'node_modules')).filter((name) => !name.startsWith('.'));
    assert.deepEqual(installed.sort(), ['dcs-client', 'dcs-simulator']);
  });

  it('gives TypeScript its types through `exports`, to CommonJS and ES module projects alike', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const typeRoots = path.join(path.dirname(require.resolve('@types/node/package.json')), '..');
    const source =
      "import { DcsClient, DcsError, type Reading } from 'dcs-client';\n" +
      "const client: DcsClient = new DcsClient({ url: 'http://127.0.0.1:1/' });\n" +
      'const first: Reading | undefined = undefined;\n' +
      'export { client, first, DcsError };\n';
    writeFileSync(path.join(app, 'typed-esm.mts'), source);
    writeFileSync(path.join(app, 'typed-cjs.ts'), source);
    for (const [module, resolution, file] of [
      ['nodenext', 'nodenext', 'typed-esm.mts'],
      ['commonjs', 'node10', 'typed-cjs.ts'],
    ]) {
      const args = [tsc, '--noEmit', '--strict', '--module', module, '--moduleResolution', resolution, '--typeRoots', typeRoots, '--types', 'node', file];
      const check = spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8' });
      assert.equal(check.status, 0, `${module}: ${check.stdout}${check.stderr}`);
    }
  });

  it('runs `npx dcs-simulator` and the README example against it, printing what the README shows', async () => {
    // Its own process group, so that stopping it stops the simulator npx started, not only npx.
    simulator = spawn('npx', ['--no', '--', 'dcs-simulator', '--port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const url = await addressOf(simulator);

    const examples = readmeExamples(readFileSync(path.join(CLIENT, 'README.md'), 'utf8'));
    assert.equal(examples.length, 1, 'the README has one runnable example');
    const [example] = examples;
    writeFileSync(path.join(app, 'example.js'), example.code);
    const run = spawnSync(process.execPath, ['example.js'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, DCS_URL: url, DCS_USERNAME: 'demo', DCS_PASSWORD: 'demo' },
    });
    assert.equal(run.status, 0, run.stderr);
    const printed = run.stdout.split('\n');
    assert.ok(example.output.length > 0, 'the README shows the example output');
    for (const line of example.output) assert.ok(printed.includes(line), `the example did not print ${JSON.stringify(line)}; it printed:\n${run.stdout}`);
  });
});
