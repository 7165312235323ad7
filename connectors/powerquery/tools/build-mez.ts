/**
 * `npm run build:connector`: packs the Power Query connector into dist/DCS.mez (a ZIP, as the
 * Power Query SDK builds it) without Windows tooling. Refuses to write a package with a file
 * missing, and writes through a temporary file so a failed build never leaves half a .mez.
 *
 *   node build/connectors/powerquery/tools/build-mez.js [--out path/to/DCS.mez]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MEZ_FILES, sourceDirs } from './connector-files';
import { createZip } from './zip';

export function buildMez(connectorDir: string, outFile: string): { file: string; entries: string[]; bytes: number } {
  const missing = MEZ_FILES.filter((name) => !fs.existsSync(path.join(connectorDir, name)));
  if (missing.length > 0) {
    throw new Error(`cannot build the connector: ${missing.join(', ')} missing from ${connectorDir} (icons: run tools/make-icons)`);
  }
  const zip = createZip(MEZ_FILES.map((name) => ({ name, data: fs.readFileSync(path.join(connectorDir, name)) })));
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const temporary = `${outFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, zip);
    fs.renameSync(temporary, outFile);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return { file: outFile, entries: [...MEZ_FILES], bytes: zip.length };
}

function outArgument(argv: readonly string[], root: string): string {
  const index = argv.indexOf('--out');
  if (index < 0) return path.join(root, 'dist', 'DCS.mez');
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error('--out needs a file name, e.g. --out dist/DCS.mez');
  return path.resolve(value);
}

if (require.main === module) {
  try {
    const { connectorDir, root } = sourceDirs();
    const result = buildMez(connectorDir, outArgument(process.argv.slice(2), root));
    console.log(`wrote ${result.file} (${result.bytes} bytes): ${result.entries.join(', ')}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
