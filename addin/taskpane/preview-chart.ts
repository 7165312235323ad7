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

function label(x: number, y: number, anchor: string, text: string): SVGTextElement {
  const node = svg('text', { x, y, 'text-anchor': anchor, class: 'tick' });
  node.textContent = text;
  return node;
}

/** One series as drawn: its name, its chart type (its own, else the chart's), values and categories (x values). */
interface Plotted {
  name: string;
  type: string;
  values: number[];
  categories: unknown[];
}

const isScatter = (type: string) => type.startsWith('XYScatter');
const hasLine = (type: string) => type.startsWith('Line') || type.startsWith('XYScatterLines');
const hasMarkers = (type: string) => type === 'XYScatter' || type === 'XYScatterLines' || type === 'LineMarkers';

/**
 * A preview of the native Excel chart the add-in added: the same series (values, categories and
 * legend names as the chart holds them, and each series' own chart type), drawn as a small SVG
 * line, column or scatter chart, with where Excel puts it. A scatter puts its x values on a value
 * axis; the others put the first series' categories at equal steps.
 */
export function drawChart(view: WorkbookView, sheet: string, chart: ChartInfo): HTMLElement {
  const cells = (p: Place) =>
    Array.from({ length: p.rows * p.columns }, (_, i) => view.cell(sheet, p.row + (p.rows > 1 ? i : 0), p.column + (p.rows > 1 ? 0 : i)));
  const series: Plotted[] = chart.series.map((s) => {
    const values = cells(s.values).map((v) => (typeof v === 'number' ? v : NaN));
    return { name: s.name, type: s.chartType ?? chart.type, values, categories: s.categories ? cells(s.categories) : values.map((_, i) => i + 1) };
  });
  const scatter = isScatter(chart.type);
  const values = series.flatMap((s) => s.values).filter(Number.isFinite);
  const [min, max] = [Math.min(0, ...values), Math.max(0, ...values)];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - ((v - min) / (max - min || 1)) * plotH;
  const allX = series.flatMap((s) => s.categories.filter((c): c is number => typeof c === 'number'));
  const [xMin, xMax] = [Math.min(...allX), Math.max(...allX)];
  const categories = series[0]?.categories ?? [];
  const slot = plotW / Math.max(1, categories.length);
  const xOf = (s: Plotted, i: number) => (scatter ? PAD.left + ((Number(s.categories[i]) - xMin) / (xMax - xMin || 1)) * plotW : PAD.left + slot * (i + 0.5));
  const picture = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': `${chart.type === 'Line' ? 'Line' : scatter ? 'Scatter' : 'Column'} chart: ${chart.title}`,
    class: 'chart-svg',
  });
  picture.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0), class: 'axis' }));
  for (const v of [min, max]) picture.append(label(PAD.left - 4, y(v) + 4, 'end', Math.round(v).toLocaleString()));
  series.forEach((s, j) => {
    const colour = COLOURS[j % COLOURS.length];
    const points = s.values.map((v, i) => ({ v, px: xOf(s, i) })).filter((p) => Number.isFinite(p.v) && Number.isFinite(p.px));
    if (hasLine(s.type))
      picture.append(svg('polyline', { points: points.map((p) => `${p.px},${y(p.v)}`).join(' '), fill: 'none', stroke: colour, 'stroke-width': 1.5 }));
    if (hasMarkers(s.type)) for (const p of points) picture.append(svg('circle', { cx: p.px, cy: y(p.v), r: 2, fill: colour }));
    if (s.type.startsWith('Column')) {
      const barW = (slot * 0.8) / series.length;
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        const x = PAD.left + slot * i + slot * 0.1 + barW * j;
        picture.append(svg('rect', { x, y: Math.min(y(v), y(0)), width: Math.max(barW, 0.5), height: Math.abs(y(0) - y(v)), fill: colour }));
      });
    }
  });
  const text = (c: unknown) => (typeof c !== 'number' ? String(c) : scatter ? c.toLocaleString() : serialToText(c).slice(0, 10));
  const ends = scatter ? [xMin, xMax] : [categories[0], categories[categories.length - 1]];
  ends.forEach((c, k) => picture.append(label(k === 0 ? PAD.left : WIDTH - PAD.right, HEIGHT - 6, k === 0 ? 'start' : 'end', text(c))));
  const legend = el(
    'ul',
    { className: 'legend' },
    ...series.map((s, j) => el('li', { style: `--swatch: ${COLOURS[j % COLOURS.length]}`, title: s.name }, s.name)),
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
