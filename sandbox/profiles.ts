import type { StreamName } from '../functions/falcon/streams.ts';
import type { ProfileName } from './profileNames.ts';

export { isProfileName, PROFILE_NAMES, type ProfileName } from './profileNames.ts';

export type RetryAfterMode = 'epoch-seconds' | 'epoch-ms' | 'absent';

/** Which JSON forms of LogScale ingest data make several events: an array and NDJSON, or none (one object per call). */
export type IngestBatchForms = 'array-and-ndjson' | 'none';

export interface FaultKnobs {
  /** Idle lifetime of scroll and `after` contexts, measured from their last use. @default 120_000 */
  cursorTtlMs: number;
  /** Status of an expired or unknown scroll/alerts/IOC token (UNVERIFIED); Spotlight always answers 404. @default 404 */
  expiredCursorStatus: 400 | 404;
  /** When a bearer token stops working, counted from issue. `expires_in` still says 1799. @default 1_799_000 */
  tokenLifetimeMs: number;
  /** Sliding 60 s window per CID over authenticated calls. @default 6000 */
  rateLimitPerMinute: number;
  /** Per client key (IP) for calls without a valid token. @default 15 */
  unauthenticatedRateLimitPerMinute: number;
  /** Per client key (IP) on /oauth2/token. @default 300 */
  tokenRateLimitPerMinute: number;
  /** Unit of `X-Ratelimit-Retryafter` on 429s, or no header at all. @default 'epoch-seconds' */
  retryAfterMode: RetryAfterMode;
  /** Style A: whether the response `offset` echoes the request or points at the next start. @default 'echo' */
  offsetSemantics: 'echo' | 'next';
  /** Intel: send the `Next-Page` header when sorted by `_marker`. @default true */
  nextPageHeader: boolean;
  /** Streams whose scope the API client lacks: 403 on their list and hydrate endpoints. @default [] */
  deniedStreams: StreamName[];
  /** Overrides of the catalog `depthCap` (largest offset + limit served). @default {} */
  depthCaps: Partial<Record<StreamName, number>>;
  /** Live changes applied to every generated dataset, per virtual minute. @default { inserts: 0, deletes: 0 } */
  mutationsPerMinute: { inserts: number; deletes: number };
  /** Once per cursor chain (per stream for offset and intel): a short page without a cursor near the end. @default false */
  sparseFinalPage: boolean;
  /** A phantom worker sharing the scroll token takes one page after every N pages served. @default null */
  phantomStealEvery: number | null;
  /** Every Nth call to each list endpoint answers 429. @default null */
  injected429Every: number | null;
  /** Retry-after of those injected 429s (and of `ingest429Rate`'s), from now. @default 0 */
  injected429RetryAfterMs: number;
  /** How far the harness runs the client clock from the server clock (the sandbox itself ignores it). @default 0 */
  clientClockSkewMs: number;
  /** Every Nth request carrying a cursor token answers the expired-context error. @default null */
  expireCursorEvery: number | null;
  /** Share of list and hydrate calls answering 200 with `errors[]` and no resources. @default 0 */
  errorsIn200Rate: number;
  /** Share of calls answering 502/503/504 with an nginx HTML page. @default 0 */
  html5xxRate: number;
  /** Share of calls answering 500/503 JSON error envelopes. @default 0 */
  json5xxRate: number;
  /** Share of calls whose connection is reset. @default 0 */
  resetRate: number;
  /** The first /oauth2/token of each client id answers 308 with this `X-Cs-Region`. @default null */
  redirectTokenRegion: string | null;
  /**
   * Largest body an entities lookup (POST /alerts/entities/alerts/v2, /devices/entities/devices/v2) takes;
   * a larger one answers nginx's HTML 413. psfalcon#396 saw the 413 at 1,058,849 bytes of composite ids; the
   * exact threshold is UNVERIFIED. @default 1024 * 1024
   */
  entitiesMaxBodyBytes: number;
  /** Longest request line (path and query) the gateway takes; longer ones get nginx's HTML 414. @default 8192 */
  maxUrlBytes: number;
  /** Injected faults never hit the same request signature more often than this in a row. @default 3 */
  maxConsecutiveFaults: number;
  /**
   * What the IOC device-count and devices queries answer for an indicator no device saw: 404 "not found"
   * (what the legacy device count answered) or 200 with a count of 0. The real `/iocs/` answer is
   * UNVERIFIED; the default is the 404, the harder case: a client must read it as an answer, not a failure.
   * @default 'not-found'
   */
  iocUnseenReply: 'not-found' | 'zero-count';
  /** Share of entities answers that leave some asked-for ids out, with no error naming them (resources partial, [] or null). @default 0 */
  entitiesWithholdRate: number;
  /** How list answers misstate `total` after a chain's first page: shrinking, halving, capped at `totalCap`, or not at all. @default null */
  totalLie: 'shrink' | 'halve' | 'cap' | null;
  /** The cap of `totalLie: 'cap'` (the real API's 10,000, scaled to the sandbox's datasets). @default 10_000 */
  totalCap: number;
  /** Share of after and intel pages (not the last) answered without their cursor, with a total that agrees with what was sent. @default 0 */
  vanishingCursorRate: number;
  /** Share of scroll continuations whose answer is lost in transit after the scroll moved on (a reset, the page gone). @default 0 */
  scrollLossRate: number;
  /**
   * Share of cursor continuation pages (after, intel, scroll) answered with no records while their cursor
   * goes on past them: the page's records are skipped by the cursor, and several in a row make a cursor
   * that advances without bringing anything. In no profile (the property test draws it). @default 0
   */
  emptiedPageRate: number;
  /**
   * Share of `after` pages that hold back a record from their middle and serve it first on the next page of
   * the same cursor, out of order (the token names it, so a token sent again gets the same page). Not part
   * of lying-server: with its vanishing cursors, a page short of a held-back record whose cursor vanishes
   * with an agreeing total is two lies on one page, which no client can tell from the end. @default 0
   */
  outOfOrderRate: number;

  // LogScale ingest. Its faults are drawn from their own seeded stream, so profiles without them draw what
  // they drew before. The generic transport faults (`resetRate`, `html5xxRate`, `json5xxRate`) leave the
  // endpoint alone: to a writer, each ingest fault says something different about what was stored (nothing,
  // or everything), so a profile picks them one by one.

  /**
   * Largest body the LogScale ingest endpoint takes; larger ones answer 413 and store nothing. The real
   * limit is UNVERIFIED (foundry-platform.md: payload size limits unknown). @default 8 * 1024 * 1024
   */
  ingestMaxBodyBytes: number;
  /**
   * Which ingest data forms make several events (UNVERIFIED in the real API). `'none'` takes one JSON
   * object per call and answers 400 to an array or NDJSON. @default 'array-and-ndjson'
   */
  ingestBatchForms: IngestBatchForms;
  /** Share of ingest calls answering a JSON 500/503 envelope, nothing stored. @default 0 */
  ingest5xxRate: number;
  /** Share of ingest calls answering 429 with the rate-limit headers, nothing stored. @default 0 */
  ingest429Rate: number;
  /**
   * Share of ingest calls whose events are stored and whose answer is then lost: the client sees the
   * connection die (a `timeout` network error in-process), cannot tell it from a failure, and a retry
   * stores the events again. @default 0
   */
  ingestLostAckRate: number;
  /** Share of ingest calls whose connection is reset before anything is stored. @default 0 */
  ingestResetRate: number;
}

const DEFAULT_KNOBS: FaultKnobs = {
  cursorTtlMs: 120_000,
  expiredCursorStatus: 404,
  tokenLifetimeMs: 1_799_000,
  rateLimitPerMinute: 6000,
  unauthenticatedRateLimitPerMinute: 15,
  tokenRateLimitPerMinute: 300,
  retryAfterMode: 'epoch-seconds',
  offsetSemantics: 'echo',
  nextPageHeader: true,
  deniedStreams: [],
  depthCaps: {},
  mutationsPerMinute: { inserts: 0, deletes: 0 },
  sparseFinalPage: false,
  phantomStealEvery: null,
  injected429Every: null,
  injected429RetryAfterMs: 0,
  clientClockSkewMs: 0,
  expireCursorEvery: null,
  errorsIn200Rate: 0,
  html5xxRate: 0,
  json5xxRate: 0,
  resetRate: 0,
  redirectTokenRegion: null,
  entitiesMaxBodyBytes: 1024 * 1024,
  maxUrlBytes: 8192,
  maxConsecutiveFaults: 3,
  iocUnseenReply: 'not-found',
  entitiesWithholdRate: 0,
  totalLie: null,
  totalCap: 10_000,
  vanishingCursorRate: 0,
  scrollLossRate: 0,
  emptiedPageRate: 0,
  outOfOrderRate: 0,
  ingestMaxBodyBytes: 8 * 1024 * 1024,
  ingestBatchForms: 'array-and-ndjson',
  ingest5xxRate: 0,
  ingest429Rate: 0,
  ingestLostAckRate: 0,
  ingestResetRate: 0,
};

/** Every profile but clean runs over slowly changing data, so dedupe and gap handling are always exercised. */
const LIGHT_MUTATIONS = { inserts: 30, deletes: 15 } as const;

/** Caps below the documented ones: 5,000 for alerts v2 (500 past it). */
const LOW_DEPTH_CAPS: Partial<Record<StreamName, number>> = { 'alert-ids': 5000 };

function profileOverrides(profile: ProfileName): Partial<FaultKnobs> {
  switch (profile) {
    case 'clean':
      return {};
    case 'sparse-final-page':
      return { sparseFinalPage: true };
    case 'ttl-vs-backoff':
      return { cursorTtlMs: 30_000, injected429Every: 4, injected429RetryAfterMs: 45_000 };
    case 'shared-token':
      // Our scrolls are short (12,000 hosts in 10,000-record pages), so the phantom takes the page after each of ours.
      return { phantomStealEvery: 1 };
    case 'clock-skew':
      return { clientClockSkewMs: -300_000, injected429Every: 4, injected429RetryAfterMs: 20_000 };
    case 'expired-after':
      return { expireCursorEvery: 6 };
    case 'depth-cap':
      return { depthCaps: LOW_DEPTH_CAPS, nextPageHeader: false };
    case 'errors-in-200':
      // Exports here take 4 to 30 calls, so the rates are high enough that every export meets some.
      return { errorsIn200Rate: 0.15 };
    case 'html-5xx':
      return { html5xxRate: 0.15 };
    case 'auth-expiry':
      // Exports take seconds of virtual time, so tokens die after one second to land mid-run.
      return { tokenLifetimeMs: 1_000 };
    case 'region-redirect':
      return { redirectTokenRegion: 'us-2' };
    case 'flaky':
      return { json5xxRate: 0.1, resetRate: 0.05 };
    case 'lying-server':
      // Everything a server can misstate while answering 200: totals, cursors, entities, and lost scroll pages.
      return { entitiesWithholdRate: 0.2, totalLie: 'halve', vanishingCursorRate: 0.15, scrollLossRate: 0.2 };
    case 'ingest-flaky':
      // Failures a LogScale writer must retry without writing twice: nothing was stored.
      return { ingest5xxRate: 0.3, ingest429Rate: 0.2 };
    case 'ingest-lost-ack':
      // Stored, then the answer is lost: a retry writes the events again, and only the dedupe by event id saves the export.
      return { ingestLostAckRate: 0.5 };
    case 'ingest-reset':
      // The connection dies before anything is stored: the retry is both safe and necessary.
      return { ingestResetRate: 0.5 };
    case 'chaos':
      // Everything at about a third of its own profile's rate.
      return {
        sparseFinalPage: true,
        cursorTtlMs: 60_000,
        injected429Every: 12,
        injected429RetryAfterMs: 45_000,
        phantomStealEvery: 6,
        clientClockSkewMs: -100_000,
        expireCursorEvery: 18,
        depthCaps: LOW_DEPTH_CAPS,
        nextPageHeader: false,
        errorsIn200Rate: 0.017,
        html5xxRate: 0.017,
        tokenLifetimeMs: 270_000,
        redirectTokenRegion: 'us-2',
        json5xxRate: 0.017,
        resetRate: 0.01,
      };
  }
}

export function knobsFor(profile: ProfileName): FaultKnobs {
  const mutations = profile === 'clean' ? DEFAULT_KNOBS.mutationsPerMinute : { ...LIGHT_MUTATIONS };
  return { ...DEFAULT_KNOBS, mutationsPerMinute: mutations, ...profileOverrides(profile) };
}
