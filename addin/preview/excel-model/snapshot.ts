import { columnLetters, placeAddress } from './addresses';
import { MAX_COLUMNS, tableBox, type Cell, type Model, type SheetData } from './model';

/**
 * The whole workbook as plain JSON, addressed as people read it (`B4`, column `C`), for a test to
 * take out of a browser page in one piece and for drawing a sheet. Only what is set appears.
 */
export interface CellSnapshot {
  value?: Cell;
  formula?: string;
  numberFormat?: string;
  bold?: boolean;
  italic?: boolean;
  size?: number;
  color?: string;
  fill?: string;
}

export interface SheetSnapshot {
  name: string;
  /** By A1 address. */
  cells: Record<string, CellSnapshot>;
  /** Points, by column letters, where set. */
  columnWidths: Record<string, number>;
  frozenRows: number;
  /** `range`: the A1 range a rule applies to, e.g. `A9:M11`. */
  conditionalFormats: Array<{ range: string; type: string; formula?: string; fill?: string; font?: string }>;
}

export interface TableSnapshot {
  id: string;
  name: string;
  sheet: string;
  /** Header row plus data rows, e.g. `A8:M11`. */
  address: string;
  style: string;
}

export interface WorkbookSnapshot {
  sheets: SheetSnapshot[];
  tables: TableSnapshot[];
  activeSheet: string;
  /** Recalculations asked for: `application:<type>`, `sheet:<name>[:all]`, `range:<address>`. */
  calculations: string[];
  settings: Record<string, unknown>;
}

export function workbookSnapshot(model: Model): WorkbookSnapshot {
  return JSON.parse(
    JSON.stringify({
      sheets: model.sheets.map(sheetSnapshot),
      tables: model.tables.map((t) => ({ id: t.id, name: t.name, sheet: t.sheet.name, address: placeAddress(tableBox(t)), style: t.style })),
      activeSheet: model.active.name,
      calculations: model.calculations,
      settings: Object.fromEntries(model.settings),
    }),
  ) as WorkbookSnapshot;
}

function sheetSnapshot(sheet: SheetData): SheetSnapshot {
  const cells: Record<string, CellSnapshot> = {};
  for (const [k, cell] of sheet.cells) {
    const look = cell.look ?? {};
    cells[`${columnLetters(k % MAX_COLUMNS)}${Math.floor(k / MAX_COLUMNS) + 1}`] = {
      value: cell.value === '' ? undefined : cell.value,
      formula: cell.formula,
      numberFormat: cell.format,
      bold: cell.bold,
      italic: look['font.italic'] as boolean | undefined,
      size: look['font.size'] as number | undefined,
      color: look['font.color'] as string | undefined,
      fill: look.fill as string | undefined,
    };
  }
  return {
    name: sheet.name,
    cells,
    columnWidths: Object.fromEntries([...sheet.widths].map(([c, w]) => [columnLetters(c), w])),
    frozenRows: sheet.frozenRows ?? 0,
    conditionalFormats: (sheet.conditionalFormats ?? []).map(({ address, ...rule }) => ({ range: address.slice(address.lastIndexOf('!') + 1), ...rule })),
  };
}
