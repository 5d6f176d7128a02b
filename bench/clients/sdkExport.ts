import { FalconClient, type CombinedDevicesByFilterSortEnum } from 'crowdstrike-falcon';
import type { StreamName } from '../../functions/falcon/streams.ts';

/** Where the SDK connects: the sandbox's loopback origin and the API client it accepts. */
export interface SdkTarget {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface SdkExportResult {
  /** Every id the loop received, in order, repeats included. */
  ids: string[];
  /** Why the loop ended: 'end' (empty page or no cursor), or the error it caught. */
  stoppedBy: string;
}

/** The origin `FalconClient` builds from `cloud: 'us-1'`; it has no option for any other origin. */
const US1_ORIGIN = 'https://api.crowdstrike.com';

/**
 * falconjs builds every URL from `cloud` (FalconCloud.ts: `"https://" + CloudHost[cloud]`, four fixed
 * hosts) and has no base URL option, neither on `FalconClient` nor on its OAuth2 middleware. Its one
 * seam is `fetchApi`, which both use: this fetch sends the request to the sandbox's origin instead.
 */
export function loopbackFetch(baseUrl: string): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return fetch(url.startsWith(US1_ORIGIN) ? baseUrl + url.slice(US1_ORIGIN.length) : url, init);
  };
}

/**
 * A loop written the way the SDK's users write it: the SDK's client with its OAuth2 middleware, the
 * query or combined method of the stream at its largest page, `offset`/`after` fed back from
 * `meta.pagination`, stop on an empty page or an absent cursor, any error caught and the loop ended.
 */
export async function sdkExport(stream: StreamName, target: SdkTarget): Promise<SdkExportResult> {
  const falcon = new FalconClient({ cloud: 'us-1', clientId: target.clientId, clientSecret: target.clientSecret, fetchApi: loopbackFetch(target.baseUrl) });
  const ids: string[] = [];
  try {
    switch (stream) {
      case 'alerts': {
        let after: string | undefined;
        for (;;) {
          const page = await falcon.alerts.postCombinedAlertsV1({ limit: 1000, sort: 'created_timestamp|asc', ...(after ? { after } : {}) });
          for (const alert of page.resources) ids.push(String(alert.compositeId));
          after = page.meta.pagination?.after;
          if (page.resources.length === 0 || !after) break;
        }
        break;
      }
      case 'alert-ids': {
        let offset = 0;
        for (;;) {
          const page = await falcon.alerts.queryV2(undefined, offset, 10000, 'created_timestamp|asc');
          for (let i = 0; i < page.resources.length; i += 1000) {
            const entities = await falcon.alerts.getV2({ compositeIds: page.resources.slice(i, i + 1000) });
            for (const alert of entities.resources) ids.push(String(alert.compositeId));
          }
          offset = (page.meta.pagination?.offset ?? offset) + page.resources.length;
          if (page.resources.length === 0 || offset >= (page.meta.pagination?.total ?? 0)) break;
        }
        break;
      }
      case 'iocs': {
        // The SDK's sort enum lists bare field names (no direction): the loop sends none and keeps the default order.
        let after: string | undefined;
        for (;;) {
          const page = await falcon.ioc.indicatorCombinedV1(undefined, undefined, 2000, undefined, after);
          for (const ioc of page.resources ?? []) ids.push(String(ioc.id));
          after = page.meta.pagination?.after;
          if (!page.resources?.length || !after) break;
        }
        break;
      }
      case 'intel-indicators': {
        let offset = 0;
        for (;;) {
          const page = await falcon.intel.queryIntelIndicatorEntities(offset, 5000, '_marker|asc');
          for (const indicator of page.resources) ids.push(String(indicator.id));
          offset = (page.meta.pagination?.offset ?? offset) + page.resources.length;
          if (page.resources.length === 0 || offset >= (page.meta.pagination?.total ?? 0)) break;
        }
        break;
      }
      case 'hosts': {
        let offset: string | undefined;
        for (;;) {
          // The SDK's sort type lists field names only; the definition's own example is "status.desc".
          const page = await falcon.hosts.combinedDevicesByFilter(offset, 10000, 'first_seen.asc' as CombinedDevicesByFilterSortEnum);
          for (const device of page.resources) ids.push(String(device.deviceId));
          offset = page.meta.pagination?.next;
          if (page.resources.length === 0 || !offset) break;
        }
        break;
      }
      case 'hosts-scroll': {
        let offset: string | undefined;
        for (;;) {
          const page = await falcon.hosts.queryDevicesByFilterScroll(offset, 10000, 'first_seen.asc');
          for (let i = 0; i < page.resources.length; i += 5000) {
            const details = await falcon.hosts.postDeviceDetailsV2({ ids: page.resources.slice(i, i + 5000) });
            for (const device of details.resources) ids.push(String(device.deviceId));
          }
          offset = page.meta.pagination?.offset;
          if (page.resources.length === 0 || !offset) break;
        }
        break;
      }
      case 'vulnerabilities': {
        let after: string | undefined;
        for (;;) {
          const page = await falcon.spotlightVulnerabilities.combinedQueryVulnerabilities("created_timestamp:>'1970-01-01'", after, 5000, 'created_timestamp|asc');
          for (const vulnerability of page.resources) ids.push(String(vulnerability.id));
          after = page.meta.pagination?.after;
          if (page.resources.length === 0 || !after) break;
        }
        break;
      }
    }
    return { ids, stoppedBy: 'end' };
  } catch (error) {
    return { ids, stoppedBy: await describeError(error) };
  }
}

/** `ResponseError` carries the HTTP response; `FetchError` a failed connection. */
async function describeError(error: unknown): Promise<string> {
  if (typeof error === 'object' && error !== null && 'response' in error && error.response instanceof Response) {
    return `HTTP ${error.response.status}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
