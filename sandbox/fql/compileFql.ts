import type { FqlLiteral, FqlNode, FqlOperator } from './FqlNode.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type FqlPredicate = (record: JsonObject) => boolean;

/**
 * Turns a parsed filter into a predicate over one record. Literals are prepared once here because the
 * sandbox evaluates the same filter over tens of thousands of records per page.
 *
 * Comparison rules: numbers numerically (numeric strings too); two ISO timestamps as instants (so
 * `...00Z` equals `...00.000Z`); other strings by code unit, which keeps `_marker` order lexicographic.
 * A dotted path that crosses an array matches when any element matches; `:!` matches when none does.
 * A `*` inside a quoted equality value is a case-insensitive wildcard.
 */
export function compileFql(node: FqlNode): FqlPredicate {
  switch (node.kind) {
    case 'and': {
      const parts = node.children.map(compileFql);
      return (record) => parts.every((p) => p(record));
    }
    case 'or': {
      const parts = node.children.map(compileFql);
      return (record) => parts.some((p) => p(record));
    }
    case 'compare':
      return compileComparison(node.field.split('.'), node.operator, node.values.map(prepareLiteral));
  }
}

type Scalar = string | number | boolean;

interface PreparedLiteral {
  literal: FqlLiteral;
  /** Canonical `toISOString()` form when the literal is an ISO timestamp. */
  iso: string | null;
  glob: RegExp | null;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
export const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

/** The canonical `toISOString()` form of an ISO timestamp string, or null when it is not one. */
export function toCanonicalIso(value: string): string | null {
  if (CANONICAL_ISO.test(value)) return value;
  if (!ISO.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function prepareLiteral(literal: FqlLiteral): PreparedLiteral {
  if (literal.kind !== 'string') return { literal, iso: null, glob: null };
  const glob = literal.value.includes('*')
    ? new RegExp(`^${literal.value.split('*').map(escapeRegExp).join('.*')}$`, 'is')
    : null;
  return { literal, iso: toCanonicalIso(literal.value), glob };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileComparison(path: string[], operator: FqlOperator, literals: PreparedLiteral[]): FqlPredicate {
  const matchesAny = (value: Scalar): boolean => literals.some((l) => equals(value, l));
  switch (operator) {
    case 'eq':
      return (record) => valuesAt(record, path).some(matchesAny);
    case 'ne':
      return (record) => !valuesAt(record, path).some(matchesAny);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const literal = literals[0];
      if (literal === undefined) return () => false;
      return (record) =>
        valuesAt(record, path).some((v) => {
          const order = compare(v, literal);
          return order !== null && satisfies(operator, order);
        });
    }
  }
}

function satisfies(operator: 'gt' | 'gte' | 'lt' | 'lte', order: number): boolean {
  switch (operator) {
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
  }
}

function equals(value: Scalar, prepared: PreparedLiteral): boolean {
  if (prepared.glob !== null) return prepared.glob.test(String(value));
  return compare(value, prepared) === 0;
}

/** Sign of value minus literal, or null when the two cannot be ordered. */
function compare(value: Scalar, prepared: PreparedLiteral): number | null {
  const { literal } = prepared;
  if (typeof value === 'boolean' || literal.kind === 'boolean') {
    return String(value) === String(literal.value) ? 0 : null;
  }
  if (typeof value === 'number') {
    if (literal.kind === 'number') return value - literal.value;
    return NUMERIC.test(literal.value) ? value - Number(literal.value) : null;
  }
  if (literal.kind === 'number') {
    return NUMERIC.test(value) ? Number(value) - literal.value : null;
  }
  if (prepared.iso !== null) {
    const iso = toCanonicalIso(value);
    if (iso !== null) return stringOrder(iso, prepared.iso);
  }
  return stringOrder(value, literal.value);
}

function stringOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every scalar reachable by the dotted path, fanning out over arrays. */
function valuesAt(record: JsonObject, path: string[]): Scalar[] {
  let current: JsonValue[] = [record];
  for (const key of path) {
    const next: JsonValue[] = [];
    for (const node of current) collectChild(node, key, next);
    current = next;
  }
  const out: Scalar[] = [];
  for (const v of current) flattenScalars(v, out);
  return out;
}

function collectChild(node: JsonValue, key: string, into: JsonValue[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectChild(item, key, into);
    return;
  }
  if (node !== null && typeof node === 'object' && Object.hasOwn(node, key)) {
    const child = node[key];
    if (child !== undefined) into.push(child);
  }
}

function flattenScalars(value: JsonValue, into: Scalar[]): void {
  if (value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) flattenScalars(v, into);
    return;
  }
  if (typeof value === 'object') return;
  into.push(value);
}
