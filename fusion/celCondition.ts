import type { ConditionResult } from './fqlCondition.ts';
import type { WorkflowData } from './WorkflowData.ts';

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ident'; value: string }
  | { kind: 'op'; value: string };

type Value = string | number | boolean | null | unknown[] | Record<string, unknown>;

class CelError extends Error {}

/**
 * The CEL subset our workflows use: `data['path']`, string/number/bool/null literals, `== != < <= > >=`,
 * `&& || !`, parentheses and `size()`, `int()`, `string()`. Anything else is refused with a message,
 * so a workflow that needs more fails in tests instead of being misread.
 */
export function evaluateCelCondition(expression: string, data: WorkflowData): ConditionResult {
  try {
    const parser = new Parser(tokenize(expression), data);
    const value = parser.parseExpression();
    parser.expectEnd();
    if (typeof value !== 'boolean') return { ok: false, message: `the CEL condition "${expression}" is not boolean` };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, message: `cannot evaluate the CEL condition "${expression}": ${error instanceof Error ? error.message : String(error)}` };
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\') j++;
        value += text[j] ?? '';
        j++;
      }
      if (j >= text.length) throw new CelError('unterminated string');
      tokens.push({ kind: 'string', value });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const match = /^\d+(\.\d+)?/.exec(text.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'number', value: Number(match) });
      i += match.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_]\w*/.exec(text.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'ident', value: match });
      i += match.length;
    } else {
      const two = text.slice(i, i + 2);
      if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
        tokens.push({ kind: 'op', value: two });
        i += 2;
      } else if ('<>!()[],'.includes(c)) {
        tokens.push({ kind: 'op', value: c });
        i++;
      } else {
        throw new CelError(`unexpected character "${c}"`);
      }
    }
  }
  return tokens;
}

class Parser {
  #position = 0;
  readonly #tokens: Token[];
  readonly #data: WorkflowData;

  constructor(tokens: Token[], data: WorkflowData) {
    this.#tokens = tokens;
    this.#data = data;
  }

  expectEnd(): void {
    if (this.#position < this.#tokens.length) throw new CelError('unexpected trailing input');
  }

  parseExpression(): Value {
    let left = this.#parseAnd();
    while (this.#takeOp('||')) {
      const right = this.#parseAnd();
      left = truthy(left) || truthy(right);
    }
    return left;
  }

  #parseAnd(): Value {
    let left = this.#parseComparison();
    while (this.#takeOp('&&')) {
      const right = this.#parseComparison();
      left = truthy(left) && truthy(right);
    }
    return left;
  }

  #parseComparison(): Value {
    const left = this.#parseUnary();
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
      if (this.#takeOp(op)) return compare(left, this.#parseUnary(), op);
    }
    return left;
  }

  #parseUnary(): Value {
    if (this.#takeOp('!')) return !truthy(this.#parseUnary());
    return this.#parsePrimary();
  }

  #parsePrimary(): Value {
    const token = this.#tokens[this.#position++];
    if (token === undefined) throw new CelError('unexpected end');
    switch (token.kind) {
      case 'string':
      case 'number':
        return token.value;
      case 'op':
        if (token.value === '(') {
          const inner = this.parseExpression();
          if (!this.#takeOp(')')) throw new CelError('missing )');
          return inner;
        }
        throw new CelError(`unexpected "${token.value}"`);
      case 'ident':
        return this.#identifier(token.value);
    }
  }

  #identifier(name: string): Value {
    switch (name) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'data': {
        if (!this.#takeOp('[')) throw new CelError("data must be indexed: data['path']");
        const key = this.#tokens[this.#position++];
        if (key?.kind !== 'string' || !this.#takeOp(']')) throw new CelError("data must be indexed with a quoted path: data['path']");
        const value = this.#data.get(key.value);
        return value === undefined ? null : (value as Value);
      }
      case 'size':
      case 'int':
      case 'string': {
        if (!this.#takeOp('(')) throw new CelError(`${name} takes one argument in parentheses`);
        const argument = this.parseExpression();
        if (!this.#takeOp(')')) throw new CelError('missing )');
        return applyFunction(name, argument);
      }
      default:
        throw new CelError(`unknown identifier "${name}"`);
    }
  }

  #takeOp(op: string): boolean {
    const token = this.#tokens[this.#position];
    if (token?.kind === 'op' && token.value === op) {
      this.#position++;
      return true;
    }
    return false;
  }
}

function applyFunction(name: 'size' | 'int' | 'string', argument: Value): Value {
  switch (name) {
    case 'size':
      if (typeof argument === 'string' || Array.isArray(argument)) return argument.length;
      if (argument !== null && typeof argument === 'object') return Object.keys(argument).length;
      throw new CelError('size() needs a string, list or map');
    case 'int': {
      const n = Number(argument);
      if (!Number.isFinite(n)) throw new CelError(`int() cannot convert ${JSON.stringify(argument)}`);
      return Math.trunc(n);
    }
    case 'string':
      return typeof argument === 'string' ? argument : JSON.stringify(argument);
  }
}

function truthy(value: Value): boolean {
  if (typeof value !== 'boolean') throw new CelError(`${JSON.stringify(value)} is not boolean`);
  return value;
}

function compare(left: Value, right: Value, op: string): boolean {
  if (op === '==') return JSON.stringify(left) === JSON.stringify(right);
  if (op === '!=') return JSON.stringify(left) !== JSON.stringify(right);
  if (typeof left !== typeof right || (typeof left !== 'number' && typeof left !== 'string')) {
    throw new CelError(`cannot order ${JSON.stringify(left)} and ${JSON.stringify(right)}`);
  }
  const a = left as number | string;
  const b = right as number | string;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}
