/**
 * deploy/systemd/dcs-excel@.service, the unit docs/deployment.md installs, is one systemd
 * accepts without a word (`systemd-analyze verify` on an instance of it: unknown keys and bad
 * values are only warnings there, so any output fails the test), and it starts what the build
 * makes, in the way the server expects to be stopped and to report a bad setting.
 *
 * Where systemd-analyze is missing the verification is skipped with a warning (a counted skip),
 * except on CI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const UNIT = path.join(ROOT, 'deploy', 'systemd', 'dcs-excel@.service');
const ENV_EXAMPLE = path.join(ROOT, 'deploy', 'systemd', 'dcs-excel.env.example');
const unit = fs.readFileSync(UNIT, 'utf8');

function skipWithoutSystemdAnalyze(): string | false {
  if (spawnSync('systemd-analyze', ['--version']).status === 0) return false;
  const message = '\n!!! systemd-analyze is missing: the systemd unit cannot be verified. It comes with systemd (Debian: apt-get install -y systemd).\n';
  if (process.env.CI) throw new Error(message);
  console.warn(`${message}!!! Skipping the unit's verification (it fails on CI).\n`);
  return 'systemd-analyze missing';
}

/** The value of `key=` in the unit (the last one, as systemd reads it). */
function setting(key: string): string | undefined {
  const values = [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]);
  return values.at(-1);
}

describe('the systemd unit', () => {
  it('passes systemd-analyze verify without a warning, as an instance (dcs-excel@3001)', { skip: skipWithoutSystemdAnalyze() }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-unit-'));
    try {
      // verify checks that ExecStart's program exists; where node is not /usr/bin/node, the one running this test stands in.
      const text = fs.existsSync('/usr/bin/node') ? unit : unit.replace('/usr/bin/node', process.execPath);
      const instance = path.join(dir, 'dcs-excel@3001.service');
      fs.writeFileSync(instance, text);
      const result = spawnSync('systemd-analyze', ['verify', '--man=no', instance], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(`${result.stdout}${result.stderr}`.trim(), '', 'systemd-analyze has something to say about the unit');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("starts the built server and listens on the instance's port", () => {
    const [node, main] = (setting('ExecStart') ?? '').split(' ');
    assert.equal(node, '/usr/bin/node');
    assert.equal(path.relative(setting('WorkingDirectory') ?? '', main), 'build/server/main.js');
    assert.ok(fs.existsSync(path.join(ROOT, 'build', 'server', 'main.js')), 'npm run build makes build/server/main.js');
    assert.equal(setting('Environment'), 'PORT=%i', 'the instance name is the port');
  });

  it('stops with SIGTERM, which the server handles by signing sessions out, and does not restart on a configuration error (exit 2)', () => {
    const mainSource = fs.readFileSync(path.join(ROOT, 'server', 'main.ts'), 'utf8');
    assert.equal(setting('KillSignal'), 'SIGTERM');
    assert.match(mainSource, /process\.on\('SIGTERM'/);
    assert.equal(setting('RestartPreventExitStatus'), '2');
    const bad = spawnSync(process.execPath, [path.join(ROOT, 'build', 'server', 'main.js')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PORT: 'eighty' },
      timeout: 30_000,
    });
    assert.equal(bad.status, 2, `a bad setting exits with 2: ${bad.stderr}`);
    assert.match(bad.stderr, /PORT/);
  });

  it('reads its settings from the file the example shows, each one a setting the server knows', async () => {
    const { SETTINGS } = await import('../../server/config');
    assert.equal(setting('EnvironmentFile'), '/etc/dcs-excel/dcs-excel.env');
    const names = fs
      .readFileSync(ENV_EXAMPLE, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    assert.ok(names.length > 5);
    assert.deepEqual(
      names.filter((name) => !(name in SETTINGS)),
      [],
      'unknown settings in the example',
    );
    assert.ok(!names.includes('PORT'), 'PORT comes from the instance name');
  });
});
