import type { Model, ChartData, SheetData } from './model';
import { fail } from './errors';
import { boxOf } from './range';

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
      type,
      title: '',
      source: { row: b.row, column: b.column, rows: b.rows, columns: b.columns },
      position: { row: 0, column: 0, endRow: 7, endColumn: 14 },
      categoryType: 'Automatic',
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
