/**
 * `npm test`'s runner: Node's test runner over exactly the compiled `*.test.js` files of the
 * application (build/test/) and of each package (packages/<name>/dist/test/). Node 20's
 * `node --test <folder>` also runs every other module under a `test/` folder, helpers included,
 * and it has no glob patterns. Arguments narrow the run to files whose path contains one of them:
 * `npm test -- dcs-client/ odata/feed`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGES = path.join(ROOT, 'packages');
const folders = [
  __dirname,
  ...fs
    .readdirSync(PACKAGES)
    .map((name) => path.join(PACKAGES, name, 'dist', 'test'))
    .filter((folder) => fs.existsSync(folder)),
];

function testFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .map((file) => path.join(folder, file));
}

const filters = process.argv.slice(2);
const shown = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');
const files = folders
  .flatMap(testFiles)
  .filter((file) => filters.length === 0 || filters.some((filter) => shown(file).includes(filter)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`no test file matches ${filters.join(' ')}\n`);
  process.exit(1);
}
/**
 * A test still running after ten minutes has hung (the slowest take seconds): it fails instead of
 * holding the run for ever. The one wall-clock bound of the suite, so generous it cannot flake;
 * tests whose failure would be a wait for ever ("cancelled at once", "did not wait for the stalled
 * reader") rely on it rather than timing themselves.
 */
const HUNG_TEST_MS = 600_000;
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', `--test-timeout=${HUNG_TEST_MS}`, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
