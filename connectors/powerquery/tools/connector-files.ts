/**
 * What goes into DCS.mez, as the Power Query SDK packs it: the section document, the string
 * resources and the icons. DCS.query.pq is a development query and stays out, as in the SDK.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ICON_SIZES = [16, 20, 24, 32, 40, 48, 64] as const;
export const ICON_FILES = ICON_SIZES.map((size) => `DCS${size}.png`);
export const MEZ_FILES = ['DCS.pq', 'resources.resx', ...ICON_FILES];

/**
 * connectors/powerquery and the project root in the source tree, found by walking up from the
 * compiled script (which lives under build/ or another output folder).
 */
export function sourceDirs(from: string = __dirname): { connectorDir: string; root: string } {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'connectors', 'powerquery', 'DCS.pq'))) {
      return { connectorDir: path.join(dir, 'connectors', 'powerquery'), root: dir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find connectors/powerquery/DCS.pq in any folder above ${from}`);
    dir = parent;
  }
}
