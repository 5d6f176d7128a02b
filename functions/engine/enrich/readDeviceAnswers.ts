import type { Envelope } from '../../falcon/envelope.ts';

/**
 * What device-count said. gofalcon's `api.DeviceCountV1` has `device_count`, `limit_exceeded`, `type` and
 * `value`, all omitempty, so a count of 0 may arrive as no field at all; a missing count is therefore
 * reported as missing, never read as 0.
 */
export type CountAnswer =
  | { kind: 'count'; count: number; limitExceeded: boolean }
  | { kind: 'missing'; limitExceeded: boolean; why: string };

type Item = Record<string, unknown>;

export function readDeviceCount(envelope: Envelope, type: string, value: string): CountAnswer {
  const items = (envelope.resources ?? []).filter((r): r is Item => typeof r === 'object' && r !== null);
  if (items.length === 0) return { kind: 'missing', limitExceeded: false, why: 'device-count answered 200 without a resource' };
  const wanted = value.toLowerCase();
  const item = items.find((r) => r['type'] === type && typeof r['value'] === 'string' && r['value'].toLowerCase() === wanted) ?? (items[0] as Item);
  const limitExceeded = item['limit_exceeded'] === true;
  const count = item['device_count'];
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return { kind: 'count', count, limitExceeded };
  return {
    kind: 'missing',
    limitExceeded,
    why: count === undefined ? 'device-count answered without device_count' : `device_count is ${JSON.stringify(count)}, not a count`,
  };
}

export type DevicePage = { ok: true; ids: string[]; next: string | null } | { ok: false; message: string };

/**
 * One devices-query page. Its meta is `api.DetectsQueryMeta` (gofalcon `api_detects_query_paging.go`:
 * `after` and `offset` strings, `limit`, no `total`); the next page's token is the `offset` string, or
 * `after` should the API ever fill that one instead.
 */
export function readDevicePage(envelope: Envelope): DevicePage {
  const resources = envelope.resources ?? [];
  const ids: string[] = [];
  for (const r of resources) {
    if (typeof r !== 'string') return { ok: false, message: 'the devices query returned records where device ids were expected' };
    ids.push(r);
  }
  const pagination = envelope.meta.pagination;
  const offset = pagination?.offset;
  const after = pagination?.after;
  const next = typeof offset === 'string' && offset !== '' ? offset : typeof after === 'string' && after !== '' ? after : null;
  return { ok: true, ids, next };
}
