'use strict';
/*
 * How the add-in's icons (assets/make-icons.js) and the connector's (connectors/powerquery/tools/png.ts)
 * are drawn: a glyph on a rounded tile, both in unit coordinates, smoothed by supersampling each
 * pixel, written as a PNG (signature, IHDR, one zlib-compressed IDAT, IEND) with node:zlib only.
 * Plain JavaScript, so that `npm run icons` runs without a build; the connector's tools compile it
 * (allowJs) and take its types from the JSDoc.
 */
const zlib = require('node:zlib');

/** Samples per pixel along each axis. */
const SUPERSAMPLE = 4;

/**
 * @typedef {object} TileIcon
 * @property {number} radius the tile's corner radius, in units of its side
 * @property {readonly number[]} background the tile's colour, RGB
 * @property {readonly number[]} foreground the glyph's colour, RGB
 * @property {(x: number, y: number) => boolean} glyph whether a point of the tile (0..1, y down) is in the glyph
 */

/**
 * @param {number} x
 * @param {number} y
 * @param {number} radius
 */
function insideTile(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/**
 * @param {string} type
 * @param {Buffer} data
 */
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A PNG of `width` x `height` RGBA pixels (row-major, 4 bytes per pixel).
 * @param {number} width
 * @param {number} height
 * @param {Uint8Array} rgba
 * @returns {Buffer}
 */
function encodePng(width, height, rgba) {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  // compression, filter and interlace methods: 0
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const start = y * (width * 4 + 1);
    rows[start] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(rows, start + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * The icon at `size` x `size` pixels, as PNG bytes: each pixel's alpha is the share of its samples
 * on the tile, its colour the glyph's share of those.
 * @param {number} size
 * @param {TileIcon} icon
 * @returns {Buffer}
 */
function drawTileIcon(size, icon) {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let mark = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          if (!insideTile(x, y, icon.radius)) continue;
          tile++;
          if (icon.glyph(x, y)) mark++;
        }
      }
      const offset = (py * size + px) * 4;
      const share = tile === 0 ? 0 : mark / tile;
      for (let c = 0; c < 3; c++) rgba[offset + c] = Math.round(icon.background[c] * (1 - share) + icon.foreground[c] * share);
      rgba[offset + 3] = Math.round((255 * tile) / (SUPERSAMPLE * SUPERSAMPLE));
    }
  }
  return encodePng(size, size, rgba);
}

module.exports = { drawTileIcon };
