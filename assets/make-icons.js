#!/usr/bin/env node
/*
 * Draws the add-in's icons (a white meter-reading bar chart on a Fluent blue tile) and writes them
 * as PNGs beside this script: icon-16/32/64/80.png. Run it again only to change the design; the
 * PNGs are committed. PNG encoding uses only node:zlib, so no image package is needed.
 *
 *   node assets/make-icons.js
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZES = [16, 32, 64, 80];
const BLUE = [0x00, 0x78, 0xd4];
const WHITE = [0xff, 0xff, 0xff];
const SUPERSAMPLE = 4;

/** Shapes in unit coordinates (0..1): a rounded tile and three bars rising left to right. */
function tileContains(x, y) {
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
const BARS = [
  { x0: 0.2, x1: 0.36, top: 0.55 },
  { x0: 0.42, x1: 0.58, top: 0.35 },
  { x0: 0.64, x1: 0.8, top: 0.18 },
];
const BASELINE = 0.8;
function barContains(x, y) {
  return BARS.some((b) => x >= b.x0 && x <= b.x1 && y >= b.top && y <= BASELINE);
}

/** RGBA pixels for one size, anti-aliased by supersampling each pixel. */
function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let bar = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          if (tileContains(x, y)) {
            tile++;
            if (barContains(x, y)) bar++;
          }
        }
      }
      const samples = SUPERSAMPLE * SUPERSAMPLE;
      const barShare = tile === 0 ? 0 : bar / tile;
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) {
        pixels[offset + c] = Math.round(BLUE[c] * (1 - barShare) + WHITE[c] * barShare);
      }
      pixels[offset + 3] = Math.round((255 * tile) / samples);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A PNG file (8-bit RGBA, no interlace) from raw RGBA pixels. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rowBytes = size * 4;
  const raw = Buffer.alloc((rowBytes + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (rowBytes + 1)] = 0; // filter: none
    rgba.copy(raw, y * (rowBytes + 1) + 1, y * rowBytes, (y + 1) * rowBytes);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of SIZES) {
  const file = path.join(__dirname, `icon-${size}.png`);
  fs.writeFileSync(file, encodePng(size, render(size)));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
