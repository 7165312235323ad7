import { Batch, clientResult, loadable, nullable } from './batch';
import { fail } from './errors';
import { DAYS_1900_TO_1904, emptySheet, findTableByKey, type Box, type Model } from './model';
import { rangeProxy } from './range';
import { settingCollection } from './settings';
import { computeTotals } from './table-totals';
import { tableProxyOf, worksheetCollection } from './worksheet';
import { workbookView, type WorkbookView } from './view';

export interface MemoryExcelOptions {
  firstSheet?: string;
  /** The workbook uses the 1904 date system (Excel > Options > Advanced; old Mac workbooks). */
  date1904?: boolean;
}

export interface MemoryExcel {
  /** Pass as the Excel.RequestContext (cast): `{ workbook, sync }`. */
  context: { workbook: Record<string, unknown>; sync: () => Promise<void> };
  view: WorkbookView;
  /** Excel.run's contract: run the batch function, then sync what it left queued. Options as Excel.run's. */
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  run<T>(options: { delayForCellEdit?: boolean }, batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
}

/** A new workbook with one empty sheet. */
export function createMemoryExcel(options: MemoryExcelOptions = {}): MemoryExcel {
  const first = emptySheet(options.firstSheet ?? 'Sheet1');
  const model: Model = {
    date1904: options.date1904 === true,
    sheets: [first],
    tables: [],
    charts: [],
    settings: new Map(),
    calculations: [],
    active: first,
    activeCell: { row: 0, column: 0 },
    nextTableId: 1,
    batch: new Batch(),
  };
  const workbook = workbookProxy(model);
  // Excel recalculates the total rows' SUBTOTALs after a change; the model does it after each sync.
  model.batch.onChange(() => model.tables.forEach(computeTotals));
  return {
    context: { workbook, sync: () => model.batch.sync() },
    view: workbookView(model),
    async run<T>(
      firstArgument: { delayForCellEdit?: boolean } | ((context: Excel.RequestContext) => Promise<T>),
      second?: (context: Excel.RequestContext) => Promise<T>,
    ): Promise<T> {
      const batch = typeof firstArgument === 'function' ? firstArgument : second!;
      const runOptions = typeof firstArgument === 'function' ? {} : firstArgument;
      const runContext = { workbook, sync: () => model.batch.sync(runOptions) };
      const result = await batch(runContext as unknown as Excel.RequestContext);
      await runContext.sync();
      return result;
    },
  };
}

/** Excel.Workbook: the collections (methods only), the application and worksheet functions. */
function workbookProxy(model: Model): Record<string, unknown> {
  const batch = model.batch;
  const tables = {
    getItem: (name: string) => tableProxyOf(model, () => findTableByKey(model, name) ?? fail('ItemNotFound', `There is no table named '${name}'.`)),
    getItemOrNullObject: (name: string) =>
      nullable(
        tableProxyOf(model, () => findTableByKey(model, name)),
        () => findTableByKey(model, name) !== undefined,
        batch,
      ),
    getCount: () => clientResult(() => model.tables.length, batch),
    getItemAt: (index: number) => tableProxyOf(model, () => model.tables[index] ?? fail('ItemNotFound', `There is no table at position ${index}.`)),
  };
  const application = {
    suspendApiCalculationUntilNextSync: () => undefined,
    /** Recalculates every open workbook in real Excel; recorded here. */
    calculate: (type: string) => batch.enqueue(() => void model.calculations.push(`application:${type}`)),
  };
  /** Worksheet functions (ExcelApi 1.2); DATE() follows the workbook's date system. */
  const functions = {
    date: (year: number, month: number, day: number) => {
      const serial = () => Date.UTC(year, month - 1, day) / 86_400_000 + 25_569 - (model.date1904 ? DAYS_1900_TO_1904 : 0);
      return loadable({}, 'FunctionResult', { value: serial, error: () => null }, batch);
    },
  };
  const getActiveCell = () => {
    let box: Box | undefined;
    batch.enqueue(() => void (box = { sheet: model.active, row: model.activeCell.row, column: model.activeCell.column, rows: 1, columns: 1 }));
    return rangeProxy(model, () => box);
  };
  return { worksheets: worksheetCollection(model), tables, settings: settingCollection(model.settings, batch), application, functions, getActiveCell };
}
