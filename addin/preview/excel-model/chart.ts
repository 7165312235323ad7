import { fail } from './errors';
import { cellKey, type ChartData, type Model, type Place, type SeriesInfo, type SheetData } from './model';
import { boxOf } from './range';

/**
 * Worksheet.charts.add and what the add-in sets on a chart: title, legend, category axis type,
 * position, and its series (ChartSeriesCollection.add, getItemAt; ChartSeries name, setValues,
 * setXAxisValues, chartType, ExcelApi 1.7; axisGroup, ExcelApi 1.8).
 */
export function chartProxy(model: Model, sheet: () => SheetData, type: string, source: unknown, seriesBy?: string): Record<string, unknown> {
  const sourceBox = boxOf(source, 'charts.add');
  const batch = model.batch;
  let created: ChartData | undefined;
  batch.enqueue(() => {
    const b = sourceBox();
    if (b.sheet !== sheet()) fail('InvalidArgument', 'The chart data is on another worksheet.');
    if (seriesBy !== undefined && seriesBy !== 'Columns' && seriesBy !== 'Auto') fail('InvalidArgument', `Series by ${seriesBy} is not supported here.`);
    const place = { row: b.row, column: b.column, rows: b.rows, columns: b.columns };
    created = {
      sheet: b.sheet,
      type,
      title: '',
      source: place,
      position: { row: 0, column: 0, endRow: 7, endColumn: 14 },
      categoryType: 'Automatic',
      series: guessSeries(b.sheet, place),
    };
    model.charts.push(created);
  });
  const chart = () => created ?? fail('ItemNotFound', 'The chart does not exist.');
  const title = Object.defineProperty({}, 'text', { enumerable: true, set: (text: string) => batch.enqueue(() => void (chart().title = text)) });
  const categoryAxis = Object.defineProperty({}, 'categoryType', {
    enumerable: true,
    set: (type: string) => {
      if (type !== 'Automatic' && type !== 'TextAxis' && type !== 'DateAxis') fail('InvalidArgument', `'${type}' is not a category axis type.`);
      batch.enqueue(() => void (chart().categoryType = type));
    },
  });
  return {
    title,
    axes: { categoryAxis },
    legend: Object.defineProperty({}, 'position', { enumerable: true, set: () => undefined }),
    series: seriesCollection(model, chart, sheet),
    setPosition: (start: unknown, end?: unknown) => {
      const from = boxOf(start, 'setPosition');
      const to = end === undefined ? from : boxOf(end, 'setPosition');
      batch.enqueue(() => {
        const a = from();
        const z = to();
        chart().position = { row: a.row, column: a.column, endRow: z.row + z.rows - 1, endColumn: z.column + z.columns - 1 };
      });
    },
  };
}

/**
 * The series Excel makes of a source by columns, as it guesses them: a header row of text names
 * the series; the first column holds the categories only when the top-left cell is empty or the
 * column holds text (a column of dates under a header is a series of its own). The add-in does
 * not rely on the guess: it sets each series' values and categories itself.
 */
function guessSeries(sheet: SheetData, b: Place): SeriesInfo[] {
  const at = (row: number, column: number) => sheet.cells.get(cellKey(row, column))?.value ?? '';
  const named = b.rows > 1 && Array.from({ length: b.columns }, (_, j) => at(b.row, b.column + j)).some((v) => typeof v === 'string' && v !== '');
  const top = named ? 1 : 0;
  const firstColumnText = Array.from({ length: b.rows - top }, (_, i) => at(b.row + top + i, b.column)).some((v) => typeof v === 'string' && v !== '');
  const categoriesFirst = b.columns > 1 && (at(b.row, b.column) === '' || firstColumnText);
  const categories = categoriesFirst ? { row: b.row + top, column: b.column, rows: b.rows - top, columns: 1 } : undefined;
  const first = categoriesFirst ? 1 : 0;
  return Array.from({ length: b.columns - first }, (_, j) => ({
    name: named ? String(at(b.row, b.column + first + j)) : `Series${j + 1}`,
    values: { row: b.row + top, column: b.column + first + j, rows: b.rows - top, columns: 1 },
    categories,
    axisGroup: 'Primary' as const,
  }));
}

function seriesCollection(model: Model, chart: () => ChartData, sheet: () => SheetData): Record<string, unknown> {
  const batch = model.batch;
  return {
    getItemAt: (index: number) =>
      seriesProxy(model, sheet, () => chart().series[index] ?? fail('ItemNotFound', `The chart has no series at position ${index}.`)),
    add: (name?: string) => {
      let added: SeriesInfo | undefined;
      batch.enqueue(() => {
        added = { name: name ?? `Series${chart().series.length + 1}`, values: { row: 0, column: 0, rows: 0, columns: 0 }, axisGroup: 'Primary' };
        chart().series.push(added);
      });
      return seriesProxy(model, sheet, () => added ?? fail('ItemNotFound', 'The series does not exist.'));
    },
  };
}

/**
 * The series chart types the preview draws (Excel.ChartType's names; Excel has many more): lines
 * with or without markers, columns, and scatter points with or without lines.
 */
const SERIES_CHART_TYPES = ['Line', 'LineMarkers', 'ColumnClustered', 'XYScatter', 'XYScatterLines', 'XYScatterLinesNoMarkers'];

function seriesProxy(model: Model, sheet: () => SheetData, series: () => SeriesInfo): Record<string, unknown> {
  const batch = model.batch;
  const placeOf = (range: unknown, what: string) => {
    const box = boxOf(range, what);
    return (): Place => {
      const b = box();
      if (b.sheet !== sheet()) fail('InvalidArgument', `${what}: the range is on another worksheet.`);
      if (b.rows !== 1 && b.columns !== 1) fail('InvalidArgument', `${what} takes one row or one column.`);
      return { row: b.row, column: b.column, rows: b.rows, columns: b.columns };
    };
  };
  const proxy: Record<string, unknown> = {
    setValues: (range: unknown) => {
      const place = placeOf(range, 'setValues');
      batch.enqueue(() => void (series().values = place()));
    },
    setXAxisValues: (range: unknown) => {
      const place = placeOf(range, 'setXAxisValues');
      batch.enqueue(() => void (series().categories = place()));
    },
  };
  Object.defineProperty(proxy, 'name', { enumerable: true, set: (name: string) => batch.enqueue(() => void (series().name = name)) });
  Object.defineProperty(proxy, 'chartType', {
    enumerable: true,
    set: (type: string) => {
      if (!SERIES_CHART_TYPES.includes(type))
        fail('InvalidArgument', `'${type}' is not a series chart type this workbook draws (${SERIES_CHART_TYPES.join(', ')}).`);
      batch.enqueue(() => void (series().chartType = type));
    },
  });
  Object.defineProperty(proxy, 'axisGroup', {
    enumerable: true,
    set: (group: string) => {
      if (group !== 'Primary' && group !== 'Secondary') fail('InvalidArgument', `'${group}' is not a chart axis group.`);
      batch.enqueue(() => void (series().axisGroup = group));
    },
  });
  return proxy;
}
