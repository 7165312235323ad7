/**
 * A small evaluator for the formulas the invoice-check sheet writes, so tests can calculate the
 * sheet the way Excel would: numbers, text, comparisons, + - * /, IF (lazy), OR, AND, ABS, NA,
 * ISBLANK, structured references to the same table row ([@[Column]]), A1 references ($B$4) and
 * custom functions (DCS.CONSUMPTION, ...) supplied by the test. Errors are values, as in Excel,
 * and flow through operators and functions.
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

export interface FormulaScope {
  /** The value of `column` in the formula's own table row. */
  structured(column: string): Value;
  /** The value of an A1 cell on the same sheet (`$` signs already removed). */
  cell(address: string): Value;
  /** A function this evaluator does not know itself (custom functions). */
  call(name: string, args: Value[]): Promise<Value>;
}

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'structured'; column: string }
  | { kind: 'cell'; address: string }
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
      if (!m) throw new Error(`unsupported structured reference at ${text.slice(i)}`);
      tokens.push({ kind: 'structured', column: m[1] ?? m[2] });
      i += m[0].length;
    } else if (/[A-Za-z$_]/.test(c)) {
      const cell = /^\$?([A-Z]{1,3})\$?(\d+)(?![\w.(])/.exec(text.slice(i));
      if (cell) {
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
    case 'negate': {
      const n = toNumber(await evaluate(node.operand, scope));
      return n instanceof ExcelErrorValue ? n : -n;
    }
    case 'binary': {
      const left = await evaluate(node.left, scope);
      const right = await evaluate(node.right, scope);
      if (left instanceof ExcelErrorValue) return left;
      if (right instanceof ExcelErrorValue) return right;
      if (node.op === '&') return `${left ?? ''}${right ?? ''}`;
      if (['=', '<>', '<', '>', '<=', '>='].includes(node.op)) {
        const c = compare(left, right);
        return { '=': c === 0, '<>': c !== 0, '<': c < 0, '>': c > 0, '<=': c <= 0, '>=': c >= 0 }[node.op]!;
      }
      const a = toNumber(left);
      const b = toNumber(right);
      if (a instanceof ExcelErrorValue) return a;
      if (b instanceof ExcelErrorValue) return b;
      if (node.op === '/' && b === 0) return new ExcelErrorValue('#DIV/0!');
      return node.op === '+' ? a + b : node.op === '-' ? a - b : node.op === '*' ? a * b : a / b;
    }
    case 'call':
      return call(node, scope);
  }
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
    case 'ABS': {
      const n = toNumber(await evaluate(args[0], scope));
      return n instanceof ExcelErrorValue ? n : Math.abs(n);
    }
    case 'NA':
      return new ExcelErrorValue('#N/A');
    case 'ISBLANK':
      return (await evaluate(args[0], scope)) === null;
    default: {
      const values: Value[] = [];
      for (const arg of args) values.push(await evaluate(arg, scope));
      return scope.call(node.name, values);
    }
  }
}
