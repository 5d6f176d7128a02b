import type { WorkflowData } from './WorkflowData.ts';

export type ConditionResult = { ok: true; value: boolean } | { ok: false; message: string };

const TERM = /^([A-Za-z_][\w.-]*):(!)?(<=|>=|<|>)?(null|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false)$/;

/**
 * Fusion's FQL-style conditions as the samples write them: `path:!null`, `path:'x'`, `path:!'0'`,
 * `Loop.Iteration:<10`, terms joined with `+` (AND). Comparison is on strings unless both sides are numbers.
 */
export function evaluateFqlCondition(expression: string, data: WorkflowData): ConditionResult {
  for (const raw of expression.split('+')) {
    const term = raw.trim();
    const match = TERM.exec(term);
    if (match === null) return { ok: false, message: `cannot read the condition term "${term}"; write path:value, path:!value, path:<n or path:null` };
    const [, path = '', negated, comparison, literal = ''] = match;
    const actual = data.get(path);
    let holds: boolean;
    if (literal === 'null') {
      if (comparison !== undefined) return { ok: false, message: `"${term}" compares with null` };
      holds = actual === undefined || actual === null;
    } else {
      const expected = literal.startsWith("'") ? literal.slice(1, -1).replace(/\\(.)/g, '$1') : literal;
      holds = comparison === undefined ? equalLoose(actual, expected) : compare(actual, expected, comparison);
    }
    if (negated !== undefined) holds = !holds;
    if (!holds) return { ok: true, value: false };
  }
  return { ok: true, value: true };
}

function equalLoose(actual: unknown, expected: string): boolean {
  if (actual === undefined || actual === null) return false;
  return String(actual) === expected;
}

function compare(actual: unknown, expected: string, op: string): boolean {
  const a = Number(actual);
  const b = Number(expected);
  if (actual === undefined || actual === null || Number.isNaN(a) || Number.isNaN(b)) return false;
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
