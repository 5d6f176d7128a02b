import type { SandboxResponse } from '../exchange.ts';
import { MESSAGES } from '../messages.ts';
import { envelopeReply, errorReply } from '../replies.ts';
import type { EndpointContext } from './EndpointContext.ts';
import { ordered, parseOffsetQuery } from './listParams.ts';

/**
 * Style A (alerts v2 ids, legacy detects): integer offset over LIVE data, so inserts and deletes between
 * pages shift what an offset points at, exactly the hazard the engine has to survive.
 */
export function offsetEndpoint(ctx: EndpointContext): SandboxResponse {
  const { spec, knobs, url, reply } = ctx;
  const q = url.searchParams;
  const bad = (message: string): SandboxResponse => errorReply(reply, 400, spec.poweredBy, message, { resources: [] });
  const parsed = parseOffsetQuery(q, spec);
  if (!parsed.ok) return bad(parsed.message);
  const { limit, offset, sort, filter, q: text } = parsed.value;

  const cap = knobs.depthCaps[spec.name] ?? spec.depthCap;
  if (cap !== null && offset + limit > cap) return depthCapReply(ctx, cap);

  const matches = ordered(ctx.dataset.matching(filter), sort, spec, text);
  const total = matches.length;
  let page = matches.slice(offset, offset + limit);

  // sparse-final-page, offset flavour: one short page mid-run while `total` says more remain.
  if (knobs.sparseFinalPage && !ctx.state.sparseFired.has(spec.name) && offset > 0 && offset + limit < total) {
    ctx.state.sparseFired.add(spec.name);
    page = page.slice(0, Math.ceil(limit / 2));
  }

  const responseOffset = knobs.offsetSemantics === 'echo' ? offset : offset + page.length;
  return envelopeReply(reply, 200, {
    poweredBy: spec.poweredBy,
    pagination: { offset: responseOffset, limit: limit, total },
    resources: page.map((r) => r.id),
  });
}

/** Alerts v2 answers a bare 500 past its cap (psfalcon#423); the others answer the hosts-worded 400. */
function depthCapReply(ctx: EndpointContext, cap: number): SandboxResponse {
  const { spec, reply } = ctx;
  if (spec.depthCapStatus === 500) return errorReply(reply, 500, spec.poweredBy, MESSAGES.internalServerError, { resources: [] });
  return errorReply(reply, 400, spec.poweredBy, MESSAGES.offsetCapHosts(cap + 1), { resources: [] });
}
