/**
 * Type-checks a parsed `$filter` against an entity type and compiles it into a predicate over
 * rows. Used for the small entity sets (filtered in memory) and for the parts of a Readings
 * filter that DCS cannot answer itself (e.g. `Value gt 10`), applied to each reading as it streams.
 */
import { badOption } from './errors';
import type { FilterExpr, FunctionName, Literal } from './filter';
import { findProperty, propertyNames, type EdmType, type EntityTypeDef } from './model';

/** A row as the evaluator sees it; date-times are epoch milliseconds. */
export type RowValue = string | number | boolean | null;
export type Row = Readonly<Record<string, RowValue>>;

type ValueType = 'string' | 'number' | 'boolean' | 'datetime' | 'date' | 'null';

interface Compiled {
  type: ValueType;
  evaluate(row: Row): RowValue;
  describe: string;
}

export type RowPredicate = (row: Row) => boolean;

function valueTypeOf(edm: EdmType): ValueType {
  switch (edm) {
    case 'Edm.String':
      return 'string';
    case 'Edm.Boolean':
      return 'boolean';
    case 'Edm.DateTimeOffset':
      return 'datetime';
    default:
      return 'number';
  }
}

const TYPE_WORDS: Record<ValueType, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true/false',
  datetime: 'a date-time',
  date: 'a date',
  null: 'null',
};

/**
 * What a filter is compiled against: the entity type, and the time zone whose offsets the rows'
 * date-times are written with (Intervals' Start is local; Readings are UTC), so that `date()`,
 * `year()` ... `hour()` read the date-time as the caller sees it, as OData says they do.
 */
interface Context {
  type: EntityTypeDef;
  /** The offset (minutes) the row's date-times are written with at an instant. */
  offsetAt: (ms: number) => number;
}

function refuse(message: string): never {
  throw badOption('$filter', message);
}

/** Equality that finds NaN (`Value eq NaN` lists readings without a finite value). */
function same(a: RowValue, b: RowValue): boolean {
  if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return true;
  return a === b;
}

function order(a: RowValue, b: RowValue): number | undefined {
  if (a === null || b === null) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) || Number.isNaN(b) ? undefined : a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function literal(lit: Literal): Compiled {
  const value = lit.value;
  return { type: lit.type, evaluate: () => value, describe: lit.text };
}

function compileCall(name: FunctionName, args: Compiled[], ctx: Context): Compiled {
  const expectArgs = (types: ValueType[]): void => {
    if (args.length !== types.length) refuse(`${name}() takes ${types.length} argument${types.length === 1 ? '' : 's'}, not ${args.length}`);
    args.forEach((arg, i) => {
      if (arg.type !== types[i] && arg.type !== 'null') {
        refuse(`${name}() needs ${TYPE_WORDS[types[i]]} as argument ${i + 1}, but ${arg.describe} is ${TYPE_WORDS[arg.type]}`);
      }
    });
  };
  const describe = `${name}(${args.map((a) => a.describe).join(',')})`;
  const text = (row: Row, i: number): string | null => {
    const v = args[i].evaluate(row);
    return typeof v === 'string' ? v : null;
  };
  switch (name) {
    case 'contains':
    case 'startswith':
    case 'endswith': {
      expectArgs(['string', 'string']);
      const test =
        name === 'contains'
          ? (a: string, b: string) => a.includes(b)
          : name === 'startswith'
            ? (a: string, b: string) => a.startsWith(b)
            : (a: string, b: string) => a.endsWith(b);
      return {
        type: 'boolean',
        describe,
        evaluate: (row) => {
          const a = text(row, 0);
          const b = text(row, 1);
          return a !== null && b !== null && test(a, b);
        },
      };
    }
    case 'tolower':
    case 'toupper':
    case 'trim': {
      expectArgs(['string']);
      const change = name === 'tolower' ? (s: string) => s.toLowerCase() : name === 'toupper' ? (s: string) => s.toUpperCase() : (s: string) => s.trim();
      return {
        type: 'string',
        describe,
        evaluate: (row) => {
          const a = text(row, 0);
          return a === null ? null : change(a);
        },
      };
    }
    case 'length':
      expectArgs(['string']);
      return {
        type: 'number',
        describe,
        evaluate: (row) => {
          const a = text(row, 0);
          return a === null ? null : a.length;
        },
      };
    case 'indexof':
    case 'substring':
      return compileTextPosition(name, args, describe);
    default: {
      expectArgs(['datetime']);
      const part = datePart(name);
      return {
        type: name === 'date' ? 'date' : 'number',
        describe,
        evaluate: (row) => {
          const v = args[0].evaluate(row);
          return typeof v === 'number' ? part(new Date(v + ctx.offsetAt(v) * 60_000)) : null;
        },
      };
    }
  }
}

/** `indexof(s,t)` (0-based, -1 when absent) and `substring(s,start[,length])`, as Text.PositionOf and Text.Middle fold. */
function compileTextPosition(name: 'indexof' | 'substring', args: Compiled[], describe: string): Compiled {
  const want: ValueType[] = name === 'indexof' ? ['string', 'string'] : (['string', 'number', 'number'].slice(0, Math.max(2, args.length)) as ValueType[]);
  if (args.length !== want.length || args.some((a, i) => a.type !== want[i] && a.type !== 'null')) {
    refuse(
      name === 'indexof' ? "indexof() takes two texts: indexof(Name,'Main')" : 'substring() takes a text, a start and optionally a length: substring(Name,0,4)',
    );
  }
  const at = (row: Row, i: number) => args[i]?.evaluate(row);
  if (name === 'indexof') {
    return {
      type: 'number',
      describe,
      evaluate: (row) => {
        const [a, b] = [at(row, 0), at(row, 1)];
        return typeof a === 'string' && typeof b === 'string' ? a.indexOf(b) : null;
      },
    };
  }
  return {
    type: 'string',
    describe,
    evaluate: (row) => {
      const [text, start, length] = [at(row, 0), at(row, 1), at(row, 2)];
      if (typeof text !== 'string' || typeof start !== 'number') return null;
      const from = Math.max(0, start);
      return args.length === 3 ? (typeof length === 'number' ? text.slice(from, from + Math.max(0, length)) : null) : text.slice(from);
    },
  };
}

/** A part of a date-time, read from a Date shifted to the row's offset (so its UTC fields are local). */
function datePart(name: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'date'): (d: Date) => RowValue {
  switch (name) {
    case 'date':
      return (d) => d.toISOString().slice(0, 10);
    case 'year':
      return (d) => d.getUTCFullYear();
    case 'month':
      return (d) => d.getUTCMonth() + 1;
    case 'day':
      return (d) => d.getUTCDate();
    case 'hour':
      return (d) => d.getUTCHours();
    case 'minute':
      return (d) => d.getUTCMinutes();
    case 'second':
      return (d) => d.getUTCSeconds();
  }
}

function requireBoolean(c: Compiled, context: string): void {
  if (c.type !== 'boolean') refuse(`${context} needs a true/false condition, but ${c.describe} is ${TYPE_WORDS[c.type]}`);
}

function comparable(left: Compiled, right: Compiled, op: string): void {
  if (left.type === 'null' || right.type === 'null') {
    if (op !== 'eq' && op !== 'ne') refuse(`null can only be compared with eq or ne (${left.describe} ${op} ${right.describe})`);
    return;
  }
  if (left.type !== right.type) {
    const hint =
      left.type === 'date' || right.type === 'date'
        ? ` (a date alone is not a date-time: write 2024-01-01T00:00:00Z for midnight UTC, or compare date(${left.type === 'datetime' ? left.describe : right.describe}) with the date)`
        : left.type === 'datetime' || right.type === 'datetime'
          ? ' (write date-times like 2024-01-01T00:00:00Z, without quotes)'
          : '';
    refuse(`cannot compare ${left.describe} (${TYPE_WORDS[left.type]}) with ${right.describe} (${TYPE_WORDS[right.type]})${hint}`);
  }
  if (left.type === 'boolean' && op !== 'eq' && op !== 'ne') refuse(`true/false values can only be compared with eq or ne (${left.describe} ${op} ...)`);
}

function compile(expr: FilterExpr, ctx: Context): Compiled {
  switch (expr.kind) {
    case 'literal':
      return literal(expr);
    case 'property': {
      const type = ctx.type;
      const p = findProperty(type, expr.name);
      if (!p && expr.name.includes('/') && type.navigation?.some((n) => expr.name.startsWith(`${n.name}/`))) {
        refuse(`${expr.name} can be filtered on in a condition of its own only (e.g. ${expr.name} eq '...'), joined to the rest of the filter with and`);
      }
      if (!p) refuse(`${type.name} has no property '${expr.name}'; its properties are ${propertyNames(type)} (names are case-sensitive)`);
      const name = p.name;
      return { type: valueTypeOf(p.type), evaluate: (row) => row[name] ?? null, describe: name };
    }
    case 'call':
      return compileCall(
        expr.name,
        expr.args.map((a) => compile(a, ctx)),
        ctx,
      );
    case 'compare': {
      const left = compile(expr.left, ctx);
      const right = compile(expr.right, ctx);
      comparable(left, right, expr.op);
      const describe = `${left.describe} ${expr.op} ${right.describe}`;
      const test = comparison(expr.op);
      return { type: 'boolean', describe, evaluate: (row) => test(left.evaluate(row), right.evaluate(row)) };
    }
    case 'in': {
      const left = compile(expr.left, ctx);
      const items = expr.list.map(literal);
      for (const item of items) comparable(left, item, 'eq');
      const values = items.map((i) => i.evaluate({}));
      return {
        type: 'boolean',
        describe: `${left.describe} in (...)`,
        evaluate: (row) => {
          const v = left.evaluate(row);
          return values.some((candidate) => same(v, candidate));
        },
      };
    }
    case 'and':
    case 'or': {
      const left = compile(expr.left, ctx);
      const right = compile(expr.right, ctx);
      requireBoolean(left, expr.kind);
      requireBoolean(right, expr.kind);
      const describe = `(${left.describe} ${expr.kind} ${right.describe})`;
      return expr.kind === 'and'
        ? { type: 'boolean', describe, evaluate: (row) => left.evaluate(row) === true && right.evaluate(row) === true }
        : { type: 'boolean', describe, evaluate: (row) => left.evaluate(row) === true || right.evaluate(row) === true };
    }
    case 'not': {
      const operand = compile(expr.operand, ctx);
      requireBoolean(operand, 'not');
      return { type: 'boolean', describe: `not ${operand.describe}`, evaluate: (row) => operand.evaluate(row) !== true };
    }
  }
}

function comparison(op: string): (a: RowValue, b: RowValue) => boolean {
  if (op === 'eq') return same;
  if (op === 'ne') return (a, b) => !same(a, b);
  const accept: (o: number) => boolean = op === 'gt' ? (o) => o > 0 : op === 'ge' ? (o) => o >= 0 : op === 'lt' ? (o) => o < 0 : (o) => o <= 0;
  // null and NaN are unordered: every ordering comparison with them is false.
  return (a, b) => {
    const o = order(a, b);
    return o !== undefined && accept(o);
  };
}

/** Compiles a whole filter (or a part of one) into a predicate; throws 400 on type errors. */
export function compileFilter(expr: FilterExpr, type: EntityTypeDef, offsetAt: (ms: number) => number = () => 0): RowPredicate {
  const compiled = compile(expr, { type, offsetAt });
  requireBoolean(compiled, '$filter');
  return (row) => compiled.evaluate(row) === true;
}
