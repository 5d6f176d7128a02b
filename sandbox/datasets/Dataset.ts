import { CANONICAL_ISO, toCanonicalIso, type FqlPredicate, type JsonObject } from '../fql/compileFql.ts';
import type { FqlNode } from '../fql/FqlNode.ts';
import { mergeIntervals, watermarkBounds } from '../fql/watermarkBounds.ts';

/** A record with its sort key pulled out: `key` is the watermark value, `id` the unique id. */
export interface StoredRecord {
  readonly id: string;
  readonly key: string;
  readonly body: JsonObject;
}

/** A parsed filter plus the text it came from (the cache key). A null predicate matches everything. */
export interface CompiledFilter {
  text: string;
  predicate: FqlPredicate | null;
  /** The parsed filter, when there is one: lets a filter that bounds the sort key skip most records. */
  node?: FqlNode;
}

/**
 * How the sort keys compare under FQL: all canonical ISO instants, or all plain strings (code-unit
 * order either way, so sorted order is filter order); mixed keys get no index.
 */
type KeyClass = 'iso' | 'plain' | 'mixed';

function keyClassOf(key: string): KeyClass {
  if (CANONICAL_ISO.test(key)) return 'iso';
  return toCanonicalIso(key) === null ? 'plain' : 'mixed';
}

/** Total order of every list endpoint: watermark ascending, then id ascending. */
export function compareRecords(aKey: string, aId: string, bKey: string, bId: string): number {
  if (aKey !== bKey) return aKey < bKey ? -1 : 1;
  if (aId !== bId) return aId < bId ? -1 : 1;
  return 0;
}

/** First index in a sorted list whose (key, id) is strictly after the given one. */
export function indexAfter(records: readonly StoredRecord[], key: string, id: string): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = records[mid] as StoredRecord;
    if (compareRecords(r.key, r.id, key, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Pulls the sort key out of a record; both fields must be strings (ISO timestamps, `_marker`, ids). */
export function storedRecord(body: JsonObject, idField: string, watermarkField: string): StoredRecord {
  const id = body[idField];
  const key = body[watermarkField];
  if (typeof id !== 'string' || typeof key !== 'string') {
    throw new TypeError(`Failed to store a record: ${idField} and ${watermarkField} must be strings.`);
  }
  return { id, key, body };
}

const MATCH_CACHE_LIMIT = 32;

/**
 * One live collection, always sorted by (watermark, id). Filter results are cached per data version,
 * because a paging client asks for the same filter over and over while the data changes only a little.
 */
export class Dataset {
  readonly #records: StoredRecord[];
  /** Built on first lookup: many sandboxes never hydrate or delete. */
  #byIdIndex: Map<string, StoredRecord> | null = null;
  readonly #matchCache = new Map<string, readonly StoredRecord[]>();
  #version = 0;
  /** Computed on first filtered lookup, kept up to date by inserts. */
  #keyClass: KeyClass | null = null;

  constructor(
    readonly idField: string,
    readonly watermarkField: string,
    sortedRecords: StoredRecord[],
  ) {
    this.#records = sortedRecords;
  }

  get #byId(): Map<string, StoredRecord> {
    this.#byIdIndex ??= new Map(this.#records.map((r) => [r.id, r]));
    return this.#byIdIndex;
  }

  get size(): number {
    return this.#records.length;
  }

  get version(): number {
    return this.#version;
  }

  get(id: string): StoredRecord | undefined {
    return this.#byId.get(id);
  }

  /** Record at a position of the sorted order (used to pick deletions). */
  at(index: number): StoredRecord | undefined {
    return this.#records[index];
  }

  /** Matching records in (watermark, id) order. The returned array must not be mutated. */
  matching(filter: CompiledFilter): readonly StoredRecord[] {
    const { predicate } = filter;
    if (predicate === null) return this.#records;
    const cached = this.#matchCache.get(filter.text);
    if (cached !== undefined) return cached;
    const candidates = filter.node === undefined ? null : this.#candidates(filter.node);
    const result =
      candidates === null
        ? this.#records.filter((r) => predicate(r.body))
        : candidates.exact
          ? candidates.records
          : candidates.records.filter((r) => predicate(r.body));
    if (this.#matchCache.size >= MATCH_CACHE_LIMIT) this.#matchCache.clear();
    this.#matchCache.set(filter.text, result);
    return result;
  }

  /**
   * The records whose sort key lies in the intervals the filter allows, in sorted order, found by binary
   * search: exactly the matches when the filter only bounds the sort key, otherwise a superset to which
   * the predicate still applies. null when the filter does not bound the sort key.
   */
  #candidates(node: FqlNode): { records: StoredRecord[]; exact: boolean } | null {
    this.#keyClass ??= this.#classifyKeys();
    if (this.#keyClass === 'mixed') return null;
    // FQL compares two ISO timestamps as instants and everything else by code unit (compileFql).
    const bound = this.#keyClass === 'iso' ? (literal: string) => toCanonicalIso(literal) ?? literal : (literal: string) => literal;
    const bounds = watermarkBounds(node, this.watermarkField, bound);
    if (bounds === null) return null;
    const records: StoredRecord[] = [];
    for (const i of mergeIntervals(bounds.intervals)) {
      const start = i.from === null ? 0 : i.fromInclusive ? firstKeyAtLeast(this.#records, i.from) : firstKeyAbove(this.#records, i.from);
      const end = i.to === null ? this.#records.length : i.toInclusive ? firstKeyAbove(this.#records, i.to) : firstKeyAtLeast(this.#records, i.to);
      for (let k = start; k < end; k++) records.push(this.#records[k] as StoredRecord);
    }
    return { records, exact: bounds.exact };
  }

  #classifyKeys(): KeyClass {
    let keyClass: KeyClass | null = null;
    for (const r of this.#records) {
      keyClass = keyClass === null ? keyClassOf(r.key) : mergeClass(keyClass, keyClassOf(r.key));
      if (keyClass === 'mixed') break;
    }
    return keyClass ?? 'mixed';
  }

  insert(body: JsonObject): StoredRecord {
    const record = storedRecord(body, this.idField, this.watermarkField);
    if (this.#keyClass !== null) this.#keyClass = mergeClass(this.#keyClass, keyClassOf(record.key));
    if (this.#byId.has(record.id)) throw new Error(`Failed to insert ${record.id}: the id already exists.`);
    this.#records.splice(indexAfter(this.#records, record.key, record.id), 0, record);
    this.#byId.set(record.id, record);
    this.#changed();
    return record;
  }

  delete(id: string): boolean {
    const record = this.#byId.get(id);
    if (record === undefined) return false;
    const index = indexAfter(this.#records, record.key, record.id) - 1;
    this.#records.splice(index, 1);
    this.#byId.delete(id);
    this.#changed();
    return true;
  }

  #changed(): void {
    this.#version++;
    this.#matchCache.clear();
  }
}

function mergeClass(a: KeyClass, b: KeyClass): KeyClass {
  return a === b ? a : 'mixed';
}

function firstKeyAtLeast(records: readonly StoredRecord[], key: string): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid] as StoredRecord).key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstKeyAbove(records: readonly StoredRecord[], key: string): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid] as StoredRecord).key <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
