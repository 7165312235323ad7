/**
 * Draws DCS16.png ... DCS64.png into connectors/powerquery/. Run once after changing the design
 * (`node build/connectors/powerquery/tools/make-icons.js`); the PNGs are committed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ICON_SIZES, sourceDirs } from './connector-files';
import { drawIcon } from './png';

export function writeIcons(dir: string = sourceDirs().connectorDir): string[] {
  return ICON_SIZES.map((size) => {
    const file = path.join(dir, `DCS${size}.png`);
    fs.writeFileSync(file, drawIcon(size));
    return file;
  });
}

if (require.main === module) {
  for (const file of writeIcons()) console.log(`wrote ${file}`);
}
