/**
 * Writes a monitoring-and-targeting table (query/analysis-tables.ts) on a new sheet and draws its
 * native charts beside it: a line chart of the typical day (weekday and weekend over the 48
 * half-hours), and for CUSUM a scatter of consumption against degree days (baseline and report
 * period as points, the performance line as a line) and a line chart of the CUSUM over time.
 * Series beyond what charts.add makes use the series API (ExcelApi 1.7).
 */
import { CUSUM_COLUMNS, type AnalysisTable } from '../query/analysis-tables';
import { addSheet, uniqueTableName } from './new-tables';

const CHART_COLUMNS = 8;
const CHART_ROWS = 16;

interface Written {
  sheet: Excel.Worksheet;
  /** Zero-based column the charts start at, one after the table. */
  chartColumn: number;
  /** A column's data cells (below the header), rows `from` to `from + count - 1` of the data. */
  column: (index: number, from?: number, count?: number) => Excel.Range;
}

/** The table on a new sheet, at A1 (header row, then data), as an Excel table. */
async function writeTable(context: Excel.RequestContext, sheetName: string, tableBase: string, table: AnalysisTable): Promise<Written> {
  const sheet = await addSheet(context, sheetName);
  const name = await uniqueTableName(context, tableBase);
  const all = sheet.getRangeByIndexes(0, 0, table.rows.length + 1, table.headers.length);
  all.values = [table.headers, ...table.rows];
  table.formats.forEach((format, j) => {
    if (format !== '') sheet.getRangeByIndexes(1, j, table.rows.length, 1).numberFormat = table.rows.map(() => [format]);
  });
  const excelTable = sheet.tables.add(all, true);
  excelTable.name = name;
  sheet.activate();
  const column = (index: number, from = 0, count = table.rows.length - from) => sheet.getRangeByIndexes(1 + from, index, count, 1);
  return { sheet, chartColumn: table.headers.length + 1, column };
}

function place(sheet: Excel.Worksheet, chart: Excel.Chart, row: number, column: number): void {
  chart.setPosition(sheet.getRangeByIndexes(row, column, 1, 1), sheet.getRangeByIndexes(row + CHART_ROWS - 1, column + CHART_COLUMNS - 1, 1, 1));
}

/** The typical day: its table, and a line chart of weekday and weekend demand over the 48 half-hours. */
export async function writeTypicalDay(context: Excel.RequestContext, sourceId: string, table: AnalysisTable): Promise<string> {
  const { sheet, chartColumn } = await writeTable(context, `Typical day ${sourceId}`, `DCS_TypicalDay_${sourceId}`, table);
  // Time, Weekday, Weekend: the times are text, so they are the categories of a text axis.
  const chart = sheet.charts.add('Line', sheet.getRangeByIndexes(0, 0, table.rows.length + 1, 3), 'Columns');
  chart.title.text = table.title;
  chart.legend.position = 'Bottom';
  chart.axes.categoryAxis.categoryType = 'TextAxis';
  place(sheet, chart, 0, chartColumn);
  sheet.load('name');
  await context.sync();
  return sheet.name;
}

/** The CUSUM report: its table, the scatter with the performance line, and the CUSUM over time. */
export async function writeCusum(context: Excel.RequestContext, sourceId: string, table: AnalysisTable & { baselineRows: number }): Promise<string> {
  const { sheet, chartColumn, column } = await writeTable(context, `CUSUM ${sourceId}`, `DCS_CUSUM_${sourceId}`, table);
  const c = CUSUM_COLUMNS;
  const baseline = table.baselineRows;
  const report = table.rows.length - baseline;
  // Consumption's header and baseline rows make one series (no guess about which column is x);
  // its x values, and every other series, are set explicitly.
  const scatter = sheet.charts.add('XYScatter', sheet.getRangeByIndexes(0, c.consumption, baseline + 1, 1), 'Columns');
  scatter.title.text = 'Consumption against degree days';
  scatter.legend.position = 'Bottom';
  const first = scatter.series.getItemAt(0);
  first.name = 'Baseline';
  first.setXAxisValues(column(c.degreeDays, 0, baseline));
  if (report > 0) {
    const later = scatter.series.add('Report period');
    later.setXAxisValues(column(c.degreeDays, baseline, report));
    later.setValues(column(c.consumption, baseline, report));
  }
  const line = scatter.series.add('Performance line');
  line.setXAxisValues(column(c.degreeDays, 0, baseline));
  line.setValues(column(c.expected, 0, baseline));
  line.chartType = 'XYScatterLinesNoMarkers';
  place(sheet, scatter, 0, chartColumn);

  const cusum = sheet.charts.add('Line', sheet.getRangeByIndexes(0, c.cusum, table.rows.length + 1, 1), 'Columns');
  cusum.title.text = 'CUSUM: running sum of consumption − expected';
  cusum.legend.position = 'Bottom';
  cusum.series.getItemAt(0).setXAxisValues(column(c.start));
  place(sheet, cusum, CHART_ROWS + 1, chartColumn);
  sheet.load('name');
  await context.sync();
  return sheet.name;
}
