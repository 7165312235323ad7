import { cellKey, type Model, type ChartData, type SheetData, type Box, type SeriesData } from './model';
import { fail } from './errors';
import { boxOf } from './range';

/**
 * The chart types the model draws (Excel.ChartType's names). Excel has many more; a type outside
 * this list fails here rather than being drawn as something else.
 */
const CHART_TYPES = ['Line', 'LineMarkers', 'ColumnClustered', 'XYScatter', 'XYScatterLines', 'XYScatterLinesNoMarkers'];

function checkType(type: string): string {
  if (!CHART_TYPES.includes(type)) fail('InvalidArgument', `'${type}' is not a chart type this workbook draws (${CHART_TYPES.join(', ')}).`);
  return type;
}

/** Series by columns, as Excel's Insert Chart makes them: first column the categories (or x values), header row the names. */
function seriesOfSource(b: Box, type: string): SeriesData[] {
  const column = (j: number): Box => ({ sheet: b.sheet, row: b.row + 1, column: b.column + j, rows: b.rows - 1, columns: 1 });
  const header = (j: number): string => String(b.sheet.cells.get(cellKey(b.row, b.column + j))?.value ?? `Series${j}`);
  if (b.columns === 1) return [{ name: header(0), chartType: type, values: column(0) }];
  return Array.from({ length: b.columns - 1 }, (_, j) => ({ name: header(j + 1), chartType: type, values: column(j + 1), xValues: column(0) }));
}

/** A series' values or x values: one row or one column of cells (Excel refuses a block). */
function seriesCells(value: unknown, what: string): () => Box {
  const box = boxOf(value, what);
  return () => {
    const b = box();
    if (b.rows > 1 && b.columns > 1) fail('InvalidArgument', `${what} needs one row or one column of cells.`);
    return b;
  };
}

/** Excel.ChartSeries (ExcelApi 1.7): values, x values, name and its own chart type. */
function seriesProxy(model: Model, series: () => SeriesData): Record<string, unknown> {
  const batch = model.batch;
  const proxy: Record<string, unknown> = {
    setValues: (range: unknown) => {
      const cells = seriesCells(range, 'setValues');
      batch.enqueue(() => void (series().values = cells()));
    },
    setXAxisValues: (range: unknown) => {
      const cells = seriesCells(range, 'setXAxisValues');
      batch.enqueue(() => void (series().xValues = cells()));
    },
  };
  Object.defineProperty(proxy, 'chartType', { enumerable: true, set: (type: string) => batch.enqueue(() => void (series().chartType = checkType(type))) });
  Object.defineProperty(proxy, 'name', { enumerable: true, set: (name: string) => batch.enqueue(() => void (series().name = String(name))) });
  return proxy;
}

/** Worksheet.charts.add: a chart over a range of its sheet, titled and placed when the batch runs. */
export function chartProxy(model: Model, sheet: () => SheetData, type: string, source: unknown, seriesBy?: string): Record<string, unknown> {
  const sourceBox = boxOf(source, 'charts.add');
  const batch = model.batch;
  let created: ChartData | undefined;
  batch.enqueue(() => {
    const b = sourceBox();
    if (b.sheet !== sheet()) fail('InvalidArgument', 'The chart data is on another worksheet.');
    if (seriesBy !== undefined && seriesBy !== 'Columns' && seriesBy !== 'Auto') fail('InvalidArgument', `Series by ${seriesBy} is not supported here.`);
    created = {
      sheet: b.sheet,
      type: checkType(type),
      title: '',
      source: { row: b.row, column: b.column, rows: b.rows, columns: b.columns },
      position: { row: 0, column: 0, endRow: 7, endColumn: 14 },
      categoryType: 'Automatic',
      series: seriesOfSource(b, type),
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
  // ChartSeriesCollection (ExcelApi 1.7): add(name) appends a series with no values until setValues.
  const series = {
    add: (name?: string) => {
      let added: SeriesData | undefined;
      batch.enqueue(() => {
        added = { name: name ?? `Series${chart().series.length + 1}`, chartType: chart().type };
        chart().series.push(added);
      });
      return seriesProxy(model, () => added ?? fail('ItemNotFound', 'The series does not exist.'));
    },
    getItemAt: (index: number) => seriesProxy(model, () => chart().series[index] ?? fail('InvalidArgument', `The chart has no series ${index}.`)),
  };
  return {
    title,
    axes: { categoryAxis },
    series,
    legend: Object.defineProperty({}, 'position', { enumerable: true, set: () => undefined }),
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
