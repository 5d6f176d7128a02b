/** A zod issue path as a reader writes it: `health.timeline[3].kind`. */
export function issuePath(path: ReadonlyArray<string | number>, whole: string): string {
  if (path.length === 0) return whole;
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}
