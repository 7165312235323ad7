/*
 * `npm run build:addin`: bundles the add-in with webpack in production mode, unless the bundle in
 * dist/ is current (tools/addin-inputs.js says how that is known), in which case webpack is not
 * even started. FORCE_ADDIN_BUILD=1 builds regardless.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { RECORD, buildKey, staleReason } = require('./addin-inputs');

const ROOT = path.join(__dirname, '..');

const reason = process.env.FORCE_ADDIN_BUILD === '1' ? 'FORCE_ADDIN_BUILD=1' : staleReason(RECORD, buildKey('production'));
if (reason === undefined) {
  console.log('Add-in bundle (dist/) is current: nothing to build.');
} else {
  console.log(`Building the add-in (${reason}).`);
  const webpack = spawnSync(process.execPath, [require.resolve('webpack-cli/bin/cli.js'), '--mode', 'production'], { cwd: ROOT, stdio: 'inherit' });
  process.exitCode = webpack.status ?? 1;
}
