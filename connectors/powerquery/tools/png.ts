/**
 * The connector's icon: a white lightning bolt on a blue rounded tile, drawn (supersampled, so it
 * stays legible at 16 px) and written as PNG as the add-in's icons are (assets/tile-icon.js).
 */
import { drawTileIcon } from '../../../assets/tile-icon';

type Point = readonly [number, number];

/** The bolt, in units of the icon's side. */
const BOLT: readonly Point[] = [
  [0.6, 0.1],
  [0.26, 0.56],
  [0.47, 0.56],
  [0.38, 0.9],
  [0.75, 0.42],
  [0.53, 0.42],
  [0.64, 0.1],
];

function insidePolygon(x: number, y: number, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const BACKGROUND = [0x0b, 0x5c, 0xad];
const FOREGROUND = [0xff, 0xff, 0xff];

/** The icon at `size` x `size` pixels, as PNG bytes. */
export function drawIcon(size: number): Buffer {
  return drawTileIcon(size, { radius: 0.2, background: BACKGROUND, foreground: FOREGROUND, glyph: (x, y) => insidePolygon(x, y, BOLT) });
}
