import type { HttpRequestSpec } from '../EngineCommand.ts';
import { IOC_DEVICE_COUNT_PATH, IOC_DEVICES_PATH, type IocType } from '../../falcon/iocEndpoints.ts';

// encodeURIComponent rather than URLSearchParams: the embedded engine (QuickJS) has no URL classes.
function query(params: Array<[string, string | null]>): string {
  return `?${params
    .filter((p): p is [string, string] => p[1] !== null)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&')}`;
}

const JSON_HEADERS = { Accept: 'application/json' };

export function deviceCountRequest(type: IocType, value: string): HttpRequestSpec {
  return { method: 'GET', path: IOC_DEVICE_COUNT_PATH + query([['type', type], ['value', value]]), headers: { ...JSON_HEADERS }, body: null };
}

/** `limit` and `offset` travel as strings (the spec types them so); the first page sends no offset. */
export function deviceIdsRequest(type: IocType, value: string, limit: number, token: string | null): HttpRequestSpec {
  return {
    method: 'GET',
    path: IOC_DEVICES_PATH + query([['type', type], ['value', value], ['limit', String(limit)], ['offset', token]]),
    headers: { ...JSON_HEADERS },
    body: null,
  };
}
