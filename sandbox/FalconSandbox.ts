import { isIocType } from '../functions/falcon/iocEndpoints.ts';
import { afterTokenOf, type StreamName, type StreamSpec } from '../functions/falcon/streams.ts';
import { CollectionStore } from './customStorage/CollectionStore.ts';
import { AfterContexts } from './cursors/AfterContexts.ts';
import { ScrollStore } from './cursors/ScrollStore.ts';
import { DATASET_OF_STREAM, DEFAULT_DATASET_SIZES, type DatasetName } from './datasets/DatasetName.ts';
import { LiveData } from './datasets/LiveData.ts';
import { createTenant, type Tenant } from './datasets/Tenant.ts';
import { afterEndpoint } from './endpoints/afterEndpoint.ts';
import type { EndpointContext, EndpointState } from './endpoints/EndpointContext.ts';
import { expiredCursorReply } from './endpoints/expiredCursorReply.ts';
import { hydrateEndpoint } from './endpoints/hydrateEndpoint.ts';
import { parseFilter } from './endpoints/listParams.ts';
import { markerEndpoint } from './endpoints/markerEndpoint.ts';
import { offsetEndpoint } from './endpoints/offsetEndpoint.ts';
import { scrollEndpoint } from './endpoints/scrollEndpoint.ts';
import type { SandboxClock, SandboxRequest, SandboxResponse } from './exchange.ts';
import { FaultPlan, type IngestFault, type TransportFault } from './FaultPlan.ts';
import { IocSightings } from './iocSightings/IocSightings.ts';
import { ingestedReply, INGEST_POWERED_BY, readIngestCall } from './logscale/ingestEndpoint.ts';
import { LogScaleStore } from './logscale/LogScaleStore.ts';
import { lie } from './LyingServer.ts';
import { deviceCountEndpoint, deviceIdsEndpoint, IOC_POWERED_BY, type IocSightingsContext } from './iocSightings/iocSightingsEndpoints.ts';
import { MESSAGES } from './messages.ts';
import { knobsFor, type FaultKnobs, type ProfileName } from './profiles.ts';
import { Random } from './random.ts';
import { emptyReply, envelopeReply, errorReply, jsonReply, latencyFor, nginxHtmlReply, type ReplyContext } from './replies.ts';
import { findRoute, type Route } from './routes.ts';
import { SlidingWindowLimiter } from './SlidingWindowLimiter.ts';
import { TokenStore } from './TokenStore.ts';

export type { SandboxClock, SandboxRequest, SandboxResponse } from './exchange.ts';

export interface SandboxOptions {
  /** @default 1 */
  seed?: number;
  /** @default 'clean' */
  profile?: ProfileName;
  /** @default Date.now */
  clock?: SandboxClock;
  /** Record counts per dataset; defaults in DEFAULT_DATASET_SIZES. */
  sizes?: Partial<Record<DatasetName, number>>;
  /** Overrides applied on top of the profile's knobs. */
  knobs?: Partial<FaultKnobs>;
}

const SYSTEM_CLOCK: SandboxClock = { nowMs: () => Date.now() };
const GATEWAY = 'crowdstrike-api-gateway';
const CSAM = 'csam';
const REGION = 'us-1';
/** What /oauth2/token announces, whatever the token's real server-side lifetime (auth-expiry profile). */
const TOKEN_EXPIRES_IN_S = 1799;

/**
 * A simulated Falcon cloud (falcon-api.md §10): OAuth2, rate limits, the envelope, every pagination style
 * of the stream catalog over seeded live data, and named fault profiles. `handle` is synchronous and
 * deterministic given the seed, the clock and the request sequence.
 */
export class FalconSandbox {
  readonly credentials: { clientId: string; clientSecret: string };
  readonly knobs: FaultKnobs;
  /** Foundry collections of the app under test (custom storage API). */
  readonly storage = new CollectionStore();
  /** LogScale repositories of the app under test: every event ingested, retries' duplicates included. */
  readonly logscale = new LogScaleStore();

  readonly #clock: SandboxClock;
  readonly #tenant: Tenant;
  readonly #data: LiveData;
  readonly #tokens: TokenStore;
  readonly #faults: FaultPlan;
  /** Ingest faults on their own random stream, so that profiles without them draw what they drew before. */
  readonly #ingestFaults: FaultPlan;
  readonly #traces: Random;
  readonly #state: EndpointState;
  readonly #apiLimiter: SlidingWindowLimiter;
  readonly #unauthenticatedLimiter: SlidingWindowLimiter;
  readonly #tokenLimiter: SlidingWindowLimiter;
  readonly #redirectedClients = new Set<string>();
  readonly #sightings: IocSightings;
  /** Its own random stream, so that profiles without lies draw exactly what they drew before. */
  readonly #lies: Random;
  readonly #sparseSightings = new Set<string>();
  readonly #byPath = new Map<string, number>();
  #requests = 0;

  constructor(options: SandboxOptions = {}) {
    const seed = options.seed ?? 1;
    this.knobs = { ...knobsFor(options.profile ?? 'clean'), ...options.knobs };
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    const credentials = Random.derive(seed, 'credentials');
    this.credentials = { clientId: credentials.hex(32), clientSecret: credentials.alphanumeric(40) };
    this.#tenant = createTenant(seed);
    const sizes = { ...DEFAULT_DATASET_SIZES, ...options.sizes };
    this.#data = new LiveData({
      seed,
      epochMs: this.#clock.nowMs(),
      sizes,
      tenant: this.#tenant,
      mutationsPerMinute: this.knobs.mutationsPerMinute,
    });
    this.#tokens = new TokenStore(Random.derive(seed, 'tokens'));
    this.#faults = new FaultPlan(this.knobs, Random.derive(seed, 'faults'));
    this.#ingestFaults = new FaultPlan(this.knobs, Random.derive(seed, 'ingest'));
    this.#traces = Random.derive(seed, 'traces');
    this.#lies = Random.derive(seed, 'lies');
    this.#state = {
      scrolls: new ScrollStore(Random.derive(seed, 'scrolls')),
      afterContexts: new AfterContexts(Random.derive(seed, 'after')),
      sparseFired: new Set(),
      shuffle: Random.derive(seed, 'shuffle'),
    };
    this.#apiLimiter = new SlidingWindowLimiter(this.knobs.rateLimitPerMinute);
    this.#unauthenticatedLimiter = new SlidingWindowLimiter(this.knobs.unauthenticatedRateLimitPerMinute);
    this.#tokenLimiter = new SlidingWindowLimiter(this.knobs.tokenRateLimitPerMinute);
    this.#sightings = new IocSightings({ seed, hostCount: sizes.hosts, epochMs: this.#clock.nowMs(), tenant: this.#tenant });
  }

  handle(request: SandboxRequest): SandboxResponse {
    const nowMs = this.#clock.nowMs();
    const url = new URL(request.url);
    this.#requests++;
    this.#byPath.set(url.pathname, (this.#byPath.get(url.pathname) ?? 0) + 1);
    const reply: ReplyContext = { nowMs, traceId: this.#traces.uuid(), region: REGION, rateLimit: null };

    // nginx refuses an over-long request line before any backend sees it (psfalcon#23, #475).
    if (url.pathname.length + url.search.length > this.knobs.maxUrlBytes) return nginxHtmlReply(reply, 414);
    const match = findRoute(request.method, url.pathname);
    switch (match.kind) {
      case 'not-found':
        return errorReply(reply, 404, GATEWAY, MESSAGES.notFound);
      case 'method-not-allowed':
        return errorReply(reply, 405, GATEWAY, MESSAGES.methodNotAllowed);
      case 'found':
        break;
    }
    return this.#handleRoute(match.route, request, url, reply);
  }

  /** Ground truth now: ids of the records of the stream's dataset that match the FQL filter. */
  matchingIds(stream: StreamName, filter?: string): Set<string> {
    const parsed = parseFilter(filter);
    if (!parsed.ok) throw new TypeError(`Failed to evaluate the filter of ${stream}: ${parsed.message}`);
    const dataset = this.#data.dataset(DATASET_OF_STREAM[stream], this.#clock.nowMs());
    return new Set(dataset.matching(parsed.value).map((r) => r.id));
  }

  /** Ground truth of the IOC sighting endpoints: the device ids that saw the indicator, in serving order. */
  sightings(type: string, value: string): string[] {
    if (!isIocType(type)) throw new TypeError(`Failed to look up sightings: "${type}" is not an IOC type (sha256, md5, domain, ipv4, ipv6).`);
    return this.#sightings.devices(type, value);
  }

  /** Every bearer token ever issued (the security test scans output for them). */
  issuedAccessTokens(): string[] {
    return this.#tokens.everIssued();
  }

  stats(): { requests: number; byPath: Record<string, number> } {
    return { requests: this.#requests, byPath: Object.fromEntries(this.#byPath) };
  }

  #handleRoute(route: Route, request: SandboxRequest, url: URL, reply: ReplyContext): SandboxResponse {
    const signature = `${request.method.toUpperCase()} ${url.pathname}${url.search}\n${request.body ?? ''}`;
    // Faults of custom storage are UNVERIFIED, so the profiles leave it alone and only test the pagination path.
    if (route.kind === 'custom-storage') return this.#customStorage(request, url, reply, request.clientKey ?? 'default');
    // Ingest answers only to its own fault knobs (ingest*, own random stream). The generic transport faults
    // would make each ingest call draw from the shared stream and so move the schedule of faults that
    // today's profiles give the pagination endpoints; and a writer's fault must say whether it stored.
    if (route.kind === 'logscale-ingest') return this.#logscaleIngest(request, reply, request.clientKey ?? 'default');
    const transport = this.#faults.transportFault(signature);
    if (transport !== null) {
      this.#faults.recordFault(signature);
      return this.#transportFaultReply(transport, reply, poweredByOf(route));
    }
    const headers = lowerCaseKeys(request.headers);
    const clientKey = request.clientKey ?? 'default';
    switch (route.kind) {
      case 'token':
        return this.#token(request, url, reply, clientKey);
      case 'revoke':
        return this.#revoke(request, headers, reply, clientKey);
      case 'list':
      case 'hydrate':
        return this.#api(route, request, url, headers, reply, clientKey, signature);
      case 'ioc-sightings':
        return this.#iocSightings(route, url, headers, reply, clientKey, signature);
    }
  }

  /** Foundry's in-function LogScale ingest: the same auth and rate limit as the API, then the ingest faults. */
  #logscaleIngest(request: SandboxRequest, reply: ReplyContext, clientKey: string): SandboxResponse {
    const headers = lowerCaseKeys(request.headers);
    const refused = this.#admitCaller(headers, reply, clientKey);
    if (refused !== null) return refused;
    const call = readIngestCall(request, headers, reply, this.knobs);
    if (call.kind === 'refused') return call.response;
    // Faults are drawn only for calls that would be stored, so a malformed call always hears its 400.
    const fault = this.#ingestFaults.ingestFault(call.signature);
    if (fault === null) {
      this.#ingestFaults.recordSuccess(call.signature);
      this.logscale.append(call.repository, call.batch, reply.nowMs);
      return ingestedReply(reply);
    }
    this.#ingestFaults.recordFault(call.signature);
    if (fault.kind === 'lost-ack') this.logscale.append(call.repository, call.batch, reply.nowMs);
    return this.#ingestFaultReply(fault, reply);
  }

  #ingestFaultReply(fault: IngestFault, reply: ReplyContext): SandboxResponse {
    switch (fault.kind) {
      case 'reset':
        return { kind: 'network-error', code: 'reset', latencyMs: latencyFor(0) };
      case 'json':
        return errorReply(reply, fault.status, INGEST_POWERED_BY, fault.status === 500 ? MESSAGES.internalServerError : MESSAGES.serviceUnavailable);
      case 'rate-limited':
        reply.rateLimit = { limit: this.knobs.rateLimitPerMinute, remaining: 0 };
        return this.#rateLimited(reply, reply.nowMs + this.knobs.injected429RetryAfterMs);
      case 'lost-ack':
        return { kind: 'network-error', code: 'timeout', latencyMs: latencyFor(0) };
    }
  }

  /** The custom-IOC sighting endpoints, behind the same auth, rate limit and injected faults as the streams. */
  #iocSightings(
    route: Extract<Route, { kind: 'ioc-sightings' }>,
    url: URL,
    headers: Map<string, string>,
    reply: ReplyContext,
    clientKey: string,
    signature: string,
  ): SandboxResponse {
    const refused = this.#admitCaller(headers, reply, clientKey);
    if (refused !== null) return refused;
    if (this.#faults.injected429(url.pathname, signature)) {
      this.#faults.recordFault(signature);
      reply.rateLimit = { limit: this.knobs.rateLimitPerMinute, remaining: 0 };
      return this.#rateLimited(reply, reply.nowMs + this.knobs.injected429RetryAfterMs);
    }
    if (this.#faults.errorsIn200(signature)) {
      this.#faults.recordFault(signature);
      const indicator = `${url.searchParams.get('type') ?? ''}:${url.searchParams.get('value') ?? ''}`;
      return envelopeReply(reply, 200, { poweredBy: IOC_POWERED_BY, resources: [], errors: [{ code: 500, message: MESSAGES.failedToGetId(indicator) }] });
    }
    this.#faults.recordSuccess(signature);
    const ctx: IocSightingsContext = { reply, knobs: this.knobs, url, sightings: this.#sightings, sparseFired: this.#sparseSightings };
    return route.endpoint === 'device-count' ? deviceCountEndpoint(ctx) : deviceIdsEndpoint(ctx);
  }

  #customStorage(request: SandboxRequest, url: URL, reply: ReplyContext, clientKey: string): SandboxResponse {
    const headers = lowerCaseKeys(request.headers);
    return this.#admitCaller(headers, reply, clientKey) ?? this.storage.handle(request, url, headers, reply);
  }

  /** Admits the bearer token's holder into its CID's rate limit (null), or answers the 401 or 429 that refuses it. */
  #admitCaller(headers: Map<string, string>, reply: ReplyContext, clientKey: string): SandboxResponse | null {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];
    const issued = bearer === undefined ? null : this.#tokens.validate(bearer, reply.nowMs);
    if (issued === null) {
      // Calls without a valid token count against the 15/min per-IP bucket (psfalcon#170).
      const limited = this.#admit(this.#unauthenticatedLimiter, clientKey, reply);
      return limited ?? errorReply(reply, 401, GATEWAY, MESSAGES.invalidBearer);
    }
    return this.#admit(this.#apiLimiter, issued.cid, reply);
  }

  #transportFaultReply(fault: TransportFault, reply: ReplyContext, poweredBy: string): SandboxResponse {
    switch (fault.kind) {
      case 'reset':
        return { kind: 'network-error', code: 'reset', latencyMs: latencyFor(0) };
      case 'html':
        return nginxHtmlReply(reply, fault.status);
      case 'json':
        return errorReply(reply, fault.status, poweredBy, fault.status === 500 ? MESSAGES.internalServerError : MESSAGES.serviceUnavailable);
    }
  }

  #token(request: SandboxRequest, url: URL, reply: ReplyContext, clientKey: string): SandboxResponse {
    const admitted = this.#admit(this.#tokenLimiter, clientKey, reply);
    if (admitted !== null) return admitted;
    const form = new URLSearchParams(request.body ?? '');
    const clientId = form.get('client_id') ?? '';
    const secret = form.get('client_secret') ?? '';
    if (clientId === '' || secret === '') return errorReply(reply, 400, CSAM, MESSAGES.tokenMalformed(clientId));

    const region = this.knobs.redirectTokenRegion;
    if (region !== null && !this.#redirectedClients.has(clientId)) {
      // ansible_collection_falcon#217: the wrong cloud answers 308, an empty body and the right region.
      this.#redirectedClients.add(clientId);
      return emptyReply(reply, 308, { Location: `${url.origin}/oauth2/token`, 'X-Cs-Region': region });
    }
    if (clientId !== this.credentials.clientId || secret !== this.credentials.clientSecret) {
      return errorReply(reply, 403, CSAM, MESSAGES.tokenClientAuthFailed);
    }
    const memberCid = form.get('member_cid');
    const cid = memberCid !== null && memberCid !== '' ? memberCid.toLowerCase() : this.#tenant.cid;
    const issued = this.#tokens.issue(clientId, cid, reply.nowMs, this.knobs.tokenLifetimeMs);
    return jsonReply(reply, 201, { access_token: issued.token, token_type: 'bearer', expires_in: TOKEN_EXPIRES_IN_S });
  }

  #revoke(request: SandboxRequest, headers: Map<string, string>, reply: ReplyContext, clientKey: string): SandboxResponse {
    const admitted = this.#admit(this.#tokenLimiter, clientKey, reply);
    if (admitted !== null) return admitted;
    const basic = /^Basic\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];
    const expected = `${this.credentials.clientId}:${this.credentials.clientSecret}`;
    if (basic === undefined || Buffer.from(basic, 'base64').toString('utf8') !== expected) {
      // UNVERIFIED: what revoke answers to bad Basic credentials.
      return errorReply(reply, 403, CSAM, MESSAGES.authorizationFailed);
    }
    const token = new URLSearchParams(request.body ?? '').get('token');
    if (token !== null) this.#tokens.revoke(token);
    return envelopeReply(reply, 200, { poweredBy: CSAM, resources: 'absent' });
  }

  #api(
    route: Extract<Route, { kind: 'list' | 'hydrate' }>,
    request: SandboxRequest,
    url: URL,
    headers: Map<string, string>,
    reply: ReplyContext,
    clientKey: string,
    signature: string,
  ): SandboxResponse {
    const { spec } = route;
    const refused = this.#admitCaller(headers, reply, clientKey);
    if (refused !== null) return refused;
    if (this.knobs.deniedStreams.includes(spec.name)) return errorReply(reply, 403, GATEWAY, MESSAGES.authorizationFailed);

    const ctx: EndpointContext = {
      reply,
      spec,
      knobs: this.knobs,
      dataset: this.#data.dataset(DATASET_OF_STREAM[spec.name], reply.nowMs),
      url,
      body: request.body,
      state: this.#state,
    };
    const injected = this.#injectedApiFault(route, ctx, signature);
    if (injected !== null) {
      this.#faults.recordFault(signature);
      return injected;
    }
    this.#faults.recordSuccess(signature);
    const honest = route.kind === 'hydrate' ? hydrateEndpoint(ctx, route.hydrate) : listEndpoint(ctx);
    const continuation = route.kind === 'list' && isContinuation(spec, url, request.body);
    const answer = lie(honest, { kind: route.kind, spec, continuation }, this.knobs, this.#lies, this.#faults.mayFail(signature));
    if (answer !== honest) this.#faults.recordFault(signature);
    return answer;
  }

  /** Profile faults that need an authenticated request: injected 429s, errors inside 200s, lost cursors. */
  #injectedApiFault(route: Extract<Route, { kind: 'list' | 'hydrate' }>, ctx: EndpointContext, signature: string): SandboxResponse | null {
    const { reply, spec } = ctx;
    if (route.kind === 'list' && this.#faults.injected429(spec.path, signature)) {
      reply.rateLimit = { limit: this.knobs.rateLimitPerMinute, remaining: 0 };
      return this.#rateLimited(reply, reply.nowMs + this.knobs.injected429RetryAfterMs);
    }
    if (this.#faults.errorsIn200(signature)) {
      const victim = ctx.dataset.at(this.#state.shuffle.int(Math.max(1, ctx.dataset.size)))?.id ?? 'unknown';
      return envelopeReply(reply, 200, { poweredBy: spec.poweredBy, resources: [], errors: [{ code: 500, message: MESSAGES.failedToGetId(victim) }] });
    }
    if (route.kind === 'list') {
      const token = cursorTokenOf(spec, ctx.url, ctx.body);
      if (token !== null && this.#faults.expireCursor(signature)) {
        // As if the server lost the context: it stays lost.
        if (spec.style === 'scroll') this.#state.scrolls.delete(token);
        const position = AfterContexts.decode(token);
        if (position !== null) this.#state.afterContexts.delete(position.contextId);
        return expiredCursorReply(ctx, limitHint(ctx));
      }
    }
    return null;
  }

  /** Admits the request into a bucket and records its headers, or answers the 429. */
  #admit(limiter: SlidingWindowLimiter, key: string, reply: ReplyContext): SandboxResponse | null {
    const result = limiter.admit(key, reply.nowMs);
    if (result.admitted) {
      reply.rateLimit = { limit: limiter.limit, remaining: result.remaining };
      return null;
    }
    reply.rateLimit = { limit: limiter.limit, remaining: 0 };
    return this.#rateLimited(reply, result.retryAtMs);
  }

  #rateLimited(reply: ReplyContext, retryAtMs: number): SandboxResponse {
    const headers: Record<string, string> = {};
    switch (this.knobs.retryAfterMode) {
      case 'epoch-seconds':
        headers['X-Ratelimit-Retryafter'] = String(Math.ceil(retryAtMs / 1000));
        break;
      case 'epoch-ms':
        headers['X-Ratelimit-Retryafter'] = String(Math.ceil(retryAtMs));
        break;
      case 'absent':
        break;
    }
    return errorReply(reply, 429, GATEWAY, MESSAGES.rateLimited, { headers });
  }
}

function listEndpoint(ctx: EndpointContext): SandboxResponse {
  switch (ctx.spec.style) {
    case 'offset':
      return offsetEndpoint(ctx);
    case 'scroll':
      return scrollEndpoint(ctx);
    case 'after-query':
    case 'after-body':
      return afterEndpoint(ctx);
    case 'marker':
      return markerEndpoint(ctx);
  }
}

function poweredByOf(route: Route): string {
  switch (route.kind) {
    case 'token':
    case 'revoke':
      return CSAM;
    case 'list':
    case 'hydrate':
      return route.spec.poweredBy;
    case 'custom-storage':
      return 'custom-storage';
    case 'ioc-sightings':
      return IOC_POWERED_BY;
    case 'logscale-ingest':
      return INGEST_POWERED_BY;
  }
}

/** The cursor token a list request carries, or null (intel's Next-Page is a filter, not a token). */
function cursorTokenOf(spec: StreamSpec, url: URL, body: string | undefined): string | null {
  const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  switch (spec.style) {
    case 'scroll':
      return nonEmpty(url.searchParams.get('offset'));
    case 'after-query':
      return nonEmpty(url.searchParams.get(afterTokenOf(spec).param));
    case 'after-body':
      try {
        const parsed: unknown = JSON.parse(body ?? '');
        return typeof parsed === 'object' && parsed !== null ? nonEmpty((parsed as Record<string, unknown>)['after']) : null;
      } catch {
        return null;
      }
    case 'offset':
    case 'marker':
      return null;
  }
}

/** A request that continues a chain: a cursor token, an offset past 0, or an intel filter past a `_marker`. */
function isContinuation(spec: StreamSpec, url: URL, body: string | undefined): boolean {
  if (cursorTokenOf(spec, url, body) !== null) return true;
  if (Number(url.searchParams.get('offset') ?? '0') > 0) return true;
  return spec.style === 'marker' && (url.searchParams.get('filter') ?? '').includes(spec.watermarkField);
}

/** The `limit` echoed in an expired-cursor body: the request's, if it sent a sane one. */
function limitHint(ctx: EndpointContext): number {
  let raw: unknown = ctx.url.searchParams.get('limit');
  if (ctx.spec.style === 'after-body') {
    try {
      raw = (JSON.parse(ctx.body ?? '{}') as Record<string, unknown>)['limit'];
    } catch {
      raw = null;
    }
  }
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 100;
}

function lowerCaseKeys(headers: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
