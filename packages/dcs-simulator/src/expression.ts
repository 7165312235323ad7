/**
 * Virtual meter expressions: arithmetic over register aliases, e.g. `(R1+R2)*0.207` or
 * `R1-R2`. Parsed once into a small tree and compiled to a closure over an array of alias
 * values, so evaluating one reading costs a few arithmetic operations.
 */

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'alias'; index: number }
  | { kind: 'negate'; operand: Node }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Node; right: Node };

export type Evaluator = (values: Float64Array) => number;

export interface CompiledExpression {
  /** Aliases in the order the evaluator expects their values. */
  aliases: string[];
  evaluate: Evaluator;
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) {
      if (expression.slice(start).trim() === '') break;
      throw new Error(`Unexpected character in expression "${expression}" at position ${start + 1}`);
    }
    tokens.push(match[1] ?? match[2] ?? match[3]);
  }
  return tokens;
}

export function compileExpression(expression: string): CompiledExpression {
  const tokens = tokenize(expression);
  const aliases: string[] = [];
  let position = 0;

  const peek = (): string | undefined => tokens[position];
  const fail = (what: string): never => {
    throw new Error(`Invalid expression "${expression}": ${what}`);
  };

  const primary = (): Node => {
    const token = tokens[position++];
    if (token === undefined) return fail('it ends too early');
    if (token === '(') {
      const inner = sum();
      if (tokens[position++] !== ')') fail('a ")" is missing');
      return inner;
    }
    if (token === '-') return { kind: 'negate', operand: primary() };
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[A-Za-z_]/.test(token)) {
      let index = aliases.indexOf(token);
      if (index < 0) index = aliases.push(token) - 1;
      return { kind: 'alias', index };
    }
    return fail(`unexpected "${token}"`);
  };
  const product = (): Node => {
    let node = primary();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[position++] as '*' | '/';
      node = { kind: 'binary', op, left: node, right: primary() };
    }
    return node;
  };
  const sum = (): Node => {
    let node = product();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[position++] as '+' | '-';
      node = { kind: 'binary', op, left: node, right: product() };
    }
    return node;
  };

  const tree = sum();
  if (position !== tokens.length) fail(`unexpected "${tokens[position]}"`);
  return { aliases, evaluate: compile(tree) };
}

function compile(node: Node): Evaluator {
  switch (node.kind) {
    case 'number': {
      const value = node.value;
      return () => value;
    }
    case 'alias': {
      const index = node.index;
      return (values) => values[index];
    }
    case 'negate': {
      const operand = compile(node.operand);
      return (values) => -operand(values);
    }
    case 'binary': {
      const left = compile(node.left);
      const right = compile(node.right);
      switch (node.op) {
        case '+':
          return (values) => left(values) + right(values);
        case '-':
          return (values) => left(values) - right(values);
        case '*':
          return (values) => left(values) * right(values);
        case '/':
          return (values) => left(values) / right(values);
      }
    }
  }
}
