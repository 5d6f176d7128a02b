import {
  FalconClient,
  instanceOfApiIndicatorV1,
  instanceOfDetectsExternalAlert,
  instanceOfDeviceapiDeviceSwagger,
  instanceOfDomainAPIVulnerabilityExtendedAppV2,
  instanceOfDomainAPIVulnerabilityHostFacetV2,
  instanceOfDomainBaseAPIVulnerabilityV2,
  instanceOfDomainCSIXLabel,
  instanceOfDomainPublicIndicatorV3,
  type CombinedDevicesByFilterSortEnum,
} from 'crowdstrike-falcon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackFetch } from '../../bench/clients/sdkExport.ts';
import type { StreamName } from '../../functions/falcon/streams.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { startSandboxServer, type SandboxServer } from '../../sandbox/server.ts';
import { SMALL_SIZES } from '../sandbox/sandboxKit.ts';

/**
 * Issue #13: falconjs, the official TypeScript SDK, as a client of the sandbox. Each stream is read with the
 * SDK's own methods in the manual loop its route needs, over a real loopback socket; every page goes through
 * the SDK's generated FromJSON, and every record must satisfy the generated model (`instanceOf…`: every
 * required field present) with no Invalid Date anywhere in what the SDK decoded.
 */

/** Small pages, so every loop runs over several of them. */
const PAGE = 97;
const VULNERABILITY_FILTER = "created_timestamp:>'1970-01-01'";

let sandbox: FalconSandbox;
let server: SandboxServer;
let falcon: FalconClient;

beforeAll(async () => {
  sandbox = new FalconSandbox({ sizes: SMALL_SIZES });
  server = await startSandboxServer({ sandbox, port: 0 });
  const { clientId, clientSecret } = sandbox.credentials;
  falcon = new FalconClient({ cloud: 'us-1', clientId, clientSecret, fetchApi: loopbackFetch(server.baseUrl) });
});

afterAll(async () => {
  await server.close();
});

interface Walk {
  dates: number;
  invalid: string[];
}

/** Every Date the SDK decoded, at any depth; the invalid ones by path. */
function walkDates(value: unknown, path: string, walk: Walk): Walk {
  if (value instanceof Date) {
    walk.dates++;
    if (Number.isNaN(value.getTime())) walk.invalid.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walkDates(item, `${path}[${i}]`, walk));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) walkDates(item, `${path}.${key}`, walk);
  }
  return walk;
}

/** What one loop collected: the ids in order, the decoded pages, and the records that miss a required field. */
class Collected {
  readonly ids: string[] = [];
  readonly pages: unknown[] = [];
  readonly incomplete: string[] = [];

  page(page: unknown): void {
    this.pages.push(page);
  }

  record(id: string, complete: boolean): void {
    this.ids.push(id);
    if (!complete) this.incomplete.push(id);
  }
}

async function alerts(): Promise<Collected> {
  const out = new Collected();
  let after: string | undefined;
  do {
    const page = await falcon.alerts.postCombinedAlertsV1({ limit: PAGE, sort: 'created_timestamp|asc', ...(after === undefined ? {} : { after }) });
    out.page(page);
    for (const alert of page.resources) out.record(alert.compositeId, instanceOfDetectsExternalAlert(alert));
    after = page.meta.pagination?.after;
  } while (after !== undefined && after !== '');
  return out;
}

async function alertIds(): Promise<Collected> {
  const out = new Collected();
  let offset = 0;
  for (;;) {
    const page = await falcon.alerts.queryV2(undefined, offset, PAGE, 'created_timestamp|asc');
    out.page(page);
    if (page.resources.length > 0) {
      const entities = await falcon.alerts.getV2({ compositeIds: page.resources });
      out.page(entities);
      for (const alert of entities.resources) out.record(alert.compositeId, instanceOfDetectsExternalAlert(alert));
    }
    offset += page.resources.length;
    if (page.resources.length === 0 || offset >= (page.meta.pagination?.total ?? 0)) return out;
  }
}

async function iocs(): Promise<Collected> {
  const out = new Collected();
  let after: string | undefined;
  do {
    const page = await falcon.ioc.indicatorCombinedV1(undefined, undefined, PAGE, undefined, after);
    out.page(page);
    for (const ioc of page.resources ?? []) out.record(String(ioc.id), instanceOfApiIndicatorV1(ioc));
    after = page.meta.pagination?.after;
  } while (after !== undefined && after !== '');
  return out;
}

/** Intel pages by `_marker`: the Next-Page header carries the filter that continues after the last marker. */
async function intelIndicators(): Promise<Collected> {
  const out = new Collected();
  let query: { filter?: string; limit: number; sort: string } = { limit: PAGE, sort: '_marker|asc' };
  for (;;) {
    const raw = await falcon.intel.queryIntelIndicatorEntitiesRaw(query);
    const page = await raw.value();
    out.page(page);
    for (const indicator of page.resources) {
      out.record(indicator.id, instanceOfDomainPublicIndicatorV3(indicator) && indicator.labels.every(instanceOfDomainCSIXLabel));
    }
    const next = raw.raw.headers.get('Next-Page');
    if (next === null || page.resources.length === 0) return out;
    const params = new URL(next, server.baseUrl).searchParams;
    query = { filter: params.get('filter') ?? '', limit: Number(params.get('limit') ?? PAGE), sort: params.get('sort') ?? '_marker|asc' };
  }
}

/** Combined devices: `meta.pagination.next` goes back as `offset`. */
async function hosts(): Promise<Collected> {
  const out = new Collected();
  let offset: string | undefined;
  do {
    // The SDK's sort type lists field names only; the definition's own example is "status.desc".
    const page = await falcon.hosts.combinedDevicesByFilter(offset, PAGE, 'first_seen.asc' as CombinedDevicesByFilterSortEnum);
    out.page(page);
    for (const device of page.resources) out.record(device.deviceId, instanceOfDeviceapiDeviceSwagger(device));
    offset = page.meta.pagination?.next;
  } while (offset !== undefined && offset !== '');
  return out;
}

/** The scroll: the same `offset` token goes back until a page comes back empty; ids are hydrated by v2. */
async function hostsScroll(): Promise<Collected> {
  const out = new Collected();
  let offset: string | undefined;
  for (;;) {
    const page = await falcon.hosts.queryDevicesByFilterScroll(offset, PAGE, 'first_seen.asc');
    out.page(page);
    if (page.resources.length === 0) return out;
    const details = await falcon.hosts.postDeviceDetailsV2({ ids: page.resources });
    out.page(details);
    for (const device of details.resources) out.record(device.deviceId, instanceOfDeviceapiDeviceSwagger(device));
    offset = page.meta.pagination?.offset;
    if (offset === undefined || offset === '') return out;
  }
}

async function vulnerabilities(): Promise<Collected> {
  const out = new Collected();
  let after: string | undefined;
  do {
    const page = await falcon.spotlightVulnerabilities.combinedQueryVulnerabilities(VULNERABILITY_FILTER, after, PAGE, 'created_timestamp|asc');
    out.page(page);
    for (const v of page.resources) {
      const complete =
        instanceOfDomainBaseAPIVulnerabilityV2(v) &&
        v.hostInfo !== undefined &&
        instanceOfDomainAPIVulnerabilityHostFacetV2(v.hostInfo) &&
        (v.apps ?? []).every(instanceOfDomainAPIVulnerabilityExtendedAppV2);
      out.record(v.id, complete);
    }
    after = page.meta.pagination?.after;
  } while (after !== undefined && after !== '');
  return out;
}

const LOOPS: ReadonlyArray<{ stream: StreamName; filter?: string; run: () => Promise<Collected>; datesPerRecord: number }> = [
  // created, crawled, updated and timestamp of each alert.
  { stream: 'alerts', run: alerts, datesPerRecord: 4 },
  { stream: 'alert-ids', run: alertIds, datesPerRecord: 4 },
  // created_on and modified_on.
  { stream: 'iocs', run: iocs, datesPerRecord: 2 },
  // The models below type their times as numbers (intel) or strings (devices, Spotlight).
  { stream: 'intel-indicators', run: intelIndicators, datesPerRecord: 0 },
  { stream: 'hosts', run: hosts, datesPerRecord: 0 },
  { stream: 'hosts-scroll', run: hostsScroll, datesPerRecord: 0 },
  { stream: 'vulnerabilities', filter: VULNERABILITY_FILTER, run: vulnerabilities, datesPerRecord: 0 },
];

describe('falconjs (crowdstrike-falcon) against the loopback sandbox', () => {
  it.each(LOOPS)('reads $stream with the SDK’s own loop, to the ground truth, every record a valid model', async ({ stream, filter, run, datesPerRecord }) => {
    const collected = await run();
    const expected = sandbox.matchingIds(stream, filter);

    expect(expected.size).toBeGreaterThan(PAGE);
    expect(collected.pages.length).toBeGreaterThan(2);
    expect(collected.ids).toHaveLength(expected.size);
    expect(new Set(collected.ids)).toEqual(expected);
    expect(collected.incomplete).toEqual([]);
    const walk = walkDates(collected.pages, 'pages', { dates: 0, invalid: [] });
    expect(walk.invalid).toEqual([]);
    expect(walk.dates).toBeGreaterThanOrEqual(datesPerRecord * collected.ids.length);
  });
});

describe('falconjs custom storage', () => {
  it('decodes last_modified_time as the instant of the write, not 1970', async () => {
    const before = Date.now();
    const body = new Blob([JSON.stringify({ n: 1 })], { type: 'application/json' });
    // Custom storage names the app whose collections are used; the SDK leaves that header to its caller
    // (an override function: a plain `headers` object would replace the bearer token the SDK adds).
    const answer = await falcon.customStorage.upload('sdk_probe', 'k1', body, undefined, undefined, ({ init }) =>
      Promise.resolve({ ...init, headers: { ...init.headers, 'X-CS-APP-ID': 'sdk-probe' } }),
    );
    const modified = answer.resources[0]?.lastModifiedTime;

    expect(modified).toBeInstanceOf(Date);
    // The wire carries whole milliseconds of the sandbox clock (the real one here).
    expect(modified?.getTime()).toBeGreaterThanOrEqual(before);
    expect(modified?.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

