import type { StoredRecord } from '../datasets/Dataset.ts';
import type { JsonValue } from '../fql/compileFql.ts';

export type SortDirection = 'asc' | 'desc';

/** One sort field and its direction, with the field as the definition spells it (`metadata.filename.raw`). */
export interface SortOrder {
  field: string;
  direction: SortDirection;
}

/** A record's value for a sort field; null when the record lacks it (or holds an object there). */
export type SortValue = number | string | boolean | null;

/**
 * The value a record sorts on: a dotted path into the body, where an array contributes its first element
 * and a trailing `.raw` (the keyword sub-field of the search index) names the field itself.
 */
export function sortValueOf(body: JsonValue, field: string): SortValue {
  const path = (field.endsWith('.raw') ? field.slice(0, -'.raw'.length) : field).split('.');
  let value: JsonValue | undefined = body;
  for (const step of path) {
    if (Array.isArray(value)) value = value[0];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    value = value[step];
  }
  if (Array.isArray(value)) value = value[0];
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : null;
}

/** A record's place in a sort that is not the watermark: its value, its watermark key and its id. */
export interface SortPosition {
  value: SortValue;
  key: string;
  id: string;
}

/**
 * Total order of a non-watermark sort: by value in the requested direction, records lacking the field last
 * either way (the search index's default), ties broken by (watermark, id) in the same direction so the
 * order is total and a search-after position is exact.
 */
export function comparePositions(a: SortPosition, b: SortPosition, direction: SortDirection): number {
  if (a.value === null && b.value !== null) return 1;
  if (b.value === null && a.value !== null) return -1;
  const sign = direction === 'asc' ? 1 : -1;
  const byValue = a.value === null || b.value === null ? 0 : compareValues(a.value, b.value);
  if (byValue !== 0) return sign * byValue;
  if (a.key !== b.key) return sign * (a.key < b.key ? -1 : 1);
  if (a.id !== b.id) return sign * (a.id < b.id ? -1 : 1);
  return 0;
}

/** Numbers before strings before booleans; within a type, the natural order (strings by code unit). */
function compareValues(a: Exclude<SortValue, null>, b: Exclude<SortValue, null>): number {
  const rank = (v: Exclude<SortValue, null>): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function positionOf(record: StoredRecord, field: string): SortPosition {
  return { value: sortValueOf(record.body, field), key: record.key, id: record.id };
}

/** Sorted views per match list (itself cached per filter and data version), so a paging client sorts once. */
const VIEWS = new WeakMap<readonly StoredRecord[], Map<string, readonly StoredRecord[]>>();
const VIEWS_PER_LIST = 8;

/**
 * The matching records (in watermark order) in the requested order. Watermark sorts keep the dataset's
 * own order (a reversed copy for descending); any other field is sorted by comparePositions.
 */
export function sortedRecords(matches: readonly StoredRecord[], order: SortOrder, watermarkField: string): readonly StoredRecord[] {
  if (order.field === watermarkField) return order.direction === 'asc' ? matches : [...matches].reverse();
  const cacheKey = `${order.field}|${order.direction}`;
  const views = VIEWS.get(matches) ?? new Map<string, readonly StoredRecord[]>();
  const cached = views.get(cacheKey);
  if (cached !== undefined) return cached;
  const keyed = matches.map((record) => ({ record, position: positionOf(record, order.field) }));
  keyed.sort((a, b) => comparePositions(a.position, b.position, order.direction));
  const view = keyed.map((k) => k.record);
  if (views.size >= VIEWS_PER_LIST) views.clear();
  views.set(cacheKey, view);
  VIEWS.set(matches, views);
  return view;
}

/** First index of a sorted view strictly after the given position. */
export function indexAfterPosition(view: readonly StoredRecord[], position: SortPosition, order: SortOrder): number {
  let lo = 0;
  let hi = view.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePositions(positionOf(view[mid] as StoredRecord, order.field), position, order.direction) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A non-watermark position as the `key` of an `after` token (the token itself stays opaque). */
export function encodePositionKey(position: SortPosition): string {
  return JSON.stringify([position.value, position.key]);
}

/** Null for a key that encodePositionKey did not make. */
export function decodePositionKey(encoded: string, id: string): SortPosition | null {
  try {
    const parsed: unknown = JSON.parse(encoded);
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [value, key] = parsed as unknown[];
    const isValue = value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
    if (!isValue || typeof key !== 'string') return null;
    return { value, key, id };
  } catch {
    return null;
  }
}
