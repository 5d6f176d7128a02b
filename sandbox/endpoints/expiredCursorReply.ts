import type { SandboxResponse } from '../exchange.ts';
import { MESSAGES } from '../messages.ts';
import { errorReply } from '../replies.ts';
import type { EndpointContext } from './EndpointContext.ts';

/**
 * The Spotlight refusal of a dead `after` context, observed as a 404 (elastic/integrations#14670).
 * Scroll, alerts and IOC tokens reuse its shape; their status is a knob because nobody has seen it.
 */
export function expiredCursorReply(ctx: EndpointContext, limit: number): SandboxResponse {
  const status = ctx.spec.filterRequired ? 404 : ctx.knobs.expiredCursorStatus;
  return errorReply(ctx.reply, status, ctx.spec.poweredBy, MESSAGES.searchContextExpired, {
    resources: [],
    pagination: { limit, total: 0, after: '' },
  });
}
