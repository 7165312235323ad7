/**
 * A native Excel chart beside a pulled table (Worksheet.charts.add, ExcelApi 1.1): a line for
 * time series, clustered columns for consumption per day, week, month... The chart reads the
 * table's cells, so it follows the table when Refresh all rewrites them.
 */

/** Columns and rows the chart covers on the sheet, beside the table. */
const CHART_COLUMNS = 8;
const CHART_ROWS = 16;

export interface ChartSpec {
  type: 'line' | 'columns';
  title: string;
  /** The table's header row and data: its first column (times) and the figures beside it. */
  source: Excel.Range;
  /**
   * True for half-hourly and hourly figures. A line or column chart over date-time categories gets
   * a date axis whose smallest unit is a day, which would stack a day's 48 half-hours on one
   * point; a text axis (ExcelApi 1.7) gives each interval its own place.
   */
  subDaily: boolean;
  /** Zero-based top-left cell the chart is placed at. */
  row: number;
  column: number;
}

/** Office.js's names of the chart types (strings, so this runs where the Excel enums are not loaded). */
const CHART_TYPES = { line: 'Line', columns: 'ColumnClustered' } as const;

/** Adds the chart to `sheet`; it takes effect at the caller's next sync. */
export function addTableChart(sheet: Excel.Worksheet, spec: ChartSpec): Excel.Chart {
  const chart = sheet.charts.add(CHART_TYPES[spec.type], spec.source, 'Columns');
  chart.title.text = spec.title;
  chart.legend.position = 'Bottom';
  if (spec.subDaily) chart.axes.categoryAxis.categoryType = 'TextAxis';
  const topLeft = sheet.getRangeByIndexes(spec.row, spec.column, 1, 1);
  const bottomRight = sheet.getRangeByIndexes(spec.row + CHART_ROWS - 1, spec.column + CHART_COLUMNS - 1, 1, 1);
  chart.setPosition(topLeft, bottomRight);
  return chart;
}
