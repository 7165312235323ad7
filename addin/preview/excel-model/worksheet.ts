import { parseCellAddress } from './addresses';
import { clientResult, loadable, nullable, writableLoadable } from './batch';
import { chartProxy } from './chart';
import { fail } from './errors';
import { emptySheet, findSheet, findTable, firstVisible, checkBox, MAX_COLUMNS, MAX_ROWS, type Box, type Model, type SheetData, type TableData } from './model';
import { boxOf, rangeProxy, usedRange } from './range';
import { addTable, tableProxy } from './table';

/** Excel.Worksheet over a sheet that `locate` finds when a batch runs, and the workbook's WorksheetCollection. */

export function sheetProxy(model: Model, locate: () => SheetData | undefined): Record<string, unknown> {
  const sheet = () => locate() ?? fail('ItemNotFound', 'The worksheet does not exist.');
  const batch = model.batch;
  const proxy: Record<string, unknown> = {};
  loadable(proxy, 'Worksheet', { name: () => sheet().name, visibility: () => sheet().visibility }, batch);
  writableLoadable(proxy, 'visibility', (visibility: SheetData['visibility']) => batch.enqueue(() => setVisibility(model, sheet(), visibility)));
  const whole = () => ({ sheet: sheet(), row: 0, column: 0, rows: MAX_ROWS, columns: MAX_COLUMNS });
  proxy.getRangeByIndexes = (row: number, column: number, rows: number, columns: number) =>
    rangeProxy(model, () => ({ sheet: sheet(), row, column, rows, columns }));
  proxy.getRange = (address?: string) => {
    // Without an address: the whole sheet.
    if (address === undefined) return rangeProxy(model, whole);
    const place = parseCellAddress(address) ?? fail('InvalidArgument', `The address '${address}' is not valid here (use A1, A1:C9 or A:C).`);
    return rangeProxy(model, () => ({ sheet: sheet(), ...place }));
  };
  proxy.getUsedRangeOrNullObject = (valuesOnly?: boolean) => usedRange(model, () => checkBox(model, whole()), valuesOnly === true);
  proxy.freezePanes = { freezeRows: (count: number) => batch.enqueue(() => void (sheet().frozenRows = count)) };
  proxy.calculate = (markAllDirty: boolean) => batch.enqueue(() => void model.calculations.push(`sheet:${sheet().name}${markAllDirty ? ':all' : ''}`));
  proxy.delete = () => batch.enqueue(() => deleteSheet(model, sheet()));
  proxy.activate = () => batch.enqueue(() => activate(model, sheet()));
  proxy.getNextOrNullObject = () => {
    let next: SheetData | undefined;
    batch.enqueue(() => void (next = model.sheets[model.sheets.indexOf(sheet()) + 1]));
    return nullable(
      sheetProxy(model, () => next),
      () => next !== undefined,
      batch,
    );
  };
  proxy.getNext = () => {
    let next: SheetData | undefined;
    batch.enqueue(() => void (next = model.sheets[model.sheets.indexOf(sheet()) + 1] ?? fail('ItemNotFound', 'There is no worksheet after the last.')));
    return sheetProxy(model, () => next);
  };
  proxy.copy = () => {
    let created: SheetData | undefined;
    batch.enqueue(() => void (created = copySheet(model, sheet())));
    return sheetProxy(model, () => created);
  };
  proxy.tables = { add: (where: unknown, hasHeaders: boolean) => addTableProxy(model, sheet, where, hasHeaders) };
  proxy.charts = { add: (type: string, source: unknown, seriesBy?: string) => chartProxy(model, sheet, type, source, seriesBy) };
  return proxy;
}

/** The Worksheet of a table (Table.worksheet). */
const worksheetOf = (model: Model) => (locate: () => SheetData) => sheetProxy(model, locate);

/** Worksheet.tables.add over a Range or a full address (`'Sheet'!A1:C9`). */
function addTableProxy(model: Model, sheet: () => SheetData, where: unknown, hasHeaders: boolean): Record<string, unknown> {
  const box = typeof where === 'string' ? () => addressBox(model, where) : boxOf(where, 'tables.add');
  let created: TableData | undefined;
  model.batch.enqueue(() => void (created = addTable(model, sheet(), box(), hasHeaders)));
  return tableProxy(model, () => created, worksheetOf(model));
}

export function tableProxyOf(model: Model, locate: () => TableData | undefined): Record<string, unknown> {
  return tableProxy(model, locate, worksheetOf(model));
}

const visibleOthers = (model: Model, s: SheetData) => model.sheets.filter((x) => x.visibility === 'Visible' && x !== s).length;

function setVisibility(model: Model, s: SheetData, visibility: SheetData['visibility']): void {
  if (visibility !== 'Visible' && visibleOthers(model, s) === 0) fail('InvalidOperation', 'A workbook must keep at least one visible worksheet.');
  s.visibility = visibility;
  if (model.active === s && visibility !== 'Visible') model.active = firstVisible(model);
}

function deleteSheet(model: Model, s: SheetData): void {
  if (visibleOthers(model, s) === 0) fail('InvalidOperation', 'A workbook must keep at least one visible worksheet.');
  model.sheets.splice(model.sheets.indexOf(s), 1);
  for (let i = model.tables.length - 1; i >= 0; i--) if (model.tables[i].sheet === s) model.tables.splice(i, 1);
  for (let i = model.charts.length - 1; i >= 0; i--) if (model.charts[i].sheet === s) model.charts.splice(i, 1);
  if (model.active === s) model.active = firstVisible(model);
}

function activate(model: Model, s: SheetData): void {
  if (s.visibility !== 'Visible') fail('InvalidOperation', 'A hidden worksheet cannot be activated.');
  model.active = s;
  model.activeCell = { row: 0, column: 0 };
}

/** A full address, `'Sheet name'!A1:C9` or `Sheet1!A1`, as a box. */
function addressBox(model: Model, address: string): Box {
  const bang = address.lastIndexOf('!');
  if (bang < 0) fail('InvalidArgument', `The address '${address}' names no worksheet.`);
  const name = address.slice(0, bang).replace(/^'|'$/g, '').replace(/''/g, "'");
  const sheet = findSheet(model, name) ?? fail('ItemNotFound', `There is no worksheet named '${name}'.`);
  const place = parseCellAddress(address.slice(bang + 1)) ?? fail('InvalidArgument', `The address '${address}' is not valid.`);
  return checkBox(model, { sheet, ...place });
}

/** Worksheet.copy: the copy goes after the original; its tables get new ids and names, as in Excel. */
export function copySheet(model: Model, original: SheetData): SheetData {
  let n = 2;
  while (findSheet(model, `${original.name} (${n})`)) n++;
  const copy: SheetData = {
    ...emptySheet(`${original.name} (${n})`),
    visibility: original.visibility,
    cells: new Map([...original.cells].map(([k, cell]) => [k, { ...cell }])),
    widths: new Map(original.widths),
  };
  model.sheets.splice(model.sheets.indexOf(original) + 1, 0, copy);
  for (const t of model.tables.filter((x) => x.sheet === original)) {
    let m = 2;
    while (findTable(model, `${t.name}${m}`)) m++;
    model.tables.push({ ...t, id: String(model.nextTableId++), name: `${t.name}${m}`, sheet: copy });
  }
  return copy;
}

/** Workbook.worksheets. Methods only: office-addin-mock turns data properties into mock properties. */
export function worksheetCollection(model: Model): Record<string, unknown> {
  const batch = model.batch;
  const named = (name: string) => findSheet(model, name);
  return {
    add: (name?: string) => {
      let created: SheetData | undefined;
      batch.enqueue(() => void (created = addSheet(model, name)));
      return sheetProxy(model, () => created);
    },
    getItem: (name: string) => sheetProxy(model, () => named(name) ?? fail('ItemNotFound', `There is no worksheet named '${name}'.`)),
    getItemOrNullObject: (name: string) =>
      nullable(
        sheetProxy(model, () => named(name)),
        () => named(name) !== undefined,
        batch,
      ),
    getFirst: () => sheetProxy(model, () => model.sheets[0]),
    getCount: () => clientResult(() => model.sheets.length, batch),
    getActiveWorksheet: () => {
      let sheet: SheetData | undefined;
      batch.enqueue(() => void (sheet = model.active));
      return sheetProxy(model, () => sheet);
    },
  };
}

function addSheet(model: Model, name: string | undefined): SheetData {
  let sheetName = name;
  if (sheetName === undefined) {
    let n = model.sheets.length + 1;
    while (findSheet(model, `Sheet${n}`)) n++;
    sheetName = `Sheet${n}`;
  }
  if (sheetName.length > 31 || /[:\\/?*[\]]/.test(sheetName)) fail('InvalidArgument', `'${sheetName}' is not a valid worksheet name.`);
  if (findSheet(model, sheetName)) fail('ItemAlreadyExists', `A worksheet named '${sheetName}' already exists.`);
  const created = emptySheet(sheetName);
  model.sheets.push(created);
  return created;
}
