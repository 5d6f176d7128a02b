import { maxPageSize, type StreamSpec } from '../falcon/streams.ts';

export function optimalCalls(spec: StreamSpec, total: number): number {
  // An offset window ends on a page with fewer records than asked (a full last page needs one more, empty,
  // page); a cursor chain ends with one more query from the watermark that finds nothing left.
  const size = maxPageSize(spec);
  const pages = spec.style === 'offset' ? Math.floor(total / size) + 1 : Math.ceil(total / size) + 1;
  return pages + (spec.hydrate ? Math.ceil(total / spec.hydrate.maxIds) : 0);
}
