#!/usr/bin/env node
/*
 * Draws the add-in's icons and writes them as PNGs beside this script. Each is a white glyph on a
 * Fluent blue rounded tile:
 *   icon-16/32/64/80.png          the add-in and its ribbon group: a meter-reading bar chart
 *   icon-readings-16/32/80.png    "Get data" (opens the pane): the bar chart with a down arrow
 *   icon-refresh-16/32/80.png     "Refresh all": a circular arrow
 *   icon-invoice-16/32/80.png     "New invoice check": a page with a tick
 * Every ribbon button has its own picture, so they can be told apart at a glance (Office's
 * design guidance for add-in commands). Run it again only to change the design; the PNGs are
 * committed. PNG encoding uses only node:zlib, so no image package is needed.
 *
 *   node assets/make-icons.js
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const BLUE = [0x00, 0x78, 0xd4];
const WHITE = [0xff, 0xff, 0xff];
const SUPERSAMPLE = 4;

/** Shapes in unit coordinates (0..1): a rounded tile, and each icon's glyph inside it. */
function tileContains(x, y) {
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
const inBox = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** Three bars rising left to right on a baseline. */
function bars(x, y) {
  return inBox(x, y, 0.2, 0.55, 0.36, 0.8) || inBox(x, y, 0.42, 0.35, 0.58, 0.8) || inBox(x, y, 0.64, 0.18, 0.8, 0.8);
}

/** Two lower bars on the left, and a down arrow on the right: data coming in. */
function readings(x, y) {
  const arrowShaft = inBox(x, y, 0.64, 0.16, 0.76, 0.5);
  const arrowHead = y >= 0.48 && y <= 0.72 && Math.abs(x - 0.7) <= (0.72 - y) * 0.9;
  return inBox(x, y, 0.18, 0.5, 0.32, 0.8) || inBox(x, y, 0.38, 0.32, 0.52, 0.8) || arrowShaft || arrowHead || inBox(x, y, 0.18, 0.76, 0.82, 0.82);
}

/** A ring open at the top right, with an arrow head at its end: refresh. */
function refresh(x, y) {
  const dx = x - 0.5;
  const dy = y - 0.52;
  const r = Math.hypot(dx, dy);
  const angle = Math.atan2(dy, dx); // 0 at the right, -pi/2 at the top
  const ring = r >= 0.2 && r <= 0.3 && !(angle > -Math.PI / 2 && angle < -Math.PI / 8);
  // The arrow head points clockwise at the top of the ring.
  const head = y >= 0.1 && y <= 0.36 && x >= 0.5 && x <= 0.5 + (0.13 - Math.abs(y - 0.23)) * 1.4;
  return ring || head;
}

/** A page with a folded corner and a tick: an invoice checked. */
function invoice(x, y) {
  const page = inBox(x, y, 0.24, 0.14, 0.76, 0.86) && !(x > 0.6 && y < 0.14 + (x - 0.6));
  const inner = inBox(x, y, 0.31, 0.21, 0.69, 0.79) && !(x > 0.55 && y < 0.3 + (x - 0.55));
  const outline = page && !inner;
  const distanceToSegment = (ax, ay, bx, by) => {
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
  };
  const tick = distanceToSegment(0.37, 0.52, 0.47, 0.64) <= 0.05 || distanceToSegment(0.47, 0.64, 0.64, 0.4) <= 0.05;
  return outline || tick;
}

const ICONS = [
  { prefix: 'icon', glyph: bars, sizes: [16, 32, 64, 80] },
  { prefix: 'icon-readings', glyph: readings, sizes: [16, 32, 80] },
  { prefix: 'icon-refresh', glyph: refresh, sizes: [16, 32, 80] },
  { prefix: 'icon-invoice', glyph: invoice, sizes: [16, 32, 80] },
];

/** RGBA pixels for one size, anti-aliased by supersampling each pixel. */
function render(size, glyph) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let mark = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          if (tileContains(x, y)) {
            tile++;
            if (glyph(x, y)) mark++;
          }
        }
      }
      const samples = SUPERSAMPLE * SUPERSAMPLE;
      const share = tile === 0 ? 0 : mark / tile;
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) {
        pixels[offset + c] = Math.round(BLUE[c] * (1 - share) + WHITE[c] * share);
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

for (const { prefix, glyph, sizes } of ICONS) {
  for (const size of sizes) {
    const file = path.join(__dirname, `${prefix}-${size}.png`);
    fs.writeFileSync(file, encodePng(size, render(size, glyph)));
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
