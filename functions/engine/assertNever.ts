/**
 * The default branch of every switch over a union in the engine. The compiler proves the branch
 * unreachable; a value that gets there anyway (JSON from a host built against another version) fails
 * loudly and named, instead of falling off the switch and handing the host `undefined`.
 */
export function assertNever(value: never, what: string): never {
  const seen: unknown = value;
  const kind = typeof seen === 'object' && seen !== null && 'kind' in seen ? (seen as { kind: unknown }).kind : seen;
  throw new Error(`Unexpected ${what}: ${JSON.stringify(kind) ?? String(kind)}.`);
}
