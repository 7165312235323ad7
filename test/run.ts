/**
 * `npm test`'s runner: Node's test runner over exactly the compiled `*.test.js` files under
 * build/test/ (Node 20's `node --test <folder>` also runs every other module under a `test/`
 * folder, helpers included, and it has no glob patterns). Arguments narrow the run to files whose
 * path contains one of them: `npm test -- dcs/ odata/feed`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = __dirname;
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.js'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.split(path.sep).join('/').includes(filter)))
  .sort()
  .map((file) => path.join(root, file));
if (files.length === 0) {
  process.stderr.write(`no test file under ${root} matches ${filters.join(' ')}\n`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
