import type { Envelope } from '../../falcon/envelope.ts';
import { IOC_DEVICES_PATH } from '../../falcon/iocEndpoints.ts';
import { engineError } from '../EngineError.ts';
import type { EnrichReason, IndicatorStatus } from './EnrichCommand.ts';
import { ENRICH_DEFAULTS } from './EnrichInput.ts';
import type { EnrichContext, EnrichRunningState, Lookup } from './EnrichState.ts';
import { anomaly, fail, indicatorOf, note, resultOf, stop, type EnrichStepOutput } from './endLookup.ts';
import { nextLookup } from './nextLookup.ts';
import { readDeviceCount, readDevicePage } from './readDeviceAnswers.ts';

type Out = EnrichStepOutput;

/** device-count's "not found": no device saw the indicator, so there is no device to page (it would be another 404). */
export function countNotFound(s: EnrichRunningState, message: string): Out {
  const lookup = lookupOf(s);
  note(s, 'count_not_found', `${describe(s, lookup)}: ${message || '404'}; no device saw it`);
  lookup.deviceCount = 0;
  return finishLookup(s, 'complete', '');
}

export function onCount(s: EnrichRunningState, envelope: Envelope): Out {
  const lookup = lookupOf(s);
  const indicator = indicatorOf(s, lookup);
  const answer = readDeviceCount(envelope, indicator.type, indicator.value);
  lookup.limitExceeded = answer.limitExceeded;
  if (answer.kind === 'count') {
    lookup.deviceCount = answer.count;
    if (answer.limitExceeded) anomaly(s, 'count_lower_bound', `${describe(s, lookup)}: limit_exceeded, so ${answer.count} is only a floor`);
    if (answer.count === 0 && !answer.limitExceeded) return finishLookup(s, 'complete', '');
  } else {
    lookup.deviceCount = null;
    anomaly(s, 'count_missing', `${describe(s, lookup)}: ${answer.why}; paging the devices to see`);
  }
  const cap = s.input.maxDeviceIdsPerIndicator;
  if (cap === 0) return finishLookup(s, 'capped', 'capped_max_devices', 'max devices per indicator is 0: counts only');
  const maxBytes = s.input.maxDeviceIdBytes;
  if (maxBytes !== null && s.run.bytes > 0) {
    // A chain whose ids would not fit what is left of the response waits for the next run, unless this
    // run has returned no ids yet: then it takes what fits, so that every run makes progress.
    const expected = Math.min(cap, lookup.deviceCount ?? s.input.pageLimit);
    if (s.run.bytes + expected * ENRICH_DEFAULTS.estimatedIdBytes > maxBytes) {
      return stop(s, 'stopped_response_size', `${expected} more device id(s) would not fit the ${maxBytes - s.run.bytes} bytes left of the response`);
    }
  }
  lookup.stage = 'devices';
  return nextLookup(s);
}

export function onDevicePage(s: EnrichRunningState, envelope: Envelope): Out {
  const lookup = lookupOf(s);
  const page = readDevicePage(envelope);
  if (!page.ok) return fail(s, engineError('SCHEMA_MISMATCH', `${IOC_DEVICES_PATH}: ${page.message}.`, {}));
  lookup.pages++;
  const cap = s.input.maxDeviceIdsPerIndicator;
  const { ids, added, cut } = collectIds(s, lookup, page.ids);
  lookup.ids = ids;
  const count = lookup.deviceCount;
  const countIsTotal = count !== null && !lookup.limitExceeded;
  if (countIsTotal && ids.length >= count) return finishLookup(s, 'complete', '');
  if (cut) return finishLookup(s, 'capped', cut, `${ids.length} of ${count ?? 'an unknown number of'} device id(s) kept`);
  if (ids.length >= cap && (countIsTotal || page.next !== null)) {
    return finishLookup(s, 'capped', 'capped_max_devices', `${ids.length} of ${count ?? 'an unknown number of'} device id(s) kept`);
  }
  if (page.next !== null) {
    if (page.next === lookup.token && added === 0) return tokenLost(s, 'token_repeated', `the same offset token came back with no new device`);
    lookup.token = page.next;
    return nextLookup(s);
  }
  return chainEnded(s);
}

/** Adds a page's new device ids to the lookup, up to the per-indicator cap and the response budget. */
function collectIds(s: EnrichRunningState, lookup: Lookup, pageIds: readonly string[]): { ids: string[]; added: number; cut: 'capped_max_devices' | 'capped_response_size' | null } {
  const cap = s.input.maxDeviceIdsPerIndicator;
  const maxBytes = s.input.maxDeviceIdBytes;
  const known = new Set(lookup.ids);
  const ids = [...lookup.ids];
  let added = 0;
  for (const id of pageIds) {
    if (known.has(id)) continue;
    if (ids.length >= cap) return { ids, added, cut: 'capped_max_devices' };
    // What the id costs in the host's JSON answer: the quoted string and a separator.
    const size = JSON.stringify(id).length + 1;
    if (maxBytes !== null && s.run.bytes + size > maxBytes) return { ids, added, cut: 'capped_response_size' };
    known.add(id);
    ids.push(id);
    lookup.bytes += size;
    s.run.bytes += size;
    added++;
  }
  return { ids, added, cut: null };
}

/** The devices query gave no next token: the end, if the count agrees. */
function chainEnded(s: EnrichRunningState): Out {
  const lookup = lookupOf(s);
  if (lookup.deviceCount === null) {
    if (lookup.ids.length === 0) {
      // No count and no device: both answers say nobody saw it (device_count is omitempty).
      lookup.deviceCount = 0;
      return finishLookup(s, 'complete', '');
    }
    return finishLookup(s, 'incomplete', 'count_missing', `${lookup.ids.length} device id(s), but device-count gave no count to check them against`);
  }
  if (lookup.limitExceeded) {
    return finishLookup(s, 'incomplete', 'count_lower_bound', `${lookup.ids.length} device id(s); the count ${lookup.deviceCount} is only a floor`);
  }
  return tokenLost(s, 'token_missing_before_count', `no next-offset token after ${lookup.ids.length} of ${lookup.deviceCount} device(s)`);
}

/**
 * The chain ended, or its token was refused, before the count: a named anomaly. The ids are unordered
 * and carry no watermark, so the only recovery is the query again from its first page, keeping (and
 * deduplicating) what arrived; after `maxRestarts` the answer is reported incomplete, never complete.
 */
export function tokenLost(s: EnrichRunningState, kind: 'token_missing_before_count' | 'token_repeated' | 'token_refused', detail: string): Out {
  const lookup = lookupOf(s);
  s.pending = null;
  anomaly(s, kind, `${describe(s, lookup)}: ${detail}`);
  if (lookup.restarts < s.input.maxRestarts) {
    lookup.restarts++;
    lookup.token = null;
    s.counters.restarts++;
    note(s, 'devices_restart', `${describe(s, lookup)}: restart ${lookup.restarts} of ${s.input.maxRestarts} from the first page`);
    return nextLookup(s);
  }
  return finishLookup(s, 'incomplete', 'token_missing_before_count', `${lookup.ids.length} of ${lookup.deviceCount ?? '?'} device id(s) after ${lookup.restarts} restart(s): ${detail}`);
}

export function rejectIndicator(s: EnrichRunningState, message: string): Out {
  const lookup = lookupOf(s);
  note(s, 'indicator_rejected', `${describe(s, lookup)}: ${message}`);
  s.pending = null;
  return finishLookup(s, 'rejected', 'indicator_rejected', message);
}

function finishLookup(s: EnrichRunningState, status: Exclude<IndicatorStatus, 'pending'>, reason: EnrichReason, detail = ''): Out {
  const lookup = lookupOf(s);
  if (status === 'capped') note(s, 'capped', `${describe(s, lookup)}: ${reason}, ${detail}`);
  s.results = [...s.results, resultOf(s, lookup, status, reason, detail)];
  s.lookup = null;
  s.pending = null;
  return nextLookup(s);
}

function describe(s: EnrichContext, lookup: Lookup): string {
  const { type, value } = indicatorOf(s, lookup);
  return `${type}:${value}`;
}

function lookupOf(s: EnrichContext): Lookup {
  if (!s.lookup) throw new Error('Failed to read an answer: no indicator is being looked up.');
  return s.lookup;
}
