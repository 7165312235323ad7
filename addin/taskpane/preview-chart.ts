import { columnLetters, type ChartInfo, type Place, type WorkbookView } from '../preview/memory-excel';
import { serialToText } from '../excel/dates';
import { el } from './dom';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const HEIGHT = 170;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };
/** Fluent's data-visualisation palette order, readable on light and dark backgrounds. */
const COLOURS = ['#0f6cbd', '#e3008c', '#2aa0a4', '#f7630c', '#8764b8', '#498205', '#c239b3', '#986f0b'];

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/**
 * A preview of the native Excel chart the add-in added: the same series (values, categories and
 * legend names as the chart holds them), drawn as a small SVG line or column chart, with
 * where Excel puts it.
 */
export function drawChart(view: WorkbookView, sheet: string, chart: ChartInfo): HTMLElement {
  const cells = (p: Place) =>
    Array.from({ length: p.rows * p.columns }, (_, i) => view.cell(sheet, p.row + (p.rows > 1 ? i : 0), p.column + (p.rows > 1 ? 0 : i)));
  const names = chart.series.map((s) => s.name);
  const series = chart.series.map((s) => cells(s.values).map((v) => (typeof v === 'number' ? v : NaN)));
  const first = chart.series[0];
  const categories = first?.categories ? cells(first.categories) : (series[0] ?? []).map((_, i) => i + 1);
  const values = series.flat().filter(Number.isFinite);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - ((v - min) / (max - min || 1)) * plotH;
  const slot = plotW / Math.max(1, categories.length);
  const picture = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': `${chart.type === 'Line' ? 'Line' : 'Column'} chart: ${chart.title}`,
    class: 'chart-svg',
  });
  picture.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0), class: 'axis' }));
  for (const v of [min, max]) {
    const label = svg('text', { x: PAD.left - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' });
    label.textContent = Math.round(v).toLocaleString();
    picture.append(label);
  }
  series.forEach((points, j) => {
    const colour = COLOURS[j % COLOURS.length];
    if (chart.type === 'Line') {
      const path = points
        .map((v, i) => (Number.isFinite(v) ? `${PAD.left + slot * (i + 0.5)},${y(v)}` : ''))
        .filter(Boolean)
        .join(' ');
      picture.append(svg('polyline', { points: path, fill: 'none', stroke: colour, 'stroke-width': 1.5 }));
    } else {
      const barW = (slot * 0.8) / series.length;
      points.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        const x = PAD.left + slot * i + slot * 0.1 + barW * j;
        picture.append(svg('rect', { x, y: Math.min(y(v), y(0)), width: Math.max(barW, 0.5), height: Math.abs(y(0) - y(v)), fill: colour }));
      });
    }
  });
  const ends = [categories[0], categories[categories.length - 1]].map((c) => (typeof c === 'number' ? serialToText(c).slice(0, 10) : String(c)));
  ends.forEach((text, k) => {
    const label = svg('text', { x: k === 0 ? PAD.left : WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': k === 0 ? 'start' : 'end', class: 'tick' });
    label.textContent = text;
    picture.append(label);
  });
  const legend = el(
    'ul',
    { className: 'legend' },
    ...names.map((name, j) => el('li', { style: `--swatch: ${COLOURS[j % COLOURS.length]}`, title: name }, name)),
  );
  const where = `${columnLetters(chart.position.column)}${chart.position.row + 1}:${columnLetters(chart.position.endColumn)}${chart.position.endRow + 1}`;
  return el(
    'figure',
    { className: 'chart', 'data-chart-type': chart.type },
    el('figcaption', {}, el('strong', {}, chart.title), el('span', { className: 'muted small' }, ` In Excel: a native chart over ${where}.`)),
    picture,
    legend,
  );
}
