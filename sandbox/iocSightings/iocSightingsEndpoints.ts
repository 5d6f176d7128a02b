import { STREAMS } from '../../functions/falcon/streams.ts';
import type { IocType } from '../../functions/falcon/iocEndpoints.ts';
import type { SandboxResponse } from '../exchange.ts';
import type { JsonValue } from '../fql/compileFql.ts';
import { MESSAGES } from '../messages.ts';
import type { FaultKnobs } from '../profiles.ts';
import { envelopeReply, errorReply, type ReplyContext } from '../replies.ts';
import { decodeDeviceOffset, encodeDeviceOffset } from './deviceOffsetToken.ts';
import { parseDeviceLimit, parseIndicator } from './iocParams.ts';
import { sightingKey, type IocSightings } from './IocSightings.ts';

/** The custom IOC service's backend name is UNVERIFIED; the sandbox uses the IOC stream's one. */
export const IOC_POWERED_BY = STREAMS.iocs.poweredBy;

/** One authenticated request to a sighting endpoint. */
export interface IocSightingsContext {
  reply: ReplyContext;
  knobs: FaultKnobs;
  url: URL;
  sightings: IocSightings;
  /** Indicators whose one short devices page without a token has been served (sparse-final-page). */
  sparseFired: Set<string>;
}

/**
 * `GET /iocs/aggregates/indicators/device-count/v1`: `api.DeviceCountRespV1` with one resource. The `id`
 * field is the legacy `api.IOCDevicesCount`'s (`type:value`); the new model documents `type`, `value`,
 * `device_count` and `limit_exceeded` (omitted when false). An indicator no device saw answers per the
 * `iocUnseenReply` knob: what the real endpoint does is UNVERIFIED.
 */
export function deviceCountEndpoint(ctx: IocSightingsContext): SandboxResponse {
  const parsed = parseIndicator(ctx.url.searchParams);
  if (!parsed.ok) return errorReply(ctx.reply, 400, IOC_POWERED_BY, parsed.message, { resources: [] });
  const { type, value } = parsed.value;
  const devices = ctx.sightings.devices(type, value);
  if (devices.length === 0 && ctx.knobs.iocUnseenReply === 'not-found') return notFound(ctx, type, value);
  return envelopeReply(ctx.reply, 200, { poweredBy: IOC_POWERED_BY, resources: [{ id: `${type}:${value}`, type, value, device_count: devices.length }] });
}

/**
 * `GET /iocs/queries/indicators/devices/v1`: device ids, `limit` and `offset` as strings, and a meta
 * `pagination` of `api.DetectsQueryPaging` (`limit`, a string next-`offset` token, no `total`). The last
 * page carries no token. Under sparse-final-page, one page per indicator comes back short and without a
 * token while devices remain: the trap a loop that trusts short pages falls into.
 */
export function deviceIdsEndpoint(ctx: IocSightingsContext): SandboxResponse {
  const { reply, url, knobs } = ctx;
  const q = url.searchParams;
  const bad = (message: string): SandboxResponse => errorReply(reply, 400, IOC_POWERED_BY, message, { resources: [] });
  const parsed = parseIndicator(q);
  if (!parsed.ok) return bad(parsed.message);
  const limit = parseDeviceLimit(q.get('limit'));
  if (!limit.ok) return bad(limit.message);
  const { type, value } = parsed.value;
  const key = sightingKey(type, value);
  const offset = q.get('offset') ?? '';
  const position = offset === '' ? 0 : decodeDeviceOffset(offset, key);
  if (position === null) return bad(MESSAGES.iocOffsetInvalid);

  const devices = ctx.sightings.devices(type, value);
  if (devices.length === 0 && knobs.iocUnseenReply === 'not-found') return notFound(ctx, type, value);
  const total = devices.length;
  const end = Math.min(total, position + limit.value);
  let page = devices.slice(position, end);
  let sparse = false;
  if (knobs.sparseFinalPage && !ctx.sparseFired.has(key) && end < total && total - end <= limit.value) {
    ctx.sparseFired.add(key);
    page = page.slice(0, Math.ceil(limit.value / 2));
    sparse = true;
  }
  const pagination: Record<string, JsonValue> = { limit: limit.value };
  if (!sparse && end < total) pagination['offset'] = encodeDeviceOffset(end, key);
  return envelopeReply(reply, 200, { poweredBy: IOC_POWERED_BY, pagination, resources: page });
}

function notFound(ctx: IocSightingsContext, type: IocType, value: string): SandboxResponse {
  return errorReply(ctx.reply, 404, IOC_POWERED_BY, MESSAGES.iocNotFound(type, value), { resources: [] });
}
