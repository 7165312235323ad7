/**
 * A stand-in for Excel and Office.js for the invoice-check end-to-end test, injected into the
 * task pane page in place of Microsoft's office.js. It records what the add-in writes (values,
 * formulas, number formats, fonts and fills, tables, conditional formats, column widths,
 * frozen rows, recalculation requests) and keeps every custom function the add-in associates,
 * so the test can call =DCS.CONSUMPTION and friends exactly as Excel would.
 *
 * Runs in the browser, so: no imports, no Node or DOM APIs. It checks shapes as Excel does (a
 * 2-D array must match its range) so that a writer that works here does not fail in Excel for
 * a reason this stub would have hidden.
 */

export interface StubCell {
  value?: string | number | boolean;
  formula?: string;
  numberFormat?: string;
  bold?: boolean;
  italic?: boolean;
  size?: number;
  color?: string;
  fill?: string;
}

export interface StubConditionalFormat {
  /** A1 range it applies to, e.g. `A9:M11`. */
  range: string;
  type: string;
  formula?: string;
  fill?: string;
  font?: string;
}

export interface StubSheet {
  name: string;
  cells: Record<string, StubCell>;
  columnWidths: Record<string, number>;
  frozenRows: number;
  conditionalFormats: StubConditionalFormat[];
}

export interface StubTable {
  name: string;
  sheet: string;
  /** Header row plus data rows, e.g. `A8:M11`. */
  address: string;
  style: string;
}

export interface StubWorkbook {
  sheets: StubSheet[];
  tables: StubTable[];
  activeSheet?: string;
  /** Every recalculation requested: application.calculate(type) as the type, Worksheet.calculate as `sheet:<name>[:all]`. */
  calculations: string[];
}

interface Box {
  sheet: StubSheet;
  top: number; // 1-based
  left: number; // 0-based column index
  rows: number;
  columns: number;
}

export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

export function columnIndex(name: string): number {
  let n = 0;
  for (const ch of name) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The corners of an A1 range such as `A8:M11` (columns 0-based, rows 1-based); undefined for any other form. */
export function rangeBounds(address: string): { left: number; top: number; right: number; bottom: number } | undefined {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(address);
  return m ? { left: columnIndex(m[1]), top: Number(m[2]), right: columnIndex(m[3]), bottom: Number(m[4]) } : undefined;
}

class StubError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RichApi.Error';
  }
}

/** Installs Office, Excel and CustomFunctions on `scope` (the page's window). */
export function installExcelStub(scope: Record<string, unknown>): StubWorkbook {
  const workbook: StubWorkbook = { sheets: [], tables: [], calculations: [] };
  const functions: Record<string, (...args: unknown[]) => unknown> = {};
  const actions: Record<string, (event: { completed(): void }) => void> = {};
  const settings = new Map<string, string>();

  function sheetNamed(name: string): StubSheet {
    const sheet = workbook.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!sheet) throw new StubError('ItemNotFound', `There is no worksheet named ${name}.`);
    return sheet;
  }

  function parseBox(sheet: StubSheet, address: string): Box {
    let text = address;
    const bang = text.lastIndexOf('!');
    if (bang >= 0) {
      sheet = sheetNamed(text.slice(0, bang).replace(/^'|'$/g, '').replace(/''/g, "'"));
      text = text.slice(bang + 1);
    }
    const whole = /^([A-Z]+):([A-Z]+)$/.exec(text);
    if (whole) {
      const left = columnIndex(whole[1]);
      return { sheet, top: 1, left, rows: 1_048_576, columns: columnIndex(whole[2]) - left + 1 };
    }
    const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(text.replace(/\$/g, ''));
    if (!m) throw new StubError('InvalidArgument', `The address ${address} is not valid.`);
    const left = columnIndex(m[1]);
    const top = Number(m[2]);
    const right = m[3] === undefined ? left : columnIndex(m[3]);
    const bottom = m[4] === undefined ? top : Number(m[4]);
    return { sheet, top, left, rows: bottom - top + 1, columns: right - left + 1 };
  }

  function boxAddress(box: Box): string {
    const start = `${columnName(box.left)}${box.top}`;
    const end = `${columnName(box.left + box.columns - 1)}${box.top + box.rows - 1}`;
    return start === end ? start : `${start}:${end}`;
  }

  function eachCell(box: Box, visit: (cell: StubCell, r: number, c: number) => void): void {
    if (box.rows > 100_000) throw new StubError('InvalidOperation', 'whole-column cell writes are not supported by this stub');
    for (let r = 0; r < box.rows; r++) {
      for (let c = 0; c < box.columns; c++) {
        const key = `${columnName(box.left + c)}${box.top + r}`;
        const cell = (box.sheet.cells[key] ??= {});
        visit(cell, r, c);
      }
    }
  }

  function checkShape(box: Box, data: unknown, what: string): unknown[][] {
    if (!Array.isArray(data) || data.length !== box.rows || !data.every((row) => Array.isArray(row) && row.length === box.columns)) {
      throw new StubError('InvalidArgument', `The ${what} array does not match the size of the range ${boxAddress(box)} (${box.rows} x ${box.columns}).`);
    }
    return data as unknown[][];
  }

  function rangeOf(box: Box): Record<string, unknown> {
    const setAll = (apply: (cell: StubCell) => void): void => eachCell(box, (cell) => apply(cell));
    const font = {
      set bold(v: boolean) { setAll((c) => { c.bold = v; }); },
      set italic(v: boolean) { setAll((c) => { c.italic = v; }); },
      set size(v: number) { setAll((c) => { c.size = v; }); },
      set color(v: string) { setAll((c) => { c.color = v; }); },
    };
    const fill = { set color(v: string) { setAll((c) => { c.fill = v; }); } };
    const format = {
      font,
      fill,
      set columnWidth(width: number) {
        for (let c = 0; c < box.columns; c++) box.sheet.columnWidths[columnName(box.left + c)] = width;
      },
      autofitColumns() {},
    };
    return {
      address: `'${box.sheet.name}'!${boxAddress(box)}`,
      format,
      load() { return this; },
      set values(data: unknown[][]) {
        const rows = checkShape(box, data, 'values');
        eachCell(box, (cell, r, c) => {
          cell.value = rows[r][c] as StubCell['value'];
          delete cell.formula;
        });
      },
      set formulas(data: unknown[][]) {
        const rows = checkShape(box, data, 'formulas');
        eachCell(box, (cell, r, c) => {
          const content = rows[r][c];
          if (typeof content === 'string' && content.startsWith('=')) {
            cell.formula = content;
            delete cell.value;
          } else {
            cell.value = content as StubCell['value'];
            delete cell.formula;
          }
        });
      },
      set numberFormat(data: unknown[][]) {
        const rows = checkShape(box, data, 'numberFormat');
        eachCell(box, (cell, r, c) => {
          cell.numberFormat = String(rows[r][c]);
        });
      },
      conditionalFormats: {
        add(type: string) {
          const record: StubConditionalFormat = { range: boxAddress(box), type };
          box.sheet.conditionalFormats.push(record);
          return {
            custom: {
              rule: { set formula(f: string) { record.formula = f; } },
              format: {
                fill: { set color(v: string) { record.fill = v; } },
                font: { set color(v: string) { record.font = v; } },
              },
            },
          };
        },
      },
    };
  }

  function tableProxy(table: StubTable): Record<string, unknown> {
    const box = (): Box => parseBox(sheetNamed(table.sheet), table.address);
    return {
      get name() { return table.name; },
      set name(value: string) {
        if (workbook.tables.some((t) => t !== table && t.name.toLowerCase() === value.toLowerCase())) {
          throw new StubError('ItemAlreadyExists', `A table named ${value} already exists.`);
        }
        table.name = value;
      },
      set style(value: string) { table.style = value; },
      load() { return this; },
      getHeaderRowRange: () => rangeOf({ ...box(), rows: 1 }),
      getDataBodyRange: () => {
        const b = box();
        return rangeOf({ ...b, top: b.top + 1, rows: b.rows - 1 });
      },
      columns: {
        getItem(name: string) {
          const b = box();
          const headerRow = b.top;
          for (let c = 0; c < b.columns; c++) {
            if (b.sheet.cells[`${columnName(b.left + c)}${headerRow}`]?.value === name) {
              return { getDataBodyRange: () => rangeOf({ sheet: b.sheet, top: b.top + 1, left: b.left + c, rows: b.rows - 1, columns: 1 }) };
            }
          }
          throw new StubError('ItemNotFound', `The table ${table.name} has no column ${name}.`);
        },
      },
    };
  }

  /** Range.getSpecialCellsOrNullObject('Formulas') over a sheet: one area per formula cell. */
  function formulaCells(sheet: StubSheet): Record<string, unknown> {
    const areas = Object.values(sheet.cells).filter((c) => c.formula !== undefined).map((c) => ({ formulas: [[c.formula]] }));
    return { isNullObject: areas.length === 0, areas: { load() { return this; }, items: areas } };
  }

  function worksheetProxy(sheet: StubSheet): Record<string, unknown> {
    return {
      get name() { return sheet.name; },
      visibility: 'Visible',
      isNullObject: false,
      load() { return this; },
      getNextOrNullObject() {
        const next = workbook.sheets[workbook.sheets.indexOf(sheet) + 1];
        return next ? worksheetProxy(next) : { isNullObject: true, load() { return this; } };
      },
      calculate(markAllDirty: boolean) { workbook.calculations.push(`sheet:${sheet.name}${markAllDirty ? ':all' : ''}`); },
      // Without an address, the whole sheet: only its formula cells are asked for (recalculate.ts).
      getRange: (address?: string) => (address === undefined ? { getSpecialCellsOrNullObject: () => formulaCells(sheet) } : rangeOf(parseBox(sheet, address))),
      activate() { workbook.activeSheet = sheet.name; },
      freezePanes: { freezeRows(n: number) { sheet.frozenRows = n; } },
      tables: {
        add(address: string, hasHeaders: boolean) {
          if (!hasHeaders) throw new StubError('NotImplemented', 'this stub only makes tables with headers');
          const box = parseBox(sheet, address);
          const table: StubTable = { name: `Table${workbook.tables.length + 1}`, sheet: box.sheet.name, address: boxAddress(box), style: 'TableStyleMedium2' };
          workbook.tables.push(table);
          return tableProxy(table);
        },
      },
    };
  }

  const context = {
    workbook: {
      worksheets: {
        load() { return this; },
        get items() { return workbook.sheets.map(worksheetProxy); },
        add(name: string) {
          if (workbook.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
            throw new StubError('ItemAlreadyExists', `A worksheet named ${name} already exists.`);
          }
          const sheet: StubSheet = { name, cells: {}, columnWidths: {}, frozenRows: 0, conditionalFormats: [] };
          workbook.sheets.push(sheet);
          return worksheetProxy(sheet);
        },
        getItem: (name: string) => worksheetProxy(sheetNamed(name)),
        getItemOrNullObject: (name: string) => {
          const sheet = workbook.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
          return sheet ? worksheetProxy(sheet) : { isNullObject: true, load() { return this; } };
        },
        getFirst: () => {
          if (workbook.sheets.length === 0) throw new StubError('ItemNotFound', 'The workbook has no worksheet.');
          return worksheetProxy(workbook.sheets[0]);
        },
      },
      tables: {
        load() { return this; },
        get items() { return workbook.tables.map(tableProxy); },
        getItemOrNullObject: (name: string) => {
          const table = workbook.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
          return table ? { ...tableProxy(table), isNullObject: false } : { isNullObject: true, load() { return this; } };
        },
      },
      application: {
        calculate(type: string) { workbook.calculations.push(type); },
      },
      // The add-in's settings (where the pane remembers its tables' queries), for Refresh.
      settings: {
        getItemOrNullObject(key: string) {
          const value = settings.get(key);
          return { load() { return this; }, isNullObject: value === undefined, value };
        },
        add(key: string, value: string) { settings.set(key, value); },
      },
    },
    sync: () => Promise.resolve(),
  };

  class CustomFunctionsError {
    constructor(
      readonly code: string,
      readonly message?: string,
    ) {}
  }

  const info = { host: 'Excel', platform: 'OfficeOnline' };
  scope.Office = {
    HostType: { Excel: 'Excel' },
    onReady: (callback?: (i: typeof info) => void) => {
      if (callback) callback(info);
      return Promise.resolve(info);
    },
    actions: { associate: (name: string, fn: (event: { completed(): void }) => void) => { actions[name] = fn; } },
    addin: { showAsTaskpane: () => Promise.resolve() },
    context: { requirements: { isSetSupported: () => true } },
  };
  scope.Excel = {
    // Excel.run(batch) or Excel.run(options, batch).
    run: async <T>(...args: Array<object | ((c: typeof context) => Promise<T>)>) => (args[args.length - 1] as (c: typeof context) => Promise<T>)(context),
    ConditionalFormatType: { custom: 'Custom' },
    CalculationType: { full: 'Full', recalculate: 'Recalculate', fullRebuild: 'FullRebuild' },
  };
  scope.CustomFunctions = {
    associate(id: string | Record<string, (...args: unknown[]) => unknown>, fn?: (...args: unknown[]) => unknown) {
      if (typeof id === 'string') functions[id.toUpperCase()] = fn!;
      else for (const [name, f] of Object.entries(id)) functions[name.toUpperCase()] = f;
    },
    Error: CustomFunctionsError,
    ErrorCode: { invalidValue: '#VALUE!', notAvailable: '#N/A', divisionByZero: '#DIV/0!', invalidNumber: '#NUM!', nullReference: '#NULL!', invalidName: '#NAME?', invalidReference: '#REF!' },
  };
  scope.__workbook = workbook;
  scope.__actions = actions;
  /** Calls a custom function as Excel would; an Excel error comes back as {error}. */
  scope.__callFunction = async (name: string, args: unknown[]) => {
    const fn = functions[name.toUpperCase()];
    if (!fn) return { error: { code: '#NAME?', message: `no custom function ${name}` } };
    try {
      return { value: await fn(...args) };
    } catch (error) {
      if (error instanceof CustomFunctionsError) return { error: { code: error.code, message: error.message ?? '' } };
      return { error: { code: '#VALUE!', message: `the function threw ${String(error)}` } };
    }
  };
  return workbook;
}
