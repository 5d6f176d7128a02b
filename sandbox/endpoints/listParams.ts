import type { StreamSpec } from '../../functions/falcon/streams.ts';
import type { CompiledFilter, StoredRecord } from '../datasets/Dataset.ts';
import { compileFql } from '../fql/compileFql.ts';
import { FqlSyntaxError, parseFql } from '../fql/parseFql.ts';
import { MESSAGES } from '../messages.ts';

export type ParamResult<T> = { ok: true; value: T } | { ok: false; message: string };

export type SortDirection = 'asc' | 'desc';

/** Page size when the request names none (Falcon's most common documented default). */
const DEFAULT_LIMIT = 100;

export function parseLimit(raw: string | number | undefined | null, spec: StreamSpec): ParamResult<number> {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: Math.min(DEFAULT_LIMIT, spec.maxLimit) };
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > spec.maxLimit) {
    return { ok: false, message: MESSAGES.invalidLimit(1, spec.maxLimit) };
  }
  return { ok: true, value };
}

export function parseOffset(raw: string | undefined | null): ParamResult<number> {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: 0 };
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) return { ok: false, message: MESSAGES.invalidOffset };
  return { ok: true, value };
}

/**
 * Only the watermark field is sortable in the sandbox, in the endpoint's own separator; anything else
 * is refused, which catches a client that sends `field.asc` where the endpoint wants `field|asc`.
 * Without a sort the sandbox serves ascending order (the real combined-alerts default is descending).
 */
export function parseSort(raw: string | undefined | null, spec: StreamSpec): ParamResult<SortDirection> {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: 'asc' };
  const prefix = `${spec.watermarkField}${spec.sortSeparator}`;
  if (!raw.startsWith(prefix)) return { ok: false, message: MESSAGES.invalidSort };
  const direction = raw.slice(prefix.length);
  if (direction !== 'asc' && direction !== 'desc') return { ok: false, message: MESSAGES.invalidSort };
  return { ok: true, value: direction };
}

export function parseFilter(raw: string | undefined | null): ParamResult<CompiledFilter> {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, value: { text: '', predicate: null } };
  try {
    const node = parseFql(text);
    return { ok: true, value: { text, predicate: compileFql(node), node } };
  } catch (error) {
    if (error instanceof FqlSyntaxError) return { ok: false, message: MESSAGES.invalidFilter(error.message) };
    throw error;
  }
}

/** The matching records in the requested direction (a reversed copy for descending). */
export function ordered(records: readonly StoredRecord[], direction: SortDirection): readonly StoredRecord[] {
  return direction === 'asc' ? records : [...records].reverse();
}

export interface OffsetQuery {
  limit: number;
  offset: number;
  sort: SortDirection;
  filter: CompiledFilter;
}

/** `limit`, `offset`, `sort` and `filter` of an offset-paged GET (styles A and D), first problem wins. */
export function parseOffsetQuery(q: URLSearchParams, spec: StreamSpec): ParamResult<OffsetQuery> {
  const limit = parseLimit(q.get('limit'), spec);
  if (!limit.ok) return limit;
  const offset = parseOffset(q.get('offset'));
  if (!offset.ok) return offset;
  const sort = parseSort(q.get('sort'), spec);
  if (!sort.ok) return sort;
  const filter = parseFilter(q.get('filter'));
  if (!filter.ok) return filter;
  return { ok: true, value: { limit: limit.value, offset: offset.value, sort: sort.value, filter: filter.value } };
}
