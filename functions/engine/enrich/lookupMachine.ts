import type { CoreCounter, Machine } from '../core/Machine.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';
import type { EnrichCounters, EnrichRunningState, PendingRequest } from './EnrichState.ts';
import { fail, note, stop, type EnrichStepOutput } from './endLookup.ts';
import { nextLookup } from './nextLookup.ts';
import { onLookupAnswer } from './onLookupAnswer.ts';

/** Where the lookup keeps the core's counters; it does not count errors inside a 200 (the timeline names them). */
const COUNTER_OF: Readonly<Record<CoreCounter, keyof EnrichCounters | null>> = {
  apiCalls: 'apiCalls',
  retries: 'retries',
  authRefreshes: 'authRefreshes',
  rateLimitWaitMs: 'rateLimitWaitMs',
  errorsIn200: null,
};

/** The device lookup as the shared core drives it. */
export const LOOKUP: Machine<EnrichRunningState, PendingRequest, EnrichStepOutput> = {
  // The lookup's answer goes back inside its caller's own deadline: it keeps a margin before it.
  deadlineMarginMs: ENGINE_DEFAULTS.deadlineMarginMs,
  skewMs: (s) => s.run.skewMs,
  setSkewMs: (s, skewMs) => {
    s.run.skewMs = skewMs;
  },
  note: (s, kind, detail) => note(s, kind, detail),
  count: (s, counter, by = 1) => {
    const field = COUNTER_OF[counter];
    if (field !== null) s.counters[field] += by;
  },
  out: (s, command) => ({ state: s, command }),
  next: (s) => nextLookup(s),
  fail: (s, error) => fail(s, error),
  stop: (s, kind, detail) => stop(s, kind, detail),
  onAnswer: (s, pending, event) => onLookupAnswer(s, pending, event),
};
