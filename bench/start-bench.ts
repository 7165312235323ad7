/**
 * How long `npm start` takes to answer, in a temporary copy of the repository: the first start
 * (nothing built), a second with nothing changed (the everyday restart: target under 10 s), then
 * one after a server source changed and one after an add-in source changed, each of which must
 * serve its change (the bench fails otherwise).
 * Last, the built output is started with `node build/server/main.js` after every development-only
 * package is taken away, as a production deployment runs it.
 *
 * The copy holds the working tree's files (tracked and new, not ignored ones); its node_modules
 * links to this checkout's packages, except the workspace packages (linked to the copy's own) and
 * the caches (its own, empty), so that the first start is a real first build.
 *
 * Runs as the last section of `npm run bench`, or alone: `node build/bench/start-bench.js`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runWhenMain } from './main';

const ROOT = path.resolve(__dirname, '..', '..');
const TARGET_SECONDS = 10;
const MARKER = `start-bench-${process.pid}`;

interface Started {
  seconds: number;
  stop(): Promise<void>;
  get(urlPath: string): Promise<{ headers: Headers; text: string }>;
}

/** Copies the working tree's files (as `git ls-files` lists them: tracked and new, not ignored) into `copy`. */
function copyWorkingTree(copy: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
}

/** node_modules for the copy: each installed package linked, workspace links kept relative (to the copy's packages), no caches. */
function linkNodeModules(copy: string): void {
  const from = path.join(ROOT, 'node_modules');
  const to = path.join(copy, 'node_modules');
  const link = (name: string): void => {
    const source = path.join(from, name);
    const target = path.join(to, name);
    const isWorkspaceLink = fs.lstatSync(source).isSymbolicLink();
    fs.symlinkSync(isWorkspaceLink ? fs.readlinkSync(source) : source, target);
  };
  fs.mkdirSync(to);
  for (const name of fs.readdirSync(from)) {
    if (name === '.cache' || name === '.package-lock.json') continue;
    if (name.startsWith('@')) {
      fs.mkdirSync(path.join(to, name));
      for (const scoped of fs.readdirSync(path.join(from, name))) link(`${name}/${scoped}`);
    } else link(name);
  }
}

/** Removes the copy's links to packages only development needs (the lockfile's `dev` entries). */
function removeDevelopmentPackages(copy: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(copy, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const removed: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = key.replace(/^node_modules\//, '');
    if (!entry.dev || name.includes('node_modules/') || !key.startsWith('node_modules/')) continue;
    fs.rmSync(path.join(copy, 'node_modules', name), { force: true });
    removed.push(name);
  }
  return removed;
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Runs `command` in the copy (its own process group) and times it until /api/health answers. */
async function startAndTime(copy: string, command: string[]): Promise<Started> {
  const port = await freePort();
  const began = performance.now();
  const output: Buffer[] = [];
  const child: ChildProcess = spawn(command[0], command.slice(1), {
    cwd: copy,
    env: { ...process.env, HTTPS: '0', PORT: String(port), DCS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} ended before answering:\n${Buffer.concat(output).toString()}`);
    const answered = await fetch(`${base}/api/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - began) / 1000;
  return {
    seconds,
    get: async (urlPath) => {
      const res = await fetch(`${base}${urlPath}`);
      return { headers: res.headers, text: await res.text() };
    },
    stop: async () => {
      process.kill(-child.pid!, 'SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** Changes a server source visibly: /api/health gets a header naming MARKER. */
function changeServerSource(copy: string): void {
  const health = path.join(copy, 'server', 'routes', 'health.ts');
  const before = fs.readFileSync(health, 'utf8');
  const after = before.replace('res.json(health);', `res.setHeader('x-start-bench', '${MARKER}');\n    res.json(health);`);
  if (after === before) throw new Error('server/routes/health.ts no longer has `res.json(health);`: update the start bench');
  fs.writeFileSync(health, after);
}

/** Changes an add-in source visibly: the task pane page gets a meta tag naming MARKER. */
function changeAddinSource(copy: string): void {
  const page = path.join(copy, 'addin', 'taskpane', 'taskpane.html');
  fs.writeFileSync(page, fs.readFileSync(page, 'utf8').replace('<head>', `<head>\n    <meta name="start-bench" content="${MARKER}" />`));
}

/** Fails the bench unless the server serves the changes made so far (an unchanged build would not). */
function serving(what: { server: boolean; addin: boolean }): (started: Started) => Promise<string> {
  return async (started) => {
    const health = await started.get('/api/health');
    const page = await started.get('/taskpane.html');
    if (what.server && health.headers.get('x-start-bench') !== MARKER) throw new Error('the changed server source was not rebuilt before serving');
    if (what.addin && !page.text.includes(MARKER)) throw new Error('the changed add-in source was not rebuilt before serving');
    return 'the change is served';
  };
}

async function timedStart(copy: string, command: string[], check?: (started: Started) => Promise<string>): Promise<[number, string]> {
  const started = await startAndTime(copy, command);
  try {
    return [started.seconds, check ? await check(started) : ''];
  } finally {
    await started.stop();
  }
}

export async function runStartBench(): Promise<void> {
  console.log(`Starting the product: \`npm start\` in a temporary copy of the repository, timed until /api/health answers (${os.cpus().length} cores).\n`);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-start-bench-'));
  try {
    copyWorkingTree(copy);
    linkNodeModules(copy);
    const rows: [string, number, string][] = [];
    rows.push(['first start (nothing built: tsc and webpack in full)', ...(await timedStart(copy, ['npm', 'start']))]);
    rows.push(['second start, nothing changed', ...(await timedStart(copy, ['npm', 'start']))]);
    changeServerSource(copy);
    rows.push([
      'after changing one server source (server/routes/health.ts)',
      ...(await timedStart(copy, ['npm', 'start'], serving({ server: true, addin: false }))),
    ]);
    changeAddinSource(copy);
    rows.push([
      'after changing one add-in source (addin/taskpane/taskpane.html)',
      ...(await timedStart(copy, ['npm', 'start'], serving({ server: true, addin: true }))),
    ]);
    const removed = removeDevelopmentPackages(copy);
    rows.push([
      `node build/server/main.js without the ${removed.length} development-only packages (production)`,
      ...(await timedStart(copy, [process.execPath, 'build/server/main.js'])),
    ]);
    console.log('| start | listening after | |');
    console.log('|:--|--:|:--|');
    for (const [what, seconds, note] of rows) console.log(`| ${what} | ${seconds.toFixed(1)} s | ${note} |`);
    const second = rows[1][1];
    console.log(
      `\nTarget: a start with nothing changed answers within ${TARGET_SECONDS} s (${second < TARGET_SECONDS ? 'met' : 'NOT met'}: ${second.toFixed(1)} s).`,
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

runWhenMain(module, runStartBench);
