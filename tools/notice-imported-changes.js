/*
 * Makes `tsc -b` notice a change in a file it compiles only because something imports it.
 *
 * tsc -b decides that a project is up to date by comparing its output with the files its
 * tsconfig includes (and the tsconfig itself), not with every file in the program. The root
 * project excludes addin/ (the add-in has its own browser tsconfig), yet the tests import most
 * add-in modules, so they are compiled into build/addin/ too: a change to one of them alone left
 * the build "up to date" and the tests ran the old code. Before `tsc -b`, this compares every
 * program file recorded in the project's .tsbuildinfo with the .tsbuildinfo itself and, when one
 * is newer, touches the tsconfig, so tsc -b rebuilds incrementally (only what changed is emitted).
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

/** The program's own files (not node_modules') recorded in a .tsbuildinfo, as absolute paths. */
function programFiles(buildInfoFile) {
  const { fileNames = [] } = JSON.parse(fs.readFileSync(buildInfoFile, 'utf8'));
  const folder = path.dirname(buildInfoFile);
  return fileNames.filter((name) => !name.includes('node_modules/')).map((name) => path.resolve(folder, name));
}

/** The first recorded program file changed since the last build, or undefined. */
function changedSinceBuild(buildInfoFile) {
  if (!fs.existsSync(buildInfoFile)) return undefined;
  const built = fs.statSync(buildInfoFile).mtimeMs;
  // A file gone since the build counts as a change, so its importers are compiled again.
  return programFiles(buildInfoFile).find((file) => !fs.existsSync(file) || fs.statSync(file).mtimeMs > built);
}

/** Touches `tsconfigFile` when a file of its last build changed; returns the changed file, if any. */
function noticeImportedChanges(tsconfigFile, buildInfoFile) {
  const changed = changedSinceBuild(buildInfoFile);
  if (changed === undefined) return undefined;
  const now = new Date();
  fs.utimesSync(tsconfigFile, now, now);
  return changed;
}

module.exports = { noticeImportedChanges };

if (require.main === module) {
  noticeImportedChanges(path.join(ROOT, 'tsconfig.json'), path.join(ROOT, 'build', '.tsbuildinfo'));
}
