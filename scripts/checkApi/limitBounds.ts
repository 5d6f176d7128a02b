/**
 * The range a `limit` parameter accepts. FalconPy carries it as `minimum`/`maximum` on some endpoints and
 * only in the description on others ("The maximum records to return. [1-10000]", "must be between 1 and
 * 10000", "(default: 100; max: 1000)"), so both are read; a schema bound wins over a description bound.
 */
export interface LimitBounds {
  minimum: number | null;
  maximum: number | null;
  /** Where the maximum came from: a description bound is prose and may be stale. */
  source: 'schema' | 'description';
}

export function limitBounds(schema: { minimum: number | null; maximum: number | null }, description: string | null): LimitBounds | null {
  const text = textBounds(description ?? '');
  const minimum = schema.minimum ?? text.minimum;
  const maximum = schema.maximum ?? text.maximum;
  if (minimum === null && maximum === null) return null;
  return { minimum, maximum, source: schema.maximum !== null || text.maximum === null ? 'schema' : 'description' };
}

function textBounds(text: string): { minimum: number | null; maximum: number | null } {
  const range = /\[\s*(\d[\d,]*)\s*-\s*(\d[\d,]*)\s*\]/.exec(text) ?? /\bbetween\s+(\d[\d,]*)\s+and\s+(\d[\d,]*)/i.exec(text);
  if (range !== null) return { minimum: number(range[1]), maximum: number(range[2]) };
  const max = /\bmax(?:imum)?(?:\s+of)?\s*:?\s*(\d[\d,]*)/i.exec(text);
  return { minimum: null, maximum: max === null ? null : number(max[1]) };
}

function number(digits: string | undefined): number | null {
  if (digits === undefined) return null;
  const n = Number(digits.replaceAll(',', ''));
  return Number.isFinite(n) ? n : null;
}
