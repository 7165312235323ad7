/*
 * Removes compiled files whose TypeScript source no longer exists, after `tsc -b`.
 *
 * tsc never deletes what it once wrote, so a deleted, renamed or moved module would otherwise
 * stay in build/ (or a package's dist/): `node --test` would still run a test that is gone, and
 * a require of a moved module would still find its old copy. Each output directory maps back to
 * its sources: build/x/y.js comes from x/y.ts at the root, packages/p/dist/x.js from
 * packages/p/x.ts.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const OUTPUT = /\.(js|js\.map|d\.ts|d\.ts\.map)$/;

/** [output directory, the directory its files are compiled from], for the app and each workspace package. */
function outputDirectories(root) {
  const { workspaces = [] } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return [[path.join(root, 'build'), root], ...workspaces.map((w) => [path.join(root, w, 'dist'), path.join(root, w)])];
}

/** Deletes outputs under `outDir` without a `.ts` (or allowJs `.js`) source under `sourceDir`; returns what it deleted. */
function pruneOutputs(outDir, sourceDir) {
  if (!fs.existsSync(outDir)) return [];
  const deleted = [];
  for (const entry of fs.readdirSync(outDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !OUTPUT.test(entry.name)) continue;
    const output = path.join(entry.parentPath ?? entry.path, entry.name);
    const source = path.join(sourceDir, path.relative(outDir, output)).replace(OUTPUT, '.ts');
    // A JavaScript module compiled with allowJs (assets/tile-icon.js, for the connector's tools) is its own source.
    if (fs.existsSync(source) || fs.existsSync(source.replace(/\.ts$/, '.js'))) continue;
    fs.rmSync(output);
    deleted.push(output);
  }
  return deleted;
}

if (require.main === module) {
  const deleted = outputDirectories(ROOT).flatMap(([outDir, sourceDir]) => pruneOutputs(outDir, sourceDir));
  if (deleted.length > 0) console.log(`Removed ${deleted.length} compiled files whose source is gone (e.g. ${path.relative(ROOT, deleted[0])}).`);
}

module.exports = { pruneOutputs };
