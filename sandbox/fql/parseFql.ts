import type { FqlLiteral, FqlNode, FqlOperator } from './FqlNode.ts';

/** A filter the sandbox cannot parse; `position` is the 1-based character where parsing failed. */
export class FqlSyntaxError extends Error {
  readonly code = 'FQL_SYNTAX';
  override readonly name = 'FqlSyntaxError';

  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`${reason} at position ${position}`);
  }
}

/**
 * Parses `field:'v'`, `field:"v"`, bare numbers/booleans/words, `:>` `:>=` `:<` `:<=` `:!`, `:['a','b']`,
 * `+` (AND, binds tighter) and `,` (OR), parentheses, dotted fields, and `\` escapes inside quotes.
 *
 * A space is not an operator: a URL that carried a raw `+` arrives as a space after form decoding, and
 * failing loudly on it is what the real API's users would want to see in a simulator.
 */
export function parseFql(text: string): FqlNode {
  const parser = new Parser(text);
  const node = parser.parseOr();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail(`unexpected '${parser.peek()}', expected '+', ',' or the end`);
  return node;
}

const FIELD_START = /[A-Za-z_]/;
const FIELD_CHAR = /[A-Za-z0-9_.]/;
const BARE_STOP = new Set([' ', '\t', '\n', '\r', '+', ',', '(', ')', '[', ']', "'", '"']);
const NUMBER = /^-?\d+(\.\d+)?$/;

class Parser {
  #pos = 0;

  constructor(readonly text: string) {}

  atEnd(): boolean {
    return this.#pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.#pos] ?? '';
  }

  fail(reason: string): never {
    throw new FqlSyntaxError(this.#pos + 1, reason);
  }

  skipSpace(): void {
    while (/\s/.test(this.peek()) && !this.atEnd()) this.#pos++;
  }

  parseOr(): FqlNode {
    const children = [this.parseAnd()];
    for (;;) {
      this.skipSpace();
      if (this.peek() !== ',') break;
      this.#pos++;
      children.push(this.parseAnd());
    }
    return children.length === 1 ? (children[0] as FqlNode) : { kind: 'or', children };
  }

  parseAnd(): FqlNode {
    const children = [this.parsePrimary()];
    for (;;) {
      this.skipSpace();
      if (this.peek() !== '+') break;
      this.#pos++;
      children.push(this.parsePrimary());
    }
    return children.length === 1 ? (children[0] as FqlNode) : { kind: 'and', children };
  }

  parsePrimary(): FqlNode {
    this.skipSpace();
    if (this.peek() === '(') {
      this.#pos++;
      const inner = this.parseOr();
      this.skipSpace();
      if (this.peek() !== ')') this.fail("expected ')'");
      this.#pos++;
      return inner;
    }
    return this.parseComparison();
  }

  parseComparison(): FqlNode {
    const field = this.parseField();
    if (this.peek() !== ':') this.fail(`expected ':' after field '${field}'`);
    this.#pos++;
    const operator = this.parseOperator();
    this.skipSpace();
    if (this.peek() === '[') {
      if (operator !== 'eq' && operator !== 'ne') this.fail('a list of values only goes with : or :!');
      return { kind: 'compare', field, operator, values: this.parseList() };
    }
    return { kind: 'compare', field, operator, values: [this.parseLiteral()] };
  }

  parseField(): string {
    if (!FIELD_START.test(this.peek())) this.fail('expected a field name');
    const start = this.#pos;
    while (!this.atEnd() && FIELD_CHAR.test(this.peek())) this.#pos++;
    const field = this.text.slice(start, this.#pos);
    if (field.endsWith('.') || field.includes('..')) this.fail(`invalid field name '${field}'`);
    return field;
  }

  parseOperator(): FqlOperator {
    const two = this.text.slice(this.#pos, this.#pos + 2);
    if (two === '>=' || two === '<=') {
      this.#pos += 2;
      return two === '>=' ? 'gte' : 'lte';
    }
    const one = this.peek();
    if (one === '>' || one === '<' || one === '!') {
      this.#pos++;
      return one === '>' ? 'gt' : one === '<' ? 'lt' : 'ne';
    }
    return 'eq';
  }

  parseList(): FqlLiteral[] {
    this.#pos++; // '['
    const values = [this.parseLiteral()];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === ']') {
        this.#pos++;
        return values;
      }
      if (c !== ',') this.fail("expected ',' or ']' in a list of values");
      this.#pos++;
      values.push(this.parseLiteral());
    }
  }

  parseLiteral(): FqlLiteral {
    this.skipSpace();
    const quote = this.peek();
    if (quote === "'" || quote === '"') return { kind: 'string', value: this.parseQuoted(quote) };
    const start = this.#pos;
    while (!this.atEnd() && !BARE_STOP.has(this.peek())) this.#pos++;
    const word = this.text.slice(start, this.#pos);
    if (word === '') this.fail('expected a value');
    if (NUMBER.test(word)) return { kind: 'number', value: Number(word) };
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
    return { kind: 'string', value: word };
  }

  parseQuoted(quote: string): string {
    this.#pos++;
    let value = '';
    for (;;) {
      if (this.atEnd()) this.fail(`unterminated ${quote === "'" ? 'single' : 'double'}-quoted value`);
      const c = this.peek();
      if (c === '\\') {
        this.#pos++;
        if (this.atEnd()) this.fail('dangling escape');
        value += this.peek();
        this.#pos++;
        continue;
      }
      this.#pos++;
      if (c === quote) return value;
      value += c;
    }
  }
}
