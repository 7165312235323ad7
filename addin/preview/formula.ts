/**
 * A small evaluator for the formulas the invoice-check and Bill check sheets write, so that the
 * preview workbook and the tests calculate them the way Excel would: numbers, text, comparisons,
 * + - * / &, IF (lazy), OR, AND, ABS, N, NA, ISBLANK, ROUND (half away from zero, on the
 * 15 significant digits Excel keeps), MAX, SUM, COUNTA, SUMIFS, COUNTIFS (Excel's criteria: "OK",
 * "<>VAT", 0), INDEX and MATCH (exact), structured references to the same table row
 * ([@[Column]]), to a whole column of this table ([Column]) or of another (Tariffs[Rate]), A1
 * references ($B$4), and custom functions (DCS.CONSUMPTION, ...) supplied by the caller. Errors
 * are values, as in Excel, and flow through operators and functions.
 */

export class ExcelErrorValue {
  constructor(
    readonly code: string,
    readonly message = '',
  ) {}

  toString(): string {
    return this.code;
  }
}

/** A cell's value; null is a blank cell. */
export type Value = number | string | boolean | null | ExcelErrorValue;
/** What an argument may be: a value, or a whole table column (for SUMIFS, INDEX, ...). */
type Operand = Value | Value[];

export interface FormulaScope {
  /** The value of `column` in the formula's own table row. */
  structured(column: string): Value;
  /** The value of an A1 cell on the same sheet (`$` signs already removed). */
  cell(address: string): Value;
  /** A whole column's values: of `table`, or of the formula's own table when undefined. */
  column?(table: string | undefined, column: string): Value[];
  /** A function this evaluator does not know itself (custom functions). */
  call(name: string, args: Value[]): Promise<Value>;
}

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'structured'; column: string }
  | { kind: 'cell'; address: string }
  | { kind: 'column'; table?: string; column: string }
  | { kind: 'name'; name: string }
  | { kind: 'op'; op: string }
  | { kind: 'paren'; open: boolean }
  | { kind: 'comma' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ') {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const m = /^\d*\.?\d+(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated text in ${text}`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'string', value });
    } else if (c === '[') {
      const m = /^\[@(?:\[([^\]]+)\]|([^\]]+))\]/.exec(text.slice(i));
      const own = /^\[([^\]@[]+)\]/.exec(text.slice(i));
      if (m) tokens.push({ kind: 'structured', column: m[1] ?? m[2] });
      else if (own) tokens.push({ kind: 'column', column: own[1] });
      else throw new Error(`unsupported structured reference at ${text.slice(i)}`);
      i += (m ?? own)![0].length;
    } else if (/[A-Za-z$_]/.test(c)) {
      const cell = /^\$?([A-Z]{1,3})\$?(\d+)(?![\w.(])/.exec(text.slice(i));
      const tableColumn = /^([A-Za-z_][\w.]*)\[(?:\[([^\]]+)\]|([^\]@[]+))\]/.exec(text.slice(i));
      if (tableColumn) {
        tokens.push({ kind: 'column', table: tableColumn[1], column: tableColumn[2] ?? tableColumn[3] });
        i += tableColumn[0].length;
      } else if (cell) {
        tokens.push({ kind: 'cell', address: `${cell[1]}${cell[2]}` });
        i += cell[0].length;
      } else {
        const m = /^[A-Za-z_][\w.]*/.exec(text.slice(i))!;
        tokens.push({ kind: 'name', name: m[0].toUpperCase() });
        i += m[0].length;
      }
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: 'paren', open: c === '(' });
      i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma' });
      i++;
    } else {
      const m = /^(<=|>=|<>|[-+*/&=<>])/.exec(text.slice(i));
      if (!m) throw new Error(`unexpected '${c}' in ${text}`);
      tokens.push({ kind: 'op', op: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'structured'; column: string }
  | { kind: 'cell'; address: string }
  | { kind: 'column'; table?: string; column: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'negate'; operand: Node };

const PRECEDENCE: Record<string, number> = { '=': 1, '<>': 1, '<': 1, '>': 1, '<=': 1, '>=': 1, '&': 2, '+': 3, '-': 3, '*': 4, '/': 4 };

function parse(text: string): Node {
  const tokens = tokenize(text.replace(/^=/, ''));
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  function primary(): Node {
    const token = tokens[pos++];
    if (!token) throw new Error(`formula ends early: ${text}`);
    switch (token.kind) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'structured':
        return { kind: 'structured', column: token.column };
      case 'cell':
        return { kind: 'cell', address: token.address };
      case 'column':
        return { kind: 'column', table: token.table, column: token.column };
      case 'op':
        if (token.op === '-') return { kind: 'negate', operand: primary() };
        if (token.op === '+') return primary();
        break;
      case 'paren':
        if (token.open) {
          const inner = expression(0);
          pos++; // ')'
          return inner;
        }
        break;
      case 'name': {
        if (token.name === 'TRUE' || token.name === 'FALSE') return { kind: 'literal', value: token.name === 'TRUE' };
        pos++; // '('
        const args: Node[] = [];
        if (!(peek()?.kind === 'paren' && !(peek() as { open: boolean }).open)) {
          args.push(expression(0));
          while (peek()?.kind === 'comma') {
            pos++;
            args.push(expression(0));
          }
        }
        pos++; // ')'
        return { kind: 'call', name: token.name, args };
      }
      default:
        break;
    }
    throw new Error(`unexpected token ${JSON.stringify(token)} in ${text}`);
  }

  function expression(minPrecedence: number): Node {
    let left = primary();
    for (;;) {
      const token = peek();
      if (!token || token.kind !== 'op' || PRECEDENCE[token.op] === undefined || PRECEDENCE[token.op] < minPrecedence) break;
      pos++;
      const right = expression(PRECEDENCE[token.op] + 1);
      left = { kind: 'binary', op: token.op, left, right };
    }
    return left;
  }

  const tree = expression(0);
  if (pos !== tokens.length) throw new Error(`could not read all of ${text}`);
  return tree;
}

const VALUE_ERROR = new ExcelErrorValue('#VALUE!');

function toNumber(value: Value): number | ExcelErrorValue {
  if (value instanceof ExcelErrorValue) return value;
  if (value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : VALUE_ERROR;
}

function toBoolean(value: Value): boolean | ExcelErrorValue {
  if (value instanceof ExcelErrorValue) return value;
  if (typeof value === 'boolean') return value;
  if (value === null) return false;
  if (typeof value === 'number') return value !== 0;
  return VALUE_ERROR;
}

/** Excel's ordering: numbers < text < booleans; text compared without case; blank is 0 or "". */
function compare(a: Value, b: Value): number {
  const rank = (v: Value): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  let x = a;
  let y = b;
  if (x === null) x = typeof y === 'string' ? '' : typeof y === 'boolean' ? false : 0;
  if (y === null) y = typeof x === 'string' ? '' : typeof x === 'boolean' ? false : 0;
  if (rank(x) !== rank(y)) return rank(x) - rank(y);
  if (typeof x === 'string') return x.toLowerCase().localeCompare((y as string).toLowerCase());
  return Number(x) - Number(y);
}

export async function evaluateFormula(formula: string, scope: FormulaScope): Promise<Value> {
  return evaluate(parse(formula), scope);
}

async function evaluate(node: Node, scope: FormulaScope): Promise<Value> {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'structured':
      return scope.structured(node.column);
    case 'cell':
      return scope.cell(node.address);
    case 'column':
      return VALUE_ERROR; // a whole column where one value is wanted
    case 'negate': {
      const n = toNumber(await evaluate(node.operand, scope));
      return n instanceof ExcelErrorValue ? n : -n;
    }
    case 'binary':
      return binary(node.op, await evaluate(node.left, scope), await evaluate(node.right, scope));
    case 'call':
      return call(node, scope);
  }
}

function binary(op: string, left: Value, right: Value): Value {
  if (left instanceof ExcelErrorValue) return left;
  if (right instanceof ExcelErrorValue) return right;
  if (op === '&') return `${text(left)}${text(right)}`;
  if (['=', '<>', '<', '>', '<=', '>='].includes(op)) return compared(op, compare(left, right));
  const a = toNumber(left);
  const b = toNumber(right);
  if (a instanceof ExcelErrorValue) return a;
  if (b instanceof ExcelErrorValue) return b;
  if (op === '/' && b === 0) return new ExcelErrorValue('#DIV/0!');
  return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
}

function compared(op: string, c: number): boolean {
  return { '=': c === 0, '<>': c !== 0, '<': c < 0, '>': c > 0, '<=': c <= 0, '>=': c >= 0 }[op] ?? false;
}

function text(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/** An argument as it is: a whole column stays a list (SUMIFS, INDEX, MATCH, SUM take those). */
async function operand(node: Node, scope: FormulaScope): Promise<Operand> {
  if (node.kind !== 'column') return evaluate(node, scope);
  if (!scope.column) return new ExcelErrorValue('#REF!', `no table column ${node.table ?? ''}[${node.column}] here`);
  return scope.column(node.table, node.column);
}

async function call(node: Extract<Node, { kind: 'call' }>, scope: FormulaScope): Promise<Value> {
  const args = node.args;
  switch (node.name) {
    case 'IF': {
      const condition = toBoolean(await evaluate(args[0], scope));
      if (condition instanceof ExcelErrorValue) return condition;
      if (condition) return evaluate(args[1], scope);
      return args.length > 2 ? evaluate(args[2], scope) : false;
    }
    case 'OR':
    case 'AND': {
      const values: boolean[] = [];
      for (const arg of args) {
        const b = toBoolean(await evaluate(arg, scope));
        if (b instanceof ExcelErrorValue) return b;
        values.push(b);
      }
      return node.name === 'OR' ? values.some(Boolean) : values.every(Boolean);
    }
    case 'NA':
      return new ExcelErrorValue('#N/A');
    case 'ISBLANK':
      return (await evaluate(args[0], scope)) === null;
    default: {
      const values: Operand[] = [];
      for (const arg of args) values.push(await operand(arg, scope));
      const builtIn = BUILT_IN[node.name];
      if (builtIn) return builtIn(values);
      const firstError = values.find((v): v is ExcelErrorValue => v instanceof ExcelErrorValue);
      if (values.some(Array.isArray)) return VALUE_ERROR;
      return firstError ?? scope.call(node.name, values as Value[]);
    }
  }
}

/** One number from an argument that must be one. */
function single(value: Operand): number | ExcelErrorValue {
  return Array.isArray(value) ? VALUE_ERROR : toNumber(value);
}

function withNumbers(values: Operand[], count: number, work: (...n: number[]) => Value): Value {
  const numbers: number[] = [];
  for (const value of values.slice(0, count)) {
    const n = single(value);
    if (n instanceof ExcelErrorValue) return n;
    numbers.push(n);
  }
  return work(...numbers);
}

/** Excel's ROUND: half away from zero, on the value's 15 significant digits (so 1.005 rounds to 1.01). */
export function excelRound(value: number, digits: number): number {
  const factor = 10 ** Math.trunc(digits);
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  const rounded = Math.round(scaled) / factor;
  return value < 0 ? -rounded : rounded;
}

/** The numbers in arguments (lists and single values); text and blanks in lists are skipped, as Excel's SUM and MAX do. */
function numbersIn(values: Operand[]): number[] | ExcelErrorValue {
  const numbers: number[] = [];
  for (const value of values) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item instanceof ExcelErrorValue) return item;
      if (typeof item === 'number') numbers.push(item);
      else if (!Array.isArray(value) && item !== null) {
        const n = toNumber(item);
        if (n instanceof ExcelErrorValue) return n;
        numbers.push(n);
      }
    }
  }
  return numbers;
}

/** Excel's criteria (`"OK"`, `"<>VAT"`, `">0"`, `0`): does a cell meet it? Text compares without case; `"<>x"` holds for blanks too. */
export function meetsCriterion(cell: Value, criterion: Value): boolean {
  let op = '=';
  let operandValue: Value = criterion;
  if (typeof criterion === 'string') {
    const m = /^(<>|>=|<=|=|<|>)?(.*)$/s.exec(criterion);
    op = m?.[1] ?? '=';
    const rest = m?.[2] ?? '';
    operandValue = rest.trim() !== '' && Number.isFinite(Number(rest)) ? Number(rest) : rest;
  }
  if (cell instanceof ExcelErrorValue) return false;
  if (typeof operandValue === 'number') {
    if (typeof cell !== 'number') return op === '<>';
    return compared(op, cell - operandValue);
  }
  if (op === '=' && operandValue === '') return cell === null || cell === '';
  const cellText = cell === null ? '' : typeof cell === 'number' ? null : text(cell);
  if (cellText === null) return op === '<>';
  return compared(op, cellText.toLowerCase().localeCompare(String(operandValue).toLowerCase()));
}

/** Rows where every (range, criterion) pair holds. */
function matchingRows(pairs: Operand[]): boolean[] | ExcelErrorValue {
  const ranges = pairs.filter((_, i) => i % 2 === 0);
  if (ranges.some((r) => !Array.isArray(r)) || pairs.length % 2 !== 0) return VALUE_ERROR;
  const length = (ranges[0] as Value[]).length;
  return Array.from({ length }, (_, row) => ranges.every((range, i) => meetsCriterion((range as Value[])[row], pairs[2 * i + 1] as Value)));
}

const BUILT_IN: Partial<Record<string, (values: Operand[]) => Value>> = {
  ABS: (v) => withNumbers(v, 1, Math.abs),
  N: ([v]) => (Array.isArray(v) ? VALUE_ERROR : v instanceof ExcelErrorValue ? v : typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : 0),
  ROUND: (v) => withNumbers(v, 2, excelRound),
  MAX: (v) => {
    const numbers = numbersIn(v);
    return numbers instanceof ExcelErrorValue ? numbers : numbers.length === 0 ? 0 : Math.max(...numbers);
  },
  SUM: (v) => {
    const numbers = numbersIn(v);
    return numbers instanceof ExcelErrorValue ? numbers : numbers.reduce((a, b) => a + b, 0);
  },
  COUNTA: (v) => v.flat().filter((x) => x !== null).length,
  SUMIFS: ([sumRange, ...pairs]) => {
    const rows = matchingRows(pairs);
    if (rows instanceof ExcelErrorValue || !Array.isArray(sumRange)) return VALUE_ERROR;
    return sumRange.reduce<number>((sum, x, i) => (rows[i] && typeof x === 'number' ? sum + x : sum), 0);
  },
  COUNTIFS: (pairs) => {
    const rows = matchingRows(pairs);
    return rows instanceof ExcelErrorValue ? rows : rows.filter(Boolean).length;
  },
  MATCH: ([wanted, range, type]) => {
    if (!Array.isArray(range) || Array.isArray(wanted) || type !== 0) return VALUE_ERROR; // exact match only
    if (wanted instanceof ExcelErrorValue) return wanted;
    const index = range.findIndex((x) => x !== null && !(x instanceof ExcelErrorValue) && compare(x, wanted) === 0);
    return index < 0 ? new ExcelErrorValue('#N/A', `${text(wanted)} is not in the list`) : index + 1;
  },
  INDEX: ([range, row]) => {
    if (row instanceof ExcelErrorValue) return row;
    if (!Array.isArray(range) || typeof row !== 'number') return VALUE_ERROR;
    const value = range[Math.trunc(row) - 1];
    return value === undefined ? new ExcelErrorValue('#REF!') : value; // a blank stays blank: INDEX(...)&"" is ""
  },
};
