import type { EngineError } from '../engine/EngineError.ts';
import type { RunResult } from '../engine/EngineCommand.ts';
import type { EnrichReason } from '../engine/enrich/EnrichCommand.ts';
import type { HealthEventKind } from '../engine/HealthRecord.ts';
import type { IocType } from '../falcon/iocEndpoints.ts';
import { fqlQuote, MAX_USER_FILTER_CHARS } from '../engine/fql.ts';
import type { Io } from '../engine/Io.ts';
import { ENGINE_DEFAULTS, type RunInput } from '../engine/RunInput.ts';
import { collectPageRun } from './collectPageRun.ts';
import { iocTypeOf, type EnrichIndicatorType } from '../falcon/enrichTypes.ts';
import type { FunctionContext } from './FunctionContext.ts';

/** What Falcon Intelligence says about one indicator. Strings on purpose: Fusion turns an absent field into "0". */
export interface IntelContext {
  found: 'true' | 'false';
  malicious_confidence: string;
  labels: string[];
  actors: string[];
  malware_families: string[];
}

export const INTEL_NOT_FOUND: IntelContext = { found: 'false', malicious_confidence: '', labels: [], actors: [], malware_families: [] };

export type IntelRecord = Record<string, unknown>;

export type IntelLookup =
  | { kind: 'complete'; records: IntelRecord[]; apiCalls: number }
  | { kind: 'stopped'; reason: Extract<EnrichReason, `stopped_${string}`>; apiCalls: number }
  | { kind: 'failed'; error: EngineError; apiCalls: number };

/** The intel fields the context is made of (the engine adds the id). */
const INTEL_FIELDS = ['indicator', 'type', 'malicious_confidence', 'labels', 'actors', 'malware_families'];

/**
 * `indicator:['v1','v2',…]` filters, each within the engine's user-filter limit, over the distinct values.
 * Hashes and domains are also asked for in lower case, the way intel stores them.
 */
export function intelFilters(indicators: ReadonlyArray<{ type: EnrichIndicatorType; value: string }>): string[] {
  const values = new Set<string>();
  for (const { type, value } of indicators) {
    values.add(value);
    if (type !== 'url') values.add(value.toLowerCase());
  }
  const filters: string[] = [];
  let chunk: string[] = [];
  const filterOf = (quoted: string[]): string => `indicator:[${quoted.join(',')}]`;
  for (const value of values) {
    const quoted = fqlQuote(value);
    if (chunk.length > 0 && filterOf([...chunk, quoted]).length > MAX_USER_FILTER_CHARS) {
      filters.push(filterOf(chunk));
      chunk = [];
    }
    chunk.push(quoted);
  }
  if (chunk.length > 0) filters.push(filterOf(chunk));
  return filters;
}

/**
 * Looks the values up in Falcon Intelligence through the page-run engine (stream intel-indicators): one
 * bounded page run per filter, within the deadline. Any run that does not complete makes the lookup stop
 * or fail as that run did; the engine, not this loop, decides every wait and retry.
 */
export function* lookupIntel(
  indicators: ReadonlyArray<{ type: EnrichIndicatorType; value: string }>,
  context: FunctionContext,
  options: { deadlineAtMs: number; runId: string; seed: number },
): Io<IntelLookup> {
  const records: IntelRecord[] = [];
  let apiCalls = 0;
  for (const [i, filter] of intelFilters(indicators).entries()) {
    const remainingMs = options.deadlineAtMs - context.nowMs();
    if (remainingMs <= ENGINE_DEFAULTS.deadlineMarginMs) return { kind: 'stopped', reason: 'stopped_deadline', apiCalls };
    const input: RunInput = {
      stream: 'intel-indicators',
      filter,
      runId: `${options.runId}-intel-${i + 1}`.slice(0, 128),
      apiBaseUrl: context.apiBaseUrl,
      // These runs' checkpoints never leave the invocation: a throwaway key signs them.
      checkpointKeys: { current: context.entropy },
      fields: INTEL_FIELDS,
      budget: { deadlineMs: remainingMs },
      options: { seed: options.seed + i },
    };
    // eslint-disable-next-line require-yield -- keeping the records in memory takes no I/O
    const result = yield* collectPageRun(input, context, function* (page) {
      for (const item of page.items) if (typeof item === 'object' && item !== null) records.push(item as IntelRecord);
      return { ok: true } as const;
    });
    apiCalls += result.health.apiCalls;
    if (result.verdict === 'complete') continue;
    if (result.error !== null) return { kind: 'failed', error: result.error, apiCalls };
    return { kind: 'stopped', reason: stopReasonOf(result), apiCalls };
  }
  return { kind: 'complete', records, apiCalls };
}

/** How a page run's stop reads in an enrichment answer; any other stop is the deadline's. */
const ENRICH_STOP_OF: Readonly<Partial<Record<HealthEventKind, Extract<EnrichReason, `stopped_${string}`>>>> = {
  stopped_rate_limit_wait: 'stopped_rate_limit_wait',
  stopped_max_pages: 'stopped_max_calls',
  stopped_byte_budget: 'stopped_response_size',
};

function stopReasonOf(result: RunResult): Extract<EnrichReason, `stopped_${string}`> {
  const stopped = [...result.health.timeline].reverse().find((e) => e.kind.startsWith('stopped_'));
  return (stopped && ENRICH_STOP_OF[stopped.kind]) ?? 'stopped_deadline';
}

/**
 * The intel context of one indicator among the records found: the record whose `indicator` is the value
 * (URLs exactly, everything else case-insensitively), preferring one of the same kind when several match.
 */
export function intelContextOf(records: readonly IntelRecord[], type: EnrichIndicatorType, value: string): IntelContext {
  const exact = type === 'url';
  const wanted = exact ? value : value.toLowerCase();
  const matches = records.filter((r) => typeof r['indicator'] === 'string' && (exact ? r['indicator'] : r['indicator'].toLowerCase()) === wanted);
  if (matches.length === 0) return INTEL_NOT_FOUND;
  const mapped = iocTypeOf(type, value).iocType;
  const sameKind = (r: IntelRecord): boolean => r['type'] === type || (mapped !== null && intelIocType(r) === mapped);
  const record = matches.find(sameKind) ?? (matches[0] as IntelRecord);
  const confidence = record['malicious_confidence'];
  return {
    found: 'true',
    malicious_confidence: typeof confidence === 'string' ? confidence : '',
    labels: names(record['labels']),
    actors: names(record['actors']),
    malware_families: names(record['malware_families']),
  };
}

function intelIocType(record: IntelRecord): IocType | null {
  const type = record['type'];
  const value = record['indicator'];
  if (typeof type !== 'string' || typeof value !== 'string') return null;
  switch (type) {
    case 'hash_sha256':
    case 'hash_md5':
    case 'ip_address':
    case 'domain':
      return iocTypeOf(type, value).iocType;
    default:
      return null;
  }
}

/** Intel lists hold strings (actors, families) or objects with a `name` (labels). */
function names(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => (typeof v === 'string' ? [v] : typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' ? [(v as { name: string }).name] : []));
}
