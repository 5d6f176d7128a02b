import type { HydrateSpec } from '../../functions/falcon/streams.ts';
import type { StoredRecord } from '../datasets/Dataset.ts';
import type { SandboxResponse } from '../exchange.ts';
import { MESSAGES } from '../messages.ts';
import { envelopeReply, errorReply, nginxHtmlReply } from '../replies.ts';
import type { EndpointContext } from './EndpointContext.ts';

/** psfalcon#396 saw a 413 at 1,058,849 bytes of composite ids: the body limit is about 1 MiB. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Entities by id: full objects in arbitrary (shuffled) order; unknown and deleted ids are simply left out
 * (whether the real API reports them as per-id errors is UNVERIFIED).
 */
export function hydrateEndpoint(ctx: EndpointContext, hydrate: HydrateSpec): SandboxResponse {
  const { spec, reply, state } = ctx;
  const body = ctx.body ?? '';
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) return nginxHtmlReply(reply, 413);

  const bad = (message: string): SandboxResponse => errorReply(reply, 400, spec.poweredBy, message, { resources: [] });
  const ids = readIds(body, hydrate.idsKey);
  if (ids === null) return bad(MESSAGES.missingIds(hydrate.idsKey));
  if (ids.length > hydrate.maxIds) return bad(MESSAGES.tooManyIds(hydrate.maxIds));

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
