import { loadable, writableLoadable } from './batch';
import { fail } from './errors';
import { boxOf, rangeProxy, type RangeProxy } from './range';
import { moveTotalRow, setShowTotals, totalRowBox, totalRowIndex } from './table-totals';
import { cellKey, findTable, overlaps, tableBox, type Box, type Model, type SheetData, type TableData } from './model';

/** Excel.Table over a table that `locate` finds when a batch runs; `worksheetOf` makes its Worksheet. */
export function tableProxy(model: Model, locate: () => TableData | undefined, worksheetOf: (locate: () => SheetData) => unknown): Record<string, unknown> {
  const table = () => locate() ?? fail('ItemNotFound', 'The table does not exist.');
  const batch = model.batch;
  const proxy: Record<string, unknown> = {};
  loadable(proxy, 'Table', { name: () => table().name, id: () => table().id, showTotals: () => table().totals === true }, batch);
  writableLoadable(proxy, 'name', (name: string) => batch.enqueue(() => renameTable(model, table(), name)));
  writableLoadable(proxy, 'showTotals', (show: boolean) => batch.enqueue(() => setShowTotals(model, table(), show)));
  Object.defineProperty(proxy, 'style', { enumerable: true, set: (style: string) => batch.enqueue(() => void (table().style = style)) });
  proxy.worksheet = worksheetOf(() => table().sheet);
  proxy.getHeaderRowRange = () => rangeProxy(model, () => ({ ...tableBox(table()), rows: 1 }));
  proxy.getDataBodyRange = () => rangeProxy(model, () => ({ ...tableBox(table()), row: table().top + 1, rows: table().rows }));
  proxy.getRange = () => rangeProxy(model, () => tableBox(table()));
  // Without a total row there is no range: Excel's error when the range is used.
  proxy.getTotalRowRange = () => rangeProxy(model, () => totalRowBox(table()));
  proxy.columns = { getItem: (name: string) => tableColumn(model, table, name) };
  proxy.resize = (where: unknown) => {
    const to = boxOf(where, 'resize');
    batch.enqueue(() => resizeTable(model, table(), to()));
  };
  proxy.delete = () => batch.enqueue(() => void model.tables.splice(model.tables.indexOf(table()), 1));
  return proxy;
}

function renameTable(model: Model, table: TableData, name: string): void {
  if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name)) fail('InvalidArgument', `'${name}' is not a valid table name.`);
  const other = findTable(model, name);
  if (other && other !== table) fail('InvalidArgument', `A table named '${name}' already exists.`);
  table.name = name;
}

/** TableColumnCollection.getItem: a column by its header text. */
function tableColumn(model: Model, table: () => TableData, name: string): { getDataBodyRange: () => RangeProxy } {
  const column = () => {
    const t = table();
    for (let j = 0; j < t.columns; j++) if (t.sheet.cells.get(cellKey(t.top, t.left + j))?.value === name) return j;
    return fail('ItemNotFound', `The table ${t.name} has no column '${name}'.`);
  };
  return {
    getDataBodyRange: () =>
      rangeProxy(model, () => ({ sheet: table().sheet, row: table().top + 1, column: table().left + column(), rows: table().rows, columns: 1 })),
  };
}

/** Room for a table as Excel checks it: no other table and no merged cells in the way. */
function checkRoom(model: Model, box: Box, except?: TableData): void {
  const least = except?.totals === true ? 3 : 2;
  if (box.rows < least) fail('InvalidArgument', `A table needs a header row${least === 3 ? ', a total row' : ''} and at least one data row.`);
  if (model.tables.some((other) => other !== except && overlaps(tableBox(other), box))) fail('InvalidOperation', "A table can't overlap another table.");
  if ((box.sheet.merged ?? []).some((m) => overlaps(m, box))) fail('InvalidOperation', "A table can't overlap a range that contains merged cells.");
}

function resizeTable(model: Model, t: TableData, b: Box): void {
  if (b.sheet !== t.sheet || b.row !== t.top) fail('InvalidArgument', 'The header row must remain in the same row when a table is resized.');
  if (!overlaps(b, tableBox(t))) fail('InvalidArgument', 'The resized table must overlap the original one.');
  checkRoom(model, b, t);
  // The range covers the total row too (it is part of getRange); it stays the table's last row.
  const oldTotalRow = totalRowIndex(t);
  const oldWidth = t.columns;
  t.left = b.column;
  t.rows = b.rows - 1 - (t.totals === true ? 1 : 0);
  t.columns = b.columns;
  if (oldTotalRow !== undefined) moveTotalRow(t, oldTotalRow, oldWidth);
}

/** TableCollection.add over a box of `sheet`: a new table, named TableN, with a new id. */
export function addTable(model: Model, sheet: SheetData, b: Box, hasHeaders: boolean): TableData {
  if (b.sheet !== sheet) fail('InvalidArgument', 'The range is on another worksheet.');
  if (!hasHeaders) fail('InvalidArgument', 'Tables without a header row are not supported here.');
  checkRoom(model, b);
  let n = model.tables.length + 1;
  while (findTable(model, `Table${n}`)) n++;
  const created = {
    id: String(model.nextTableId++),
    name: `Table${n}`,
    sheet: b.sheet,
    top: b.row,
    left: b.column,
    rows: b.rows - 1,
    columns: b.columns,
    style: 'TableStyleMedium2',
  };
  model.tables.push(created);
  return created;
}
