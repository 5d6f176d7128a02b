/**
 * The stream catalog: every Falcon export Pagination Guard knows, with the limits of
 * `shared/reference/falcon-api.md` §2. The engine, the sandbox and the hosts all read it from here.
 */

/**
 * How a stream pages.
 * - `offset`: integer offset + limit, next offset computed locally (style A).
 * - `scroll`: opaque token in the `offset` query parameter, constant for the scroll, `expires_at` in ns (style B).
 * - `after-query` / `after-body`: `after` token in the query string or in the POST JSON body (style C).
 * - `marker`: intel `Next-Page` header, with the `_marker` filter as fallback (style D).
 */
export type PaginationStyle = 'offset' | 'scroll' | 'after-query' | 'after-body' | 'marker';

/** How a watermark value is written in FQL: quoted ISO timestamps and strings, or bare epoch numbers. */
export type WatermarkKind = 'iso' | 'string' | 'epoch';

export interface HydrateSpec {
  method: 'POST';
  path: string;
  /** JSON body key that carries the ids. */
  idsKey: 'ids' | 'composite_ids';
  maxIds: number;
}

export interface StreamSpec {
  name: StreamName;
  method: 'GET' | 'POST';
  path: string;
  style: PaginationStyle;
  /** Largest `limit` the API accepts. */
  maxLimit: number;
  /** `limit` the engine asks for when nothing smaller is needed (at most maxLimit and depthCap). */
  pageLimit: number;
  /**
   * Largest offset + limit the API serves; null when the style does not use offsets. Endpoints that say
   * "must be less than N" are recorded as N - 1.
   */
  depthCap: number | null;
  /** Status the API answers when a request goes past the cap (alerts v2 answers 500, not 400). */
  depthCapStatus: 400 | 500 | null;
  /** Separator between the field and the direction in `sort` ('.' or '|'). */
  sortSeparator: '.' | '|';
  /** Immutable sort key used as the watermark. */
  watermarkField: string;
  watermarkKind: WatermarkKind;
  /** Unique id of a record (tiebreak and dedupe). */
  idField: string;
  /**
   * `after` styles: the request parameter the token travels in and the `meta.pagination` field it comes
   * back in (combined devices sends it as `offset` and answers it as `next`); null for the other styles.
   */
  afterToken: { param: 'after' | 'offset'; field: 'after' | 'next' } | null;
  /** Query endpoints return ids; these streams hydrate them through an entities call. */
  hydrate: HydrateSpec | null;
  /** True when the API refuses a request without `filter` (Spotlight). */
  filterRequired: boolean;
  /** Cursor idle lifetime when the API documents one; null when unknown (the engine then assumes its conservative default). */
  documentedCursorTtlMs: number | null;
  /** API scope a 403 most likely means is missing. */
  scope: string;
  /** The same scope as manifest.yml's auth.scopes writes it (PSFalcon endpoint permissions). */
  scopeId: string;
  poweredBy: string;
  /** Typical size of one exported record in bytes, used to size the first page against a byte budget. */
  typicalItemBytes: number;
  /**
   * How a moment maps to the watermark, so an export can be bounded by the time it started: `iso` for
   * creation timestamps, `marker` for intel's `_marker` (epoch seconds, then a sequence), null when the
   * watermark is not a time.
   */
  watermarkClock: 'iso' | 'marker' | null;
}

export const STREAM_NAMES = [
  'alerts',
  'alert-ids',
  'iocs',
  'intel-indicators',
  'hosts',
  'hosts-scroll',
  'vulnerabilities',
] as const;

export type StreamName = (typeof STREAM_NAMES)[number];

/**
 * The streams a user gets without asking for a route by name: every one but `hosts-scroll`, which keeps
 * the deprecated devices scroll for tenants where the combined route is not available yet.
 */
export const DEFAULT_STREAM_NAMES: readonly StreamName[] = STREAM_NAMES.filter((name) => name !== 'hosts-scroll');

export const STREAMS: Readonly<Record<StreamName, StreamSpec>> = {
  alerts: {
    name: 'alerts',
    method: 'POST',
    path: '/alerts/combined/alerts/v1',
    style: 'after-body',
    maxLimit: 1000,
    pageLimit: 1000,
    depthCap: null,
    depthCapStatus: null,
    sortSeparator: '|',
    watermarkField: 'created_timestamp',
    watermarkKind: 'iso',
    idField: 'composite_id',
    afterToken: { param: 'after', field: 'after' },
    hydrate: null,
    filterRequired: false,
    documentedCursorTtlMs: null,
    scope: 'Alerts: Read',
    scopeId: 'alerts:read',
    poweredBy: 'detectsapi',
    typicalItemBytes: 1700,
    watermarkClock: 'iso',
  },
  'alert-ids': {
    name: 'alert-ids',
    method: 'GET',
    path: '/alerts/queries/alerts/v2',
    style: 'offset',
    maxLimit: 10000,
    pageLimit: 10000,
    depthCap: 10000,
    depthCapStatus: 500,
    sortSeparator: '|',
    watermarkField: 'created_timestamp',
    watermarkKind: 'iso',
    idField: 'composite_id',
    afterToken: null,
    hydrate: { method: 'POST', path: '/alerts/entities/alerts/v2', idsKey: 'composite_ids', maxIds: 1000 },
    filterRequired: false,
    documentedCursorTtlMs: null,
    scope: 'Alerts: Read',
    scopeId: 'alerts:read',
    poweredBy: 'detectsapi',
    typicalItemBytes: 1700,
    watermarkClock: 'iso',
  },
  iocs: {
    name: 'iocs',
    method: 'GET',
    path: '/iocs/combined/indicator/v1',
    style: 'after-query',
    maxLimit: 2000,
    pageLimit: 2000,
    depthCap: null,
    depthCapStatus: null,
    sortSeparator: '.',
    watermarkField: 'created_on',
    watermarkKind: 'iso',
    idField: 'id',
    afterToken: { param: 'after', field: 'after' },
    hydrate: null,
    filterRequired: false,
    documentedCursorTtlMs: null,
    scope: 'IOC Management: Read',
    scopeId: 'iocs:read',
    poweredBy: 'ioc-manager',
    typicalItemBytes: 450,
    watermarkClock: 'iso',
  },
  'intel-indicators': {
    name: 'intel-indicators',
    method: 'GET',
    path: '/intel/combined/indicators/v1',
    style: 'marker',
    maxLimit: 5000,
    pageLimit: 5000,
    depthCap: 49999,
    depthCapStatus: 400,
    sortSeparator: '|',
    watermarkField: '_marker',
    watermarkKind: 'string',
    idField: 'id',
    afterToken: null,
    hydrate: null,
    filterRequired: false,
    documentedCursorTtlMs: null,
    scope: 'Indicators (Falcon Intelligence): Read',
    scopeId: 'falconx-indicators:read',
    poweredBy: 'msa-api',
    typicalItemBytes: 500,
    watermarkClock: 'marker',
  },
  hosts: {
    name: 'hosts',
    method: 'GET',
    // Full device records, no entities call. The token of the next page comes back as meta.pagination.next
    // and is sent as `offset` (falcon-api.md §3.2, FalconPy CombinedDevicesByFilter, falconjs DeviceapiDevicePagingV2).
    path: '/devices/combined/devices/v1',
    style: 'after-query',
    maxLimit: 10000,
    pageLimit: 10000,
    depthCap: null,
    depthCapStatus: null,
    sortSeparator: '.',
    watermarkField: 'first_seen',
    watermarkKind: 'iso',
    idField: 'device_id',
    afterToken: { param: 'offset', field: 'next' },
    hydrate: null,
    filterRequired: false,
    // Whether and when `next` expires is UNVERIFIED (the schema has an expires_at of unknown unit): the
    // engine assumes its conservative default, and the sandbox's cursorTtlMs knob plays it.
    documentedCursorTtlMs: null,
    scope: 'Hosts: Read',
    scopeId: 'devices:read',
    poweredBy: 'device-api',
    typicalItemBytes: 700,
    watermarkClock: 'iso',
  },
  'hosts-scroll': {
    name: 'hosts-scroll',
    method: 'GET',
    path: '/devices/queries/devices-scroll/v1',
    style: 'scroll',
    maxLimit: 10000,
    pageLimit: 10000,
    depthCap: null,
    depthCapStatus: null,
    sortSeparator: '.',
    // The route hosts used before FalconPy marked it deprecated ("Please use the CombinedDevicesByFilter
    // endpoint"): kept for tenants where the combined route is not available. first_seen never changes
    // for a host, so it carries the watermark a restart of the scroll needs.
    watermarkField: 'first_seen',
    watermarkKind: 'iso',
    idField: 'device_id',
    afterToken: null,
    hydrate: { method: 'POST', path: '/devices/entities/devices/v2', idsKey: 'ids', maxIds: 5000 },
    filterRequired: false,
    documentedCursorTtlMs: 120_000,
    scope: 'Hosts: Read',
    scopeId: 'devices:read',
    poweredBy: 'device-api',
    typicalItemBytes: 700,
    watermarkClock: 'iso',
  },
  vulnerabilities: {
    name: 'vulnerabilities',
    method: 'GET',
    path: '/spotlight/combined/vulnerabilities/v1',
    style: 'after-query',
    maxLimit: 5000,
    pageLimit: 5000,
    depthCap: null,
    depthCapStatus: null,
    sortSeparator: '|',
    watermarkField: 'created_timestamp',
    watermarkKind: 'iso',
    idField: 'id',
    afterToken: { param: 'after', field: 'after' },
    hydrate: null,
    filterRequired: true,
    documentedCursorTtlMs: 120_000,
    scope: 'Vulnerabilities: Read',
    scopeId: 'spotlight-vulnerabilities:read',
    poweredBy: 'spapi',
    typicalItemBytes: 600,
    watermarkClock: 'iso',
  },

};

/**
 * Streams whose API was retired. Asked for by name, they are refused with what replaced them, instead of
 * an "unknown stream" that leaves the user guessing (FalconPy 1.6 marks both detects operations
 * decommissioned; `npm run check:api` reads the marks).
 */
export const RETIRED_STREAMS: Readonly<Record<string, { routes: string; retiredOn: string; replacement: StreamName }>> = {
  detections: {
    routes: 'GET /detects/queries/detects/v1 and POST /detects/entities/summaries/GET/v1',
    retiredOn: 'September 30, 2025',
    replacement: 'alerts',
  },
};

/** Why a retired stream cannot be exported, and what to export instead; null for any other name. */
export function retiredStreamMessage(name: string): string | null {
  const retired = Object.hasOwn(RETIRED_STREAMS, name) ? RETIRED_STREAMS[name] : undefined;
  if (retired === undefined) return null;
  return `The ${name} API (${retired.routes}) was decommissioned on ${retired.retiredOn}; export "${retired.replacement}" instead, which replaced it.`;
}

export function isStreamName(value: string): value is StreamName {
  return (STREAM_NAMES as readonly string[]).includes(value);
}

/** Where an `after` stream's token travels and comes back; `after` both ways unless the catalog says otherwise. */
export function afterTokenOf(spec: StreamSpec): { param: 'after' | 'offset'; field: 'after' | 'next' } {
  return spec.afterToken ?? { param: 'after', field: 'after' };
}

/** `sort` parameter for ascending watermark order, in the endpoint's own separator. */
export function ascendingSort(spec: StreamSpec): string {
  return `${spec.watermarkField}${spec.sortSeparator}asc`;
}

/** The watermark value of a moment in server time, for bounding an export above; null when the stream has no time watermark. */
export function watermarkAtTime(spec: StreamSpec, serverMs: number): string | null {
  if (!Number.isFinite(serverMs)) return null;
  switch (spec.watermarkClock) {
    case 'iso':
      return new Date(serverMs).toISOString();
    case 'marker':
      // Markers are ten digits of epoch seconds and a suffix: '~' sorts after every suffix of that second.
      return `${String(Math.floor(serverMs / 1000)).padStart(10, '0')}~`;
    case null:
      return null;
    default: {
      // Exhaustive: a new watermark clock fails to compile here until it has a bound.
      const unknownClock: never = spec.watermarkClock;
      throw new Error(`Unexpected watermark clock: ${String(unknownClock)}.`);
    }
  }
}

/** Largest page the API serves for this stream: what the optimal call count is measured against. */
export function maxPageSize(spec: StreamSpec): number {
  return spec.depthCap === null ? spec.maxLimit : Math.min(spec.maxLimit, spec.depthCap);
}
