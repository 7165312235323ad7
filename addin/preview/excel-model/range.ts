import { boxAddress } from './addresses';
import { loadable, loadNames, markNullObject, type Batch } from './batch';
import { fail } from './errors';
import { conditionalFormats, rangeFormat } from './range-format';
import { cellsIn, checkShape, clearCells, copyCells, eachCell, itemAt, readFormulas, readValues, styleCell, usedBox, writeValues, type CopyType } from './grid';
import { checkBox, type Box, type Cell, type Model } from './model';

/** Excel.Range over a box of cells that `locate` finds when a batch runs. */

export type RangeProxy = Record<string, unknown>;

/** The box behind each range proxy: how other proxies (tables.add, resize, charts.add) read a Range argument. */
const ranges = new WeakMap<object, () => Box>();

/** The box of a Range from this workbook, found when the batch runs; fails as Excel would for anything else. */
export function boxOf(value: unknown, what: string): () => Box {
  const box = typeof value === 'object' && value !== null ? ranges.get(value) : undefined;
  return box ?? fail('InvalidArgument', `${what} needs a Range from this workbook.`);
}

export function rangeProxy(model: Model, locate: () => Box | undefined): RangeProxy {
  const box = () => checkBox(model, locate() ?? fail('InvalidReference', 'This range does not exist.'));
  const range: RangeProxy = {};
  ranges.set(range, box);
  defineContents(range, model, box);
  range.format = rangeFormat(model.batch, box);
  range.conditionalFormats = conditionalFormats(model.batch, box);
  range.calculate = () => model.batch.enqueue(() => void model.calculations.push(`range:${boxAddress(box())}`));
  range.copyFrom = (source: unknown, copyType?: string) => copyFrom(model, box, boxOf(source, 'copyFrom'), copyType);
  range.clear = (applyTo?: string) => model.batch.enqueue(() => clearCells(box(), applyTo));
  range.getResizedRange = (deltaRows: number, deltaColumns: number) =>
    rangeProxy(model, () => {
      const b = box();
      return { ...b, rows: b.rows + deltaRows, columns: b.columns + deltaColumns };
    });
  range.getUsedRangeOrNullObject = (valuesOnly?: boolean) => usedRange(model, box, valuesOnly === true);
  range.getSpecialCellsOrNullObject = (cellType: string) => specialCells(model.batch, locate, cellType);
  return range;
}

/**
 * values, formulas and numberFormat: 2-D properties written on sync (checked against the range's
 * shape, as Excel does), values and formulas loadable like the range's position.
 */
function defineContents(range: RangeProxy, model: Model, box: () => Box): void {
  const batch = model.batch;
  const loaded: { values?: Cell[][]; formulas?: Cell[][] } = {};
  const grid = (name: 'values' | 'formulas' | 'numberFormat', apply: (b: Box, rows: unknown[][]) => void) =>
    Object.defineProperty(range, name, {
      enumerable: true,
      configurable: true,
      set(data: unknown) {
        batch.countBytes(data);
        batch.enqueue(() => {
          const b = box();
          apply(b, checkShape(b, data, name));
        });
      },
      get:
        name === 'numberFormat'
          ? undefined
          : () =>
              loaded[name] ??
              fail('PropertyNotLoaded', `The property '${name}' of Range is not available. Before reading it, call load() on the object and sync().`),
    });
  const enter = (b: Box, rows: unknown[][]) => writeValues(b, rows, { entered: true, date1904: model.date1904 });
  grid('values', enter);
  grid('formulas', enter);
  grid('numberFormat', (b, rows) => eachCell(b, (r, c, i, j) => styleCell(b.sheet, r, c, { format: String(itemAt(rows, i, j)) })));
  const position = {
    address: () => boxAddress(box()),
    rowIndex: () => box().row,
    columnIndex: () => box().column,
    rowCount: () => box().rows,
    columnCount: () => box().columns,
  };
  loadable(range, 'Range', position, batch);
  const loadPosition = range.load as (what?: string | string[]) => unknown;
  range.load = (what?: string | string[]) => {
    const names = loadNames(what, [...Object.keys(position), 'values', 'formulas']);
    if (names.includes('values')) batch.enqueue(() => void (loaded.values = readValues(box())));
    if (names.includes('formulas')) batch.enqueue(() => void (loaded.formulas = readFormulas(box())));
    const rest = names.filter((n) => n !== 'values' && n !== 'formulas');
    if (rest.length > 0) loadPosition(rest);
    return range;
  };
}

/**
 * Range.copyFrom, as documented: 'All' (the default) copies values, formulas and formats;
 * 'Values' the values; 'Formulas' the formulas (values where there is none); 'Formats' the
 * looks. Copies are not parsed as entered text. (The model does not shift relative references in
 * copied formulas; the add-in copies none that have any.)
 */
function copyFrom(model: Model, box: () => Box, source: () => Box, copyType: string = 'All'): void {
  if (!['All', 'Values', 'Formulas', 'Formats'].includes(copyType)) fail('InvalidArgument', `copyFrom type ${copyType} is not a RangeCopyType.`);
  model.batch.enqueue(() => {
    const from = source();
    const to = box();
    const target = to.rows === 1 && to.columns === 1 ? { ...to, rows: from.rows, columns: from.columns } : to;
    if (target.rows !== from.rows || target.columns !== from.columns) {
      fail('InvalidArgument', `copyFrom: the destination (${target.rows} x ${target.columns}) does not match the source (${from.rows} x ${from.columns}).`);
    }
    copyCells(from, checkBox(model, target), copyType as CopyType);
  });
}

/** Range.getUsedRangeOrNullObject: the used part of the range, found when the batch runs. */
export function usedRange(model: Model, box: () => Box, valuesOnly: boolean): RangeProxy {
  let found: Box | undefined;
  let resolved = false;
  const used = rangeProxy(model, () => found);
  markNullObject(used, () => found === undefined);
  model.batch.enqueue(() => {
    found = usedBox(box(), valuesOnly);
    resolved = true;
  });
  Object.defineProperty(used, 'isNullObject', {
    get: () => (resolved ? found === undefined : fail('PropertyNotLoaded', 'isNullObject is known only after sync().')),
  });
  return used;
}

/**
 * Range.getSpecialCellsOrNullObject('Formulas'), as a RangeAreas whose `areas.items` (one per
 * formula cell here) carry `formulas` and `address` once `areas.load(...)` and a sync ran.
 */
function specialCells(batch: Batch, locate: () => Box | undefined, cellType: string): Record<string, unknown> {
  if (cellType !== 'Formulas') fail('InvalidArgument', `getSpecialCells(${cellType}) is not supported here.`);
  let found: Array<{ formulas: Cell[][]; address: string }> | undefined;
  let resolved = false;
  let loaded = false;
  batch.enqueue(() => {
    resolved = true;
    const b = locate();
    if (!b) return;
    const cells: Array<{ formulas: Cell[][]; address: string }> = [];
    for (const { row, column, cell } of cellsIn(b)) {
      if (cell.formula !== undefined) cells.push({ formulas: [[cell.formula]], address: boxAddress({ sheet: b.sheet, row, column, rows: 1, columns: 1 }) });
    }
    found = cells.length > 0 ? cells : undefined;
  });
  const areas = {
    load: () => {
      batch.enqueue(() => {
        loaded = true;
        batch.countResponse(found ?? []);
      });
      return areas;
    },
    get items() {
      return loaded
        ? (found ?? [])
        : fail('PropertyNotLoaded', "The property 'items' of RangeCollection is not available. Before reading it, call load() and sync().");
    },
  };
  const proxy: Record<string, unknown> = { areas };
  loadable(proxy, 'RangeAreas', { cellCount: () => found?.length ?? 0 }, batch);
  Object.defineProperty(proxy, 'isNullObject', {
    get: () => (resolved ? found === undefined : fail('PropertyNotLoaded', 'isNullObject is known only after sync().')),
  });
  return proxy;
}
