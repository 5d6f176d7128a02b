import type { Scroll } from '../cursors/ScrollStore.ts';
import type { SandboxResponse } from '../exchange.ts';
import { envelopeReply, errorReply } from '../replies.ts';
import type { EndpointContext } from './EndpointContext.ts';
import { expiredCursorReply } from './expiredCursorReply.ts';
import { checkQueryParams, ordered, parseFilter, parseLimit, parseSort } from './listParams.ts';

/**
 * Style B (devices scroll), as recorded in real traffic (falcon-api.md §3.2): the first call snapshots the
 * matching ids; the token in `offset` is the same on every page; `expires_at` is epoch nanoseconds and
 * slides with each call; the page size is fixed at creation; one call after the last item answers
 * `{total: 0, offset: ""}`.
 */
export function scrollEndpoint(ctx: EndpointContext): SandboxResponse {
  const { spec, knobs, url, reply, state } = ctx;
  const q = url.searchParams;
  const token = q.get('offset') ?? '';
  const bad = (message: string): SandboxResponse => errorReply(reply, 400, spec.poweredBy, message, { resources: [] });
  const params = checkQueryParams(q, spec);
  if (!params.ok) return bad(params.message);
  const limit = parseLimit(q.get('limit'), spec);
  if (!limit.ok) return bad(limit.message);

  if (token !== '') {
    const scroll = state.scrolls.live(token, spec.name, reply.nowMs, knobs.cursorTtlMs);
    if (scroll === null) return expiredCursorReply(ctx, limit.value);
    return servePage(ctx, scroll);
  }

  const sort = parseSort(q.get('sort'), spec);
  if (!sort.ok) return bad(sort.message);
  const filter = parseFilter(q.get('filter'));
  if (!filter.ok) return bad(filter.message);
  const ids = ordered(ctx.dataset.matching(filter.value), sort.value, spec).map((r) => r.id);
  return servePage(ctx, state.scrolls.create(spec.name, ids, limit.value, reply.nowMs));
}

function servePage(ctx: EndpointContext, scroll: Scroll): SandboxResponse {
  const { knobs, reply, spec, state } = ctx;
  const remaining = scroll.ids.length - scroll.position;
  const end = (resources: string[]): SandboxResponse => {
    state.scrolls.delete(scroll.token);
    return envelopeReply(reply, 200, { poweredBy: spec.poweredBy, pagination: { total: 0, offset: '' }, resources });
  };
  if (remaining <= 0) return end([]);

  if (knobs.sparseFinalPage && !scroll.sparseFired && scroll.pagesServed >= 1 && remaining >= 2 && remaining <= 1.5 * scroll.pageSize) {
    // The field report's silent truncation: a short page that already says "end of scroll".
    scroll.sparseFired = true;
    return end(scroll.ids.slice(scroll.position, scroll.position + Math.ceil(remaining / 2)));
  }

  const page = scroll.ids.slice(scroll.position, scroll.position + scroll.pageSize);
  scroll.position += page.length;
  scroll.pagesServed++;
  scroll.lastUsedMs = reply.nowMs;
  const steal = knobs.phantomStealEvery;
  if (steal !== null && scroll.pagesServed % steal === 0) {
    // shared-token: a second worker holding the same token just took the next page.
    scroll.position += scroll.pageSize;
  }
  return envelopeReply(reply, 200, {
    poweredBy: spec.poweredBy,
    pagination: { total: scroll.ids.length, offset: scroll.token, expires_at: (reply.nowMs + knobs.cursorTtlMs) * 1_000_000 },
    resources: [...page],
  });
}
