import type { HydrateSpec } from '../../functions/falcon/streams.ts';
import type { StoredRecord } from '../datasets/Dataset.ts';
import type { SandboxResponse } from '../exchange.ts';
import { MESSAGES } from '../messages.ts';
import { envelopeReply, errorReply, nginxHtmlReply } from '../replies.ts';
import type { EndpointContext } from './EndpointContext.ts';

/** Entities routes whose definition documents an id maximum (PostDeviceDetailsV2: "up to a maximum 5000 IDs"). */
const CAPPED_ID_PATHS: ReadonlySet<string> = new Set(['/devices/entities/devices/v2']);

/**
 * Entities by id: full objects in arbitrary (shuffled) order; unknown and deleted ids are simply left out
 * (whether the real API reports them as per-id errors is UNVERIFIED). Only the body size is capped for alerts
 * (knobs.entitiesMaxBodyBytes): their definition documents no id maximum, so more than the 1,000 ids psfalcon
 * sends are served; devices document at most 5,000 ids.
 */
export function hydrateEndpoint(ctx: EndpointContext, hydrate: HydrateSpec): SandboxResponse {
  const { spec, reply, state } = ctx;
  const body = ctx.body ?? '';
  if (Buffer.byteLength(body, 'utf8') > ctx.knobs.entitiesMaxBodyBytes) return nginxHtmlReply(reply, 413);

  const bad = (message: string): SandboxResponse => errorReply(reply, 400, spec.poweredBy, message, { resources: [] });
  const ids = readIds(body, hydrate.idsKey);
  if (ids === null) return bad(MESSAGES.missingIds(hydrate.idsKey));
  if (CAPPED_ID_PATHS.has(hydrate.path) && ids.length > hydrate.maxIds) return bad(MESSAGES.tooManyIds(hydrate.maxIds));

  const found: StoredRecord[] = [];
  for (const id of new Set(ids)) {
    const record = ctx.dataset.get(id);
    if (record !== undefined) found.push(record);
  }
  return envelopeReply(reply, 200, { poweredBy: spec.poweredBy, resources: state.shuffle.shuffle(found).map((r) => r.body) });
}

function readIds(body: string, key: string): string[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const ids = (parsed as Record<string, unknown>)[key];
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id): id is string => typeof id === 'string')) return null;
  return ids;
}
