/*
 * Whether the add-in bundle in dist/ is current, without starting webpack.
 *
 * Even with its persistent cache warm, webpack takes seconds just to start and check it; a start
 * with nothing changed should not pay that. So each successful build records, next to its output,
 * every file and directory webpack read (and every path it looked for in vain), each with its size
 * and modification time, plus the files it wrote. A later build is skipped only when all of them
 * are exactly as recorded, the build key (mode and ADDIN_BASE_URL) is the same, and every output is
 * still there as written; anything else (an edited or new source, an upgraded package, a changed
 * setting, a deleted output) runs webpack, whose cache then rebuilds only what changed.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Where the last build is recorded: with webpack's own cache, never in dist/, which is served. */
const RECORD = path.join(__dirname, '..', 'node_modules', '.cache', 'addin-inputs.json');

/** What a build depends on besides its files: the mode and the production address of the manifest. */
function buildKey(mode) {
  return `${mode} ${(process.env.ADDIN_BASE_URL || '').trim()}`;
}

/**
 * A file's size and modification time; "directory" for a directory (the resolver looks at many,
 * up to the file system's root, only to see that they are there); "absent" for nothing.
 */
function fileFingerprint(file) {
  try {
    const stat = fs.statSync(file);
    return stat.isDirectory() ? 'directory' : `${stat.size} ${stat.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

/** A directory read as a whole (a glob of files to copy): the names in it. */
function directoryFingerprint(dir) {
  try {
    return fs.readdirSync(dir).sort().join('\n');
  } catch {
    return 'absent';
  }
}

const FINGERPRINTS = { files: fileFingerprint, directories: directoryFingerprint, outputs: fileFingerprint };

function fingerprints(paths, fingerprint) {
  return Object.fromEntries([...new Set(paths)].sort().map((file) => [file, fingerprint(file)]));
}

/**
 * Records a finished build in `recordFile`: its key; the files it read or looked for (`files`) and
 * the directories it read whole (`directories`); and the files it wrote (`outputs`); absolute paths.
 */
function recordInputs(recordFile, key, { files, directories, outputs }) {
  const record = {
    key,
    files: fingerprints(files, fileFingerprint),
    directories: fingerprints(directories, directoryFingerprint),
    outputs: fingerprints(outputs, fileFingerprint),
  };
  fs.mkdirSync(path.dirname(recordFile), { recursive: true });
  fs.writeFileSync(recordFile, JSON.stringify(record, null, 1));
}

/** Forgets the recorded build (after a failed one), so that the next build runs. */
function forgetInputs(recordFile) {
  fs.rmSync(recordFile, { force: true });
}

/** Why the build recorded in `recordFile` must run again, or undefined when its output is current. */
function staleReason(recordFile, key) {
  let record;
  try {
    record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  } catch {
    return 'no record of a previous build';
  }
  if (Object.keys(FINGERPRINTS).some((kind) => typeof record[kind] !== 'object')) return 'the record of the previous build is incomplete';
  if (record.key !== key) return `built for "${record.key}", now "${key}"`;
  for (const [kind, fingerprint] of Object.entries(FINGERPRINTS)) {
    for (const [file, was] of Object.entries(record[kind])) {
      if (fingerprint(file) !== was) return `${path.relative(process.cwd(), file) || file} changed`;
    }
  }
  return undefined;
}

/** Webpack plugin: records each successful build (see above); a failed build leaves no record. */
class RecordInputsPlugin {
  constructor(key, extraInputs) {
    this.key = key;
    this.extraInputs = extraInputs;
  }

  apply(compiler) {
    compiler.hooks.done.tap('RecordInputsPlugin', (stats) => {
      if (stats.hasErrors()) return forgetInputs(RECORD);
      const { compilation } = stats;
      recordInputs(RECORD, this.key, {
        files: [...compilation.fileDependencies, ...compilation.missingDependencies, ...this.extraInputs],
        directories: [...compilation.contextDependencies],
        outputs: Object.keys(compilation.assets).map((name) => path.join(compiler.options.output.path, name)),
      });
    });
  }
}

module.exports = { RECORD, buildKey, recordInputs, forgetInputs, staleReason, RecordInputsPlugin };
