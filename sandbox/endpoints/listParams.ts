import type { StreamSpec } from '../../functions/falcon/streams.ts';
import type { CompiledFilter, StoredRecord } from '../datasets/Dataset.ts';
import { compileFql } from '../fql/compileFql.ts';
import { FqlSyntaxError, parseFql } from '../fql/parseFql.ts';
import { MESSAGES } from '../messages.ts';
import { listContract } from './listContract.ts';
import { sortedRecords, type SortDirection, type SortOrder } from './SortOrder.ts';
import { textSearch } from './textSearch.ts';

export type ParamResult<T> = { ok: true; value: T } | { ok: false; message: string };

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
 * A sort the route's definition documents, in either spelling (`field.asc` or `field|asc`: Falcon's own
 * documentation and SDKs use both, and the engine sends the catalog's), or a bare field where the
 * definition's enum lists bare names (ascending). Anything else is the 400 `invalid sort`. Without a sort,
 * the route's default order (listContract.ts).
 */
export function parseSort(raw: string | undefined | null, spec: StreamSpec): ParamResult<SortOrder> {
  const contract = listContract(spec.path);
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: { ...contract.defaultSort } };
  const spelled = /^(.+)[.|](asc|desc)$/.exec(raw);
  const field = spelled?.[1] ?? raw;
  const direction: SortDirection = spelled?.[2] === 'desc' ? 'desc' : 'asc';
  if (!contract.sortFields.has(field) || (spelled === null && !contract.bareSort)) return { ok: false, message: MESSAGES.invalidSort };
  return { ok: true, value: { field, direction } };
}

/** The sort as one canonical string, in the route's own separator: what an `after` context is bound to. */
export function sortText(order: SortOrder, spec: StreamSpec): string {
  return `${order.field}${spec.sortSeparator}${order.direction}`;
}

/**
 * Refuses a query parameter the route's definition does not document (naming it), a boolean one that is
 * neither `true` nor `false` and a value outside a documented enum. How the API words these 400s is UNVERIFIED.
 */
export function checkQueryParams(q: URLSearchParams, spec: StreamSpec): ParamResult<null> {
  const contract = listContract(spec.path);
  for (const [name, value] of q) {
    if (!contract.queryParams.includes(name)) return { ok: false, message: MESSAGES.unknownQueryParam(name, spec.path) };
    if (contract.booleanParams.includes(name) && value !== 'true' && value !== 'false') return { ok: false, message: MESSAGES.invalidBoolean(name) };
    const allowed = contract.enumParams[name];
    if (allowed !== undefined && !allowed.includes(value)) return { ok: false, message: MESSAGES.invalidEnumValue(name, value, allowed) };
  }
  return { ok: true, value: null };
}

/** The free-text `q` of a route that takes it in the query string, or '' (no search). */
export function queryText(q: URLSearchParams, spec: StreamSpec): string {
  return listContract(spec.path).textSearch === 'query' ? (q.get('q') ?? '') : '';
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

/** The matching records (watermark order), narrowed by the full-text `q`, in the requested order. */
export function ordered(records: readonly StoredRecord[], order: SortOrder, spec: StreamSpec, q = ''): readonly StoredRecord[] {
  return sortedRecords(textSearch(records, q), order, spec.watermarkField);
}

export interface OffsetQuery {
  limit: number;
  offset: number;
  sort: SortOrder;
  filter: CompiledFilter;
  /** Full-text search, '' for none. */
  q: string;
}

/** The parameters of an offset-paged GET (styles A and D), first problem wins. */
export function parseOffsetQuery(q: URLSearchParams, spec: StreamSpec): ParamResult<OffsetQuery> {
  const params = checkQueryParams(q, spec);
  if (!params.ok) return params;
  const limit = parseLimit(q.get('limit'), spec);
  if (!limit.ok) return limit;
  const offset = parseOffset(q.get('offset'));
  if (!offset.ok) return offset;
  const sort = parseSort(q.get('sort'), spec);
  if (!sort.ok) return sort;
  const filter = parseFilter(q.get('filter'));
  if (!filter.ok) return filter;
  return { ok: true, value: { limit: limit.value, offset: offset.value, sort: sort.value, filter: filter.value, q: queryText(q, spec) } };
}
