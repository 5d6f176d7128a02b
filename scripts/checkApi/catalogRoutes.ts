import { pageRequest, hydrateRequest } from '../../functions/engine/buildRequest.ts';
import type { Chain, Cursor } from '../../functions/engine/Checkpoint.ts';
import type { IoRequest, Io } from '../../functions/engine/Io.ts';
import { deviceCountRequest, deviceIdsRequest } from '../../functions/engine/enrich/deviceRequests.ts';
import { ENRICH_DEFAULTS } from '../../functions/engine/enrich/EnrichInput.ts';
import { IOC_DEVICES_MAX_LIMIT } from '../../functions/falcon/iocEndpoints.ts';
import { ingestRecords } from '../../functions/engine/sink/ingestRecords.ts';
import { ascendingSort, DEFAULT_STREAM_NAMES, STREAM_NAMES, STREAMS, type StreamName, type StreamSpec } from '../../functions/falcon/streams.ts';
import { FalconAuth } from '../../functions/host/FalconAuth.ts';
import type { TransportRequest } from '../../functions/host/Transport.ts';
import { CollectionClient } from '../../functions/handlers/CollectionClient.ts';
import type { FunctionContext } from '../../functions/handlers/FunctionContext.ts';
import type { CatalogParam, CatalogRoute } from './CatalogRoute.ts';

/**
 * Every route the engine, the handlers and the sandbox use, read off the requests the real code builds:
 * the stream catalog through `pageRequest`/`hydrateRequest`, IOC enrichment through its request
 * builders, the LogScale sink and custom storage by running their coroutines to their first request,
 * and the CLI's OAuth2 calls (which the sandbox serves too) through FalconAuth on a recording transport.
 * Parameter names therefore follow the code, not a list kept here.
 */
export async function catalogRoutes(defaultStreams: readonly StreamName[] = DEFAULT_STREAM_NAMES): Promise<CatalogRoute[]> {
  const routes: CatalogRoute[] = [];
  for (const name of STREAM_NAMES) {
    const spec = STREAMS[name];
    const everyExport = defaultStreams.includes(name);
    const list = pageRequest(spec, probeChain(spec), spec.pageLimit, 1);
    routes.push({
      ...routeOf(list, `stream ${name} (list)`, everyExport),
      limit: { maxLimit: spec.maxLimit, pageLimit: spec.pageLimit },
      sorts: [ascendingSort(spec)],
    });
    if (spec.hydrate !== null) routes.push(routeOf(hydrateRequest(spec, ['ID']), `stream ${name} (hydrate)`, everyExport));
  }
  routes.push(routeOf(deviceCountRequest('sha256', 'VALUE'), 'IOC enrichment (device count)', false));
  routes.push({
    ...routeOf(deviceIdsRequest('sha256', 'VALUE', ENRICH_DEFAULTS.pageLimit, 'TOKEN'), 'IOC enrichment (device ids)', false),
    limit: { maxLimit: IOC_DEVICES_MAX_LIMIT, pageLimit: ENRICH_DEFAULTS.pageLimit },
  });
  routes.push(routeOf(ingestRequest(), 'LogScale sink (ingest)', false));
  routes.push(...customStorageRoutes());
  routes.push(...(await oauthRoutes()));
  return routes;
}

/** A chain in the middle of its walk, so the request carries every parameter a continuation sends. */
function probeChain(spec: StreamSpec): Chain {
  return {
    cursor: probeCursor(spec),
    filter: `${spec.watermarkField}:>'1970-01-01T00:00:00Z'`,
    pages: 1,
    received: spec.pageLimit,
    firstTotal: null,
    lastTotal: null,
    totalMoved: false,
    barrenPages: 0,
    limit: spec.pageLimit,
    lastId: null,
    lastKey: null,
    tail: null,
  };
}

function probeCursor(spec: StreamSpec): Cursor | null {
  switch (spec.style) {
    case 'offset':
      // Offset windows take the offset as an argument of pageRequest, not from the cursor.
      return null;
    case 'scroll':
      return { kind: 'scroll', token: 'TOKEN', expiresAtServerMs: null };
    case 'after-query':
    case 'after-body':
      return { kind: 'after', token: 'TOKEN', obtainedAtServerMs: 0 };
    case 'marker':
      // A Next-Page continuation is the stream's own path with the server's query (nextPagePathPlausible),
      // so the first request is the one whose parameters the engine chooses.
      return null;
  }
}

/**
 * Custom storage's paths carry the collection and the object key, so they are compared as templates.
 * The calls are the real CollectionClient's; sentinel names become `{collection}` and `{key}`.
 */
function customStorageRoutes(): CatalogRoute[] {
  const client = new CollectionClient(PROBE_CONTEXT);
  const calls: Array<[string, Io<unknown>, boolean]> = [
    // Every page run reads its checkpoint and writes its run record through these two.
    ['custom storage (get object)', client.get(COLLECTION, KEY), true],
    ['custom storage (put object)', client.put(COLLECTION, KEY, {}), true],
    ['custom storage (delete object)', client.delete(COLLECTION, KEY), false],
    ['custom storage (search objects)', client.search(COLLECTION, { filter: 'x', sort: 'x', limit: 1, offset: 1 }), false],
  ];
  return calls.map(([usedBy, io, everyExport]) => {
    const request = firstRequest(io, usedBy);
    const template = request.path.replace(`/${COLLECTION}/`, '/{collection}/').replace(new RegExp(`/${KEY}(?=$|\\?)`), '/{key}');
    const route = routeOf({ ...request, path: template }, usedBy, everyExport);
    // A stored object is the whole JSON body, not a set of fields.
    return request.method === 'PUT' ? { ...route, params: [...route.params.filter((p) => p.in !== 'body-field'), { name: 'body', in: 'body' }] } : route;
  });
}

/**
 * The token and revoke requests of the CLI. Foundry functions get their token from the platform, so no
 * default export in Foundry depends on these.
 */
async function oauthRoutes(): Promise<CatalogRoute[]> {
  const sent: TransportRequest[] = [];
  const auth = new FalconAuth({
    transport: async (request) => {
      sent.push(request);
      return { kind: 'response', status: 201, headers: {}, body: JSON.stringify({ access_token: 'TOKEN', token_type: 'bearer', expires_in: 1799 }) };
    },
    clock: { nowMs: () => 0 },
    credentials: { clientId: 'ID', clientSecret: 'SECRET', memberCid: 'CID' },
    baseUrl: 'https://api.crowdstrike.com',
  });
  await auth.bearer();
  await auth.revoke();
  return sent.map((request) => {
    const path = new URL(request.url).pathname;
    return routeOf({ method: request.method, path, headers: request.headers, body: request.body }, `CLI authentication (${path.split('/').pop() ?? path})`, false);
  });
}

const COLLECTION = 'COLLECTION_NAME';
const KEY = 'OBJECT_KEY';

const PROBE_CONTEXT: FunctionContext = { executionId: '', apiBaseUrl: '', appId: '', deadlineMs: 60_000, entropy: '', nowMs: () => 0 };

/** The sink's first ingest call for one record. */
function ingestRequest(): IoRequest {
  const spec = STREAMS.alerts;
  const io = ingestRecords([{ [spec.idField]: 'ID' }], { stream: spec.name, sessionId: 'S', runId: 'R', appId: '' }, { maxBatchBytes: 1_000_000, seed: 1, deadlineAtMs: Number.MAX_SAFE_INTEGER }, () => 0);
  return firstRequest(io, 'LogScale sink');
}

function firstRequest(io: Io<unknown>, what: string): IoRequest {
  const step = io.next();
  if (step.done === true || step.value.kind !== 'http') throw new Error(`${what} did not start with an HTTP request; catalogRoutes.ts must learn how it calls the API now`);
  return step.value.request;
}

function routeOf(request: IoRequest, usedBy: string, everyExport: boolean): CatalogRoute {
  const [path = '', query = ''] = request.path.split('?', 2);
  return { method: request.method, path, usedBy, everyExport, params: [...queryParams(query), ...bodyParams(request)], limit: null, sorts: [] };
}

function queryParams(query: string): CatalogParam[] {
  if (query === '') return [];
  return query.split('&').map((pair) => ({ name: decodeURIComponent(pair.split('=', 1)[0] ?? ''), in: 'query' }));
}

function bodyParams(request: IoRequest): CatalogParam[] {
  if (request.body === null || request.body === '') return [];
  const contentType = request.headers['Content-Type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) return queryParams(request.body).map((p) => ({ ...p, in: 'formData' }));
  if (contentType.startsWith('multipart/form-data')) {
    return [...request.body.matchAll(/Content-Disposition: form-data; name="([^"]+)"/g)].map((m) => ({ name: m[1] as string, in: 'formData' }));
  }
  const parsed = JSON.parse(request.body) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [{ name: 'body', in: 'body' }];
  return Object.keys(parsed).map((name) => ({ name, in: 'body-field' }));
}
