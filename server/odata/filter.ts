/**
 * A small, strict parser for OData `$filter`. It knows the part of the language that Power Query
 * folds filters into and a person types into a URL: comparisons, `in`, `and`/`or`/`not`,
 * parentheses, a handful of functions, and literals. Anything else is refused with the position
 * and a list of what is supported, never guessed at.
 */
import { parseIsoToMs } from 'dcs-client';
import { badOption } from './errors';

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

export type Literal =
  | { kind: 'literal'; type: 'string'; value: string; text: string }
  | { kind: 'literal'; type: 'number'; value: number; text: string }
  | { kind: 'literal'; type: 'boolean'; value: boolean; text: string }
  | { kind: 'literal'; type: 'null'; value: null; text: string }
  /** A date-time with offset; `value` is epoch milliseconds. */
  | { kind: 'literal'; type: 'datetime'; value: number; text: string }
  /** A date (Edm.Date), as `date(Timestamp) eq 2024-01-05` compares with; `value` is the text. */
  | { kind: 'literal'; type: 'date'; value: string; text: string };

export type FilterExpr =
  | Literal
  | { kind: 'property'; name: string }
  | { kind: 'call'; name: FunctionName; args: FilterExpr[] }
  | { kind: 'compare'; op: CompareOp; left: FilterExpr; right: FilterExpr }
  | { kind: 'in'; left: FilterExpr; list: Literal[] }
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; operand: FilterExpr };

export const FUNCTION_NAMES = [
  'contains',
  'startswith',
  'endswith',
  'tolower',
  'toupper',
  'trim',
  'length',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'indexof',
  'substring',
  'date',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export const FILTER_SUPPORTED =
  "Supported in $filter: comparisons with eq, ne, gt, ge, lt, le; Property in ('a','b'); and, or, not; parentheses; " +
  `the functions ${FUNCTION_NAMES.join(', ')}; and literals: 'text' (double a quote to include one), numbers, NaN, INF, -INF, ` +
  'true, false, null, date-times with an offset such as 2024-01-01T00:00:00Z, and dates such as 2024-01-01 (compared with date(...)); ' +
  "and the paths Source/<property> (Source/Unit eq 'kWh') as conditions of their own in Readings and Intervals.";

type TokenType = 'ident' | 'string' | 'number' | 'datetime' | 'date' | 'lparen' | 'rparen' | 'comma' | 'eof';

interface Token {
  type: TokenType;
  text: string;
  pos: number;
  value?: string | number;
}

// OData's ABNF: literal strings are case-insensitive ('t', 'z'), and fractions have up to 12 digits.
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?([Zz]|[+-]\d{2}:\d{2})?/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\d:T])/;
const NUMBER = /^-?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|INF)(?![A-Za-z0-9_])/;
// A property, or a path through the navigation property (Source/Unit).
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)?/;

function fail(pos: number, text: string, message: string): never {
  const where = text === '' ? `at the end` : `at position ${pos + 1} ('${text}')`;
  throw badOption('$filter', `${where}: ${message}. ${FILTER_SUPPORTED}`);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const c = source[pos];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      pos++;
      continue;
    }
    const rest = source.slice(pos);
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, pos });
      pos++;
      continue;
    }
    if (c === "'") {
      const { value, end } = readString(source, pos);
      tokens.push({ type: 'string', text: source.slice(pos, end), pos, value });
      pos = end;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      if (datetime[1] === undefined) {
        fail(pos, datetime[0], `the date-time ${datetime[0]} has no offset; add Z for UTC (${datetime[0]}Z) or an offset such as +01:00`);
      }
      // Milliseconds are all DCS keeps: digits past the ninth change nothing.
      const ms = parseIsoToMs(datetime[0].replace(/(\.\d{9})\d+/, '$1'));
      if (ms === undefined) fail(pos, datetime[0], `${datetime[0]} is not a real date-time`);
      tokens.push({ type: 'datetime', text: datetime[0], pos, value: ms });
      pos += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      if (parseIsoToMs(date[0]) === undefined) fail(pos, date[0], `${date[0]} is not a real date`);
      tokens.push({ type: 'date', text: date[0], pos, value: date[0] });
      pos += date[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      const text = number[0];
      const value = text === 'INF' ? Infinity : text === '-INF' ? -Infinity : Number(text);
      tokens.push({ type: 'number', text, pos, value });
      pos += text.length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      const text = ident[0];
      if (source[pos + text.length] === "'") {
        fail(pos, text, `typed literals such as ${text}'...' are OData version 3 syntax; write the value without the prefix, e.g. 2024-01-01T00:00:00Z`);
      }
      if (source[pos + text.length] === '/' || (text.includes('/') && source[pos + text.length] === '(')) {
        fail(pos, text, 'property paths longer than Source/<property>, and lambda operators, are not supported');
      }
      tokens.push({ type: 'ident', text, pos });
      pos += text.length;
      continue;
    }
    fail(pos, c, `unexpected character '${c}'`);
  }
  tokens.push({ type: 'eof', text: '', pos });
  return tokens;
}

function readString(source: string, start: number): { value: string; end: number } {
  let value = '';
  let pos = start + 1;
  for (;;) {
    if (pos >= source.length) fail(start, source.slice(start, start + 20), "the text literal has no closing quote (')");
    const c = source[pos];
    if (c === "'") {
      if (source[pos + 1] === "'") {
        value += "'";
        pos += 2;
        continue;
      }
      return { value, end: pos + 1 };
    }
    value += c;
    pos++;
  }
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null', 'NaN', ...COMPARE_OPS]);
const UNSUPPORTED_OPERATORS = new Set(['add', 'sub', 'mul', 'div', 'divby', 'mod', 'has', 'any', 'all', 'isof', 'cast']);

/**
 * Limits that keep a hostile `$filter` from costing the server a stack overflow or quadratic
 * work. Power Query's folded filters stay far below them: 200 sources in an `or` chain are
 * about 5,000 characters and nest 3 deep.
 */
const MAX_FILTER_LENGTH = 10_000;
const MAX_FILTER_DEPTH = 32;
/** `and`/`or` operators: each adds one level to the (left-leaning) expression tree. */
const MAX_FILTER_OPERATORS = 1_000;

class Parser {
  private index = 0;
  private depth = 0;
  private operators = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterExpr {
    const expr = this.parseOr();
    const next = this.peek();
    if (next.type !== 'eof') this.unexpected(next, 'expected and, or, or the end of the filter');
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private take(): Token {
    return this.tokens[this.index++];
  }

  private isWord(token: Token, word: string): boolean {
    return token.type === 'ident' && token.text === word;
  }

  private unexpected(token: Token, expectation: string): never {
    if (token.type === 'ident') {
      const lower = token.text.toLowerCase();
      if (lower !== token.text && KEYWORDS.has(lower)) fail(token.pos, token.text, `operators are lower case: write '${lower}'`);
      if (UNSUPPORTED_OPERATORS.has(token.text)) fail(token.pos, token.text, `the operator '${token.text}' is not supported`);
    }
    return fail(token.pos, token.text, expectation);
  }

  /** Counts one level of nesting (parentheses, not, a function call) around `inner`. */
  private nested<T>(token: Token, inner: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) {
      fail(token.pos, token.text, `the filter nests parentheses, not and function calls more than ${MAX_FILTER_DEPTH} deep; write it with less nesting`);
    }
    const result = inner();
    this.depth--;
    return result;
  }

  private countOperator(token: Token): void {
    if (++this.operators > MAX_FILTER_OPERATORS) {
      fail(
        token.pos,
        token.text,
        `the filter joins more than ${MAX_FILTER_OPERATORS} conditions with and/or; use in (...) for lists of values, or split the query`,
      );
    }
  }

  private parseOr(): FilterExpr {
    let left = this.parseAnd();
    while (this.isWord(this.peek(), 'or')) {
      this.countOperator(this.take());
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpr {
    let left = this.parseNot();
    while (this.isWord(this.peek(), 'and')) {
      this.countOperator(this.take());
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): FilterExpr {
    if (this.isWord(this.peek(), 'not')) {
      const not = this.take();
      return this.nested(not, () => ({ kind: 'not', operand: this.parseNot() }));
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterExpr {
    const left = this.parsePrimary();
    const next = this.peek();
    if (next.type === 'ident' && (COMPARE_OPS as readonly string[]).includes(next.text)) {
      this.take();
      return { kind: 'compare', op: next.text as CompareOp, left, right: this.parsePrimary() };
    }
    if (this.isWord(next, 'in')) {
      this.take();
      return { kind: 'in', left, list: this.parseLiteralList() };
    }
    return left;
  }

  private parseLiteralList(): Literal[] {
    const open = this.take();
    if (open.type !== 'lparen') this.unexpected(open, "expected '(' after in, as in SourceId in ('R1','R2')");
    const list: Literal[] = [];
    for (;;) {
      const token = this.peek();
      const literal = this.literalFrom(token);
      if (!literal) this.unexpected(token, 'expected a literal in the in (...) list');
      this.take();
      list.push(literal);
      const after = this.take();
      if (after.type === 'rparen') return list;
      if (after.type !== 'comma') this.unexpected(after, "expected ',' or ')' in the in (...) list");
    }
  }

  private literalFrom(token: Token): Literal | undefined {
    switch (token.type) {
      case 'string':
        return { kind: 'literal', type: 'string', value: token.value as string, text: token.text };
      case 'number':
        return { kind: 'literal', type: 'number', value: token.value as number, text: token.text };
      case 'datetime':
        return { kind: 'literal', type: 'datetime', value: token.value as number, text: token.text };
      case 'date':
        return { kind: 'literal', type: 'date', value: token.value as string, text: token.text };
      case 'ident':
        if (token.text === 'true' || token.text === 'false') {
          return { kind: 'literal', type: 'boolean', value: token.text === 'true', text: token.text };
        }
        if (token.text === 'null') return { kind: 'literal', type: 'null', value: null, text: token.text };
        if (token.text === 'NaN') return { kind: 'literal', type: 'number', value: NaN, text: token.text };
        return undefined;
      default:
        return undefined;
    }
  }

  private parsePrimary(): FilterExpr {
    const token = this.peek();
    if (token.type === 'lparen') {
      this.take();
      return this.nested(token, () => {
        const inner = this.parseOr();
        const close = this.take();
        if (close.type !== 'rparen') this.unexpected(close, "expected ')'");
        return inner;
      });
    }
    const literal = this.literalFrom(token);
    if (literal) {
      this.take();
      return literal;
    }
    if (token.type === 'ident' && !KEYWORDS.has(token.text)) {
      this.take();
      if (this.peek().type === 'lparen') return this.nested(token, () => this.parseCall(token));
      if (UNSUPPORTED_OPERATORS.has(token.text)) this.unexpected(token, '');
      return { kind: 'property', name: token.text };
    }
    return this.unexpected(token, 'expected a property, a literal or (');
  }

  private parseCall(name: Token): FilterExpr {
    if (!(FUNCTION_NAMES as readonly string[]).includes(name.text)) {
      fail(name.pos, name.text, `the function ${name.text}() is not supported`);
    }
    this.take(); // (
    const args: FilterExpr[] = [];
    if (this.peek().type === 'rparen') {
      this.take();
    } else {
      for (;;) {
        args.push(this.parseOr());
        const after = this.take();
        if (after.type === 'rparen') break;
        if (after.type !== 'comma') this.unexpected(after, `expected ',' or ')' in ${name.text}(...)`);
      }
    }
    return { kind: 'call', name: name.text as FunctionName, args };
  }
}

/** Parses a `$filter` value, or throws a 400 ODataError saying where and why it is not supported. */
export function parseFilter(source: string): FilterExpr {
  if (source.trim() === '') throw badOption('$filter', `is empty; leave it out or give a condition. ${FILTER_SUPPORTED}`);
  if (source.length > MAX_FILTER_LENGTH) {
    throw badOption(
      '$filter',
      `is ${source.length} characters long, more than the ${MAX_FILTER_LENGTH} allowed; use in (...) for lists of sources, or split the query`,
    );
  }
  return new Parser(tokenize(source)).parse();
}

/** The conditions joined by `and` at the top level, parentheses removed: `a and (b and c)` gives [a, b, c]. */
export function conjuncts(expr: FilterExpr): FilterExpr[] {
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

/** The alternatives joined by `or` at the top level. */
export function disjuncts(expr: FilterExpr): FilterExpr[] {
  return expr.kind === 'or' ? [...disjuncts(expr.left), ...disjuncts(expr.right)] : [expr];
}
