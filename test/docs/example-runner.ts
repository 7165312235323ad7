/**
 * Runs the README's examples as a reader would, one after another in one working folder, against
 * a server the test started:
 *
 * - Shell blocks run with `bash -e -o pipefail`, so a failing command anywhere in a block fails
 *   it. Shell variables a block sets (`TOKEN=...`) carry over to later blocks, as in the reader's
 *   terminal; they are kept in a file outside the working folder.
 * - Python blocks run with a python3 that has `requests` and `pandas`; ```sql blocks with the
 *   sqlite3 shell on the database their marker names.
 * - `https://localhost:3000` is rewritten to the test server's address (the same host name, so
 *   the examples' `--cacert .certs/localhost-cert.pem` checks the test server's certificate,
 *   copied there).
 * - curl fails on an HTTP error status in every example (`fail` in the `.curlrc` of the
 *   examples' HOME), so an example the server refuses fails even without `--fail`.
 * - Password prompts (`curl --user demo`, `getpass.getpass`) are answered on standard input with
 *   the demo account's password, as a person at the terminal would. The examples run in a
 *   session of their own without a terminal, which is what makes both read standard input.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The README's examples sign in as the simulator's demo user. */
const DEMO_PASSWORD = 'demo';
const README_BASE_URL = 'https://localhost:3000';
const BLOCK_TIMEOUT_MS = 60_000;

export interface ExampleResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExampleFolders {
  /** Where the examples run: the reader's project folder. */
  workDir: string;
  /** Outside the working folder: scripts, shell state, the examples' HOME. */
  privateDir: string;
}

export function makeFolders(): ExampleFolders {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-examples-'));
  const folders = { workDir: path.join(root, 'project'), privateDir: path.join(root, 'private') };
  fs.mkdirSync(folders.workDir);
  fs.mkdirSync(home(folders), { recursive: true, mode: 0o700 });
  // An example whose request the server refuses must fail even where it does not say --fail.
  fs.writeFileSync(path.join(home(folders), '.curlrc'), 'fail\nshow-error\n');
  return folders;
}

/** The examples' HOME (and curl's), so that nothing of the real one is read or written. */
function home(folders: ExampleFolders): string {
  return path.join(folders.privateDir, 'home');
}

/** Puts the server's certificate where the examples' `--cacert` expects it; the key stays with the server. */
export function installCertificate(folders: ExampleFolders, certPath: string): void {
  fs.mkdirSync(path.join(folders.workDir, '.certs'));
  fs.copyFileSync(certPath, path.join(folders.workDir, '.certs', 'localhost-cert.pem'));
}

export function removeFolders(folders: ExampleFolders): void {
  fs.rmSync(path.dirname(folders.workDir), { recursive: true, force: true });
}

/** The README's text with its server address replaced by the test server's `https://localhost:<port>`. */
export function pointAt(code: string, serverUrl: string): string {
  const port = new URL(serverUrl).port;
  return code.split(README_BASE_URL).join(`https://localhost:${port}`);
}

/** Keeps the shell variables a block sets for the next block, in the private folder. */
function shellScript(code: string, stateFile: string): string {
  return [
    'set -eo pipefail',
    '__baseline=$(compgen -v)',
    `__state=${JSON.stringify(stateFile)}`,
    'if [ -f "$__state" ]; then . "$__state"; fi',
    '__save() {',
    '  local __rc=$? __name',
    '  for __name in $(compgen -v); do',
    '    [[ $__name == __* || $__name == FUNCNAME ]] && continue',
    '    grep -qxF -- "$__name" <<<"$__baseline" && continue',
    '    declare -p "$__name"',
    '  done > "$__state" 2>/dev/null',
    '  return $__rc',
    '}',
    'trap __save EXIT',
    code,
  ].join('\n');
}

export function runShell(folders: ExampleFolders, code: string): Promise<ExampleResult> {
  const script = path.join(folders.privateDir, 'block.sh');
  fs.writeFileSync(script, shellScript(code, shellStateFile(folders)));
  return runAnswering('bash', ['--noprofile', '--norc', script], folders);
}

/** The file holding the shell variables of earlier blocks (it may hold a session token). */
export function shellStateFile(folders: ExampleFolders): string {
  return path.join(folders.privateDir, 'shell-state.sh');
}

export function runPython(folders: ExampleFolders, python: string, code: string): Promise<ExampleResult> {
  const script = path.join(folders.privateDir, 'block.py');
  fs.writeFileSync(script, code);
  return runAnswering(python, [script], folders);
}

export function runSql(folders: ExampleFolders, database: string, code: string): Promise<ExampleResult> {
  return runAnswering('sqlite3', ['-bail', database], folders, code);
}

/** Runs a command in the working folder, answering password prompts; `input` replaces them as stdin. */
function runAnswering(command: string, args: string[], folders: ExampleFolders, input?: string): Promise<ExampleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: folders.workDir,
      // A session of its own: no controlling terminal, so prompts read standard input.
      detached: true,
      env: { ...process.env, HOME: home(folders), CURL_HOME: home(folders) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let unanswered = '';
    // The whole process group: a curl left waiting would otherwise keep the pipes open.
    const timer = setTimeout(() => {
      stderr += `\n[killed: still running after ${BLOCK_TIMEOUT_MS / 1000} s; is it waiting for input?]`;
      process.kill(-child.pid!, 'SIGKILL');
    }, BLOCK_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      unanswered += chunk;
      if (input === undefined && /password[^\n]*:\s*$/i.test(unanswered)) {
        unanswered = '';
        child.stdin.write(`${DEMO_PASSWORD}\n`);
      }
    });
    child.stdin.on('error', () => undefined); // a block that exits without reading its input
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A python3 with requests and pandas: the one on PATH, else Debian's (python3-requests, python3-pandas). */
export function findPython(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', 'import sys, requests, pandas; print(sys.executable)'], { encoding: 'utf8' });
    if (probe.status === 0) return probe.stdout.trim();
  }
  return undefined;
}

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/**
 * Files under `dir` that hold a secret: one of `tokens`, a cookie jar or a session cookie, or the
 * demo password next to its user name. Each finding names the file and what it holds.
 */
export function secretsIn(dir: string, tokens: string[]): string[] {
  const found: string[] = [];
  const signs: [RegExp, string][] = [
    [/Netscape HTTP Cookie File/, 'a cookie jar'],
    [/dcs_session/, 'the session cookie'],
    [/demo:demo|password\s+demo|"password"\s*:\s*"demo"/, 'the demo password'],
    [/Authorization:/i, 'an Authorization header'],
  ];
  for (const file of filesUnder(dir)) {
    const text = fs.readFileSync(file).toString('latin1');
    const name = path.relative(dir, file);
    for (const token of tokens) if (text.includes(token)) found.push(`${name}: a session token`);
    for (const [sign, what] of signs) if (sign.test(text)) found.push(`${name}: ${what}`);
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
