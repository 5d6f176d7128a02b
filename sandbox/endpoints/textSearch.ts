import type { StoredRecord } from '../datasets/Dataset.ts';
import type { JsonValue } from '../fql/compileFql.ts';

/** Results per match list (itself cached per filter and data version): a paging client repeats its `q`. */
const RESULTS = new WeakMap<readonly StoredRecord[], Map<string, readonly StoredRecord[]>>();
const RESULTS_PER_LIST = 8;

/**
 * The records whose string fields, at any depth, contain `q` ignoring case: alerts' "search all alert
 * metadata", intel's "generic substring search across all fields". Keeps the order of `matches`.
 * Numbers and booleans are not searched: which non-string fields the API's full-text index covers is UNVERIFIED.
 */
export function textSearch(matches: readonly StoredRecord[], q: string): readonly StoredRecord[] {
  const needle = q.trim().toLowerCase();
  if (needle === '') return matches;
  const results = RESULTS.get(matches) ?? new Map<string, readonly StoredRecord[]>();
  const cached = results.get(needle);
  if (cached !== undefined) return cached;
  const found = matches.filter((r) => containsText(r.body, needle));
  if (results.size >= RESULTS_PER_LIST) results.clear();
  results.set(needle, found);
  RESULTS.set(matches, results);
  return found;
}

/** `needle` is already lower case. */
function containsText(value: JsonValue, needle: string): boolean {
  if (typeof value === 'string') return value.toLowerCase().includes(needle);
  if (Array.isArray(value)) return value.some((v) => containsText(v, needle));
  if (typeof value === 'object' && value !== null) return Object.values(value).some((v) => containsText(v, needle));
  return false;
}
