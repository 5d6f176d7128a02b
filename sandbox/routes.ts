import { CollectionStore } from './customStorage/CollectionStore.ts';
import { INGEST_PATH } from '../functions/engine/sink/ingestRecords.ts';
import { IOC_DEVICE_COUNT_PATH, IOC_DEVICES_PATH } from '../functions/falcon/iocEndpoints.ts';
import { STREAM_NAMES, STREAMS, type HydrateSpec, type StreamSpec } from '../functions/falcon/streams.ts';
import { IOC_IDS_PATH } from './endpoints/listContract.ts';

export type Route =
  | { kind: 'token' }
  | { kind: 'revoke' }
  | { kind: 'list'; spec: StreamSpec }
  | { kind: 'hydrate'; spec: StreamSpec; hydrate: HydrateSpec }
  | { kind: 'custom-storage' }
  | { kind: 'ioc-sightings'; endpoint: 'device-count' | 'device-ids' }
  | { kind: 'logscale-ingest' };

export type RouteMatch = { kind: 'found'; route: Route } | { kind: 'method-not-allowed' } | { kind: 'not-found' };

/** Path → method → route, built from the stream catalog so the sandbox serves exactly what the engine knows. */
const ROUTES: ReadonlyMap<string, ReadonlyMap<string, Route>> = buildRoutes();

function buildRoutes(): Map<string, Map<string, Route>> {
  const routes = new Map<string, Map<string, Route>>();
  const add = (method: string, path: string, route: Route): void => {
    const byMethod = routes.get(path) ?? new Map<string, Route>();
    // Two streams can share an entities endpoint; the first registered one serves it.
    if (!byMethod.has(method)) byMethod.set(method, route);
    routes.set(path, byMethod);
  };
  add('POST', '/oauth2/token', { kind: 'token' });
  add('POST', '/oauth2/revoke', { kind: 'revoke' });
  for (const name of STREAM_NAMES) {
    const spec = STREAMS[name];
    add(spec.method, spec.path, { kind: 'list', spec });
    if (spec.hydrate !== null) add(spec.hydrate.method, spec.hydrate.path, { kind: 'hydrate', spec, hydrate: spec.hydrate });
  }
  add('GET', IOC_DEVICE_COUNT_PATH, { kind: 'ioc-sightings', endpoint: 'device-count' });
  add('GET', IOC_DEVICES_PATH, { kind: 'ioc-sightings', endpoint: 'device-ids' });
  // Ids of the custom IOCs (indicator_search_v1): the combined route's paging over the same dataset, ids
  // instead of records (its list contract says so). No stream uses it, so the catalog does not list it.
  add('GET', IOC_IDS_PATH, { kind: 'list', spec: { ...STREAMS.iocs, path: IOC_IDS_PATH } });
  add('POST', INGEST_PATH, { kind: 'logscale-ingest' });
  return routes;
}

export function findRoute(method: string, path: string): RouteMatch {
  // Collection names and object keys are path segments, so custom storage is matched by prefix.
  if (CollectionStore.handles(path)) return { kind: 'found', route: { kind: 'custom-storage' } };
  const byMethod = ROUTES.get(path);
  if (byMethod === undefined) return { kind: 'not-found' };
  const route = byMethod.get(method.toUpperCase());
  return route === undefined ? { kind: 'method-not-allowed' } : { kind: 'found', route };
}
