/**
 * Native Excel charts beside a pulled table (Worksheet.charts.add, ExcelApi 1.1; series set one by
 * one, ExcelApi 1.7): a line for time series, clustered columns for consumption per day, week,
 * month... The charts read the table's cells, so they follow the table when Refresh all rewrites
 * them.
 *
 * Figures in different units never share a value axis: kWh of consumption and kW of demand
 * differ by orders of magnitude and mean different things, so each unit gets a chart of its own,
 * stacked below the first. (A secondary axis would take two units at most; a chart per unit takes
 * any number.) Each series is set explicitly (values, categories, a short legend name) rather than
 * left to Excel's guess of which column holds the categories.
 */

/** Columns and rows one chart covers on the sheet, beside the table. */
const CHART_COLUMNS = 8;
const CHART_ROWS = 16;

/** One charted column of the table. */
export interface ChartSeriesSpec {
  /** The column's data rows (no header). */
  values: Excel.Range;
  /** The legend name: short (the column's header), not the title line's description. */
  name: string;
  /** "" for a ratio (load factor). */
  unit: string;
}

export interface ChartSpec {
  type: 'line' | 'columns';
  title: string;
  /** The time column's data rows: every series' categories. */
  categories: Excel.Range;
  series: ChartSeriesSpec[];
  /**
   * True for half-hourly and hourly figures. A line or column chart over date-time categories gets
   * a date axis whose smallest unit is a day, which would stack a day's 48 half-hours on one
   * point; a text axis (ExcelApi 1.7) gives each interval its own place.
   */
  subDaily: boolean;
  /** Zero-based top-left cell the first chart is placed at. */
  row: number;
  column: number;
}

/** Office.js's names of the chart types (strings, so this runs where the Excel enums are not loaded). */
const CHART_TYPES = { line: 'Line', columns: 'ColumnClustered' } as const;

/** The series grouped by unit, in the order the units first appear. */
export function seriesByUnit(series: readonly ChartSeriesSpec[]): Array<{ unit: string; series: ChartSeriesSpec[] }> {
  const groups = new Map<string, ChartSeriesSpec[]>();
  for (const s of series) groups.set(s.unit, [...(groups.get(s.unit) ?? []), s]);
  return [...groups].map(([unit, members]) => ({ unit, series: members }));
}

/** Adds one chart per unit to `sheet`; they take effect at the caller's next sync. Returns how many. */
export function addTableCharts(sheet: Excel.Worksheet, spec: ChartSpec): number {
  const groups = seriesByUnit(spec.series);
  groups.forEach((group, g) => {
    const [first, ...rest] = group.series;
    const chart = sheet.charts.add(CHART_TYPES[spec.type], first.values, 'Columns');
    const title = groups.length > 1 && group.unit ? `${spec.title} (${group.unit})` : spec.title;
    chart.title.text = title;
    chart.legend.position = 'Bottom';
    const firstSeries = chart.series.getItemAt(0);
    firstSeries.name = first.name;
    firstSeries.setXAxisValues(spec.categories);
    for (const s of rest) {
      const added = chart.series.add(s.name);
      added.setValues(s.values);
      added.setXAxisValues(spec.categories);
    }
    if (spec.subDaily) chart.axes.categoryAxis.categoryType = 'TextAxis';
    const top = spec.row + g * (CHART_ROWS + 1);
    const topLeft = sheet.getRangeByIndexes(top, spec.column, 1, 1);
    const bottomRight = sheet.getRangeByIndexes(top + CHART_ROWS - 1, spec.column + CHART_COLUMNS - 1, 1, 1);
    chart.setPosition(topLeft, bottomRight);
  });
  return groups.length;
}
