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
 * committed. Drawing and PNG encoding are assets/tile-icon.js's (node:zlib only, no image package).
 *
 *   node assets/make-icons.js
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { drawTileIcon } = require('./tile-icon');

const BLUE = [0x00, 0x78, 0xd4];
const WHITE = [0xff, 0xff, 0xff];

// Each icon's glyph: whether a point of its tile, in unit coordinates (0..1, y down), is in it.
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

for (const { prefix, glyph, sizes } of ICONS) {
  for (const size of sizes) {
    const file = path.join(__dirname, `${prefix}-${size}.png`);
    fs.writeFileSync(file, drawTileIcon(size, { radius: 0.18, background: BLUE, foreground: WHITE, glyph }));
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
