import { afterTokenOf } from '../../functions/falcon/streams.ts';
import { AfterContexts, type AfterContext, type AfterPosition } from '../cursors/AfterContexts.ts';
import { indexAfter, type StoredRecord } from '../datasets/Dataset.ts';
import type { SandboxResponse } from '../exchange.ts';
import type { JsonObject, JsonValue } from '../fql/compileFql.ts';
import { MESSAGES } from '../messages.ts';
import { envelopeReply, errorReply } from '../replies.ts';
import type { EndpointContext } from './EndpointContext.ts';
import { expiredCursorReply } from './expiredCursorReply.ts';
import { listContract } from './listContract.ts';
import { checkQueryParams, ordered, parseFilter, parseLimit, parseOffset, parseSort, queryText, sortText as canonicalSort, type ParamResult } from './listParams.ts';
import {
  decodePositionKey,
  encodePositionKey,
  indexAfterPosition,
  positionOf,
  sortedRecords,
  type SortDirection,
  type SortOrder,
} from './SortOrder.ts';
import { textSearch } from './textSearch.ts';

interface AfterParams {
  after: string;
  filter: string | null;
  limit: string | number | null;
  sort: string | null;
  offset: string | null;
  /** Full-text search, '' for none. */
  q: string;
  /** Combined devices' `fields`: the record fields to return, null for all. */
  fields: string[] | null;
}

/**
 * IOC offset paging stops at 10,000 ("to access more than 10k iocs, use the 'after' parameter instead of
 * 'offset'", indicator_combined_v1 and indicator_search_v1); knobs.depthCaps.iocs overrides it.
 */
const IOC_OFFSET_CAP = 10_000;

/**
 * Style C (`after` in the query for IOCs and Spotlight, in the JSON body for combined alerts), with
 * search-after semantics over live data: each page is the records strictly after the token's sort key
 * that match the filter now. The context only expires (idle TTL) or refuses a different sort.
 */
export function afterEndpoint(ctx: EndpointContext): SandboxResponse {
  const { spec, knobs, reply, state } = ctx;
  const bad = (message: string): SandboxResponse => errorReply(reply, 400, spec.poweredBy, message, { resources: [] });
  const read = readParams(ctx);
  if (!read.ok) return bad(read.message);
  const params = read.value;
  const contract = listContract(spec.path);
  const resourcesOf = (records: readonly StoredRecord[]): JsonValue[] =>
    contract.resources === 'ids' ? records.map((r) => r.id) : records.map((r) => project(r.body, params.fields));

  const limit = parseLimit(params.limit, spec);
  if (!limit.ok) return bad(limit.message);
  if (params.offset !== null && params.after !== '') return bad(MESSAGES.offsetWithAfter);
  if (spec.filterRequired && (params.filter ?? '').trim() === '') return bad(MESSAGES.filterRequired);
  const sort = parseSort(params.sort, spec);
  if (!sort.ok) return bad(sort.message);
  const filter = parseFilter(params.filter);
  if (!filter.ok) return bad(filter.message);
  const order = sort.value;
  const sortText = canonicalSort(order, spec);

  const matches = textSearch(ctx.dataset.matching(filter.value), params.q);
  const total = matches.length;

  if (params.offset !== null) {
    // IOC endpoints also page by plain offset (mutually exclusive with after).
    const offset = parseOffset(params.offset);
    if (!offset.ok) return bad(offset.message);
    const cap = knobs.depthCaps[spec.name] ?? IOC_OFFSET_CAP;
    if (offset.value + limit.value > cap) return bad(MESSAGES.iocOffsetCap(cap));
    const page = ordered(matches, order, spec).slice(offset.value, offset.value + limit.value);
    return envelopeReply(reply, 200, {
      poweredBy: spec.poweredBy,
      pagination: { offset: offset.value, limit: limit.value, total },
      resources: resourcesOf(page),
    });
  }
  if (order.field !== spec.watermarkField) return byOtherField(ctx, { matches, order, sortText, limit: limit.value, after: params.after, resourcesOf });

  let context: AfterContext | null = null;
  let rest: StoredRecord[];
  let heldId: string | undefined;
  if (params.after !== '') {
    const position = AfterContexts.decode(params.after);
    context = position === null ? null : state.afterContexts.live(position.contextId, spec.name, reply.nowMs, knobs.cursorTtlMs);
    if (position === null || context === null || context.sort !== sortText) {
      if (context !== null) state.afterContexts.delete(context.id);
      return expiredCursorReply(ctx, limit.value);
    }
    rest = recordsAfter(matches, position.key, position.id, order.direction, limit.value + 1);
    heldId = position.heldId;
  } else {
    rest = recordsAfter(matches, null, null, order.direction, limit.value + 1);
  }
  const remaining = countAfter(matches, rest[0], order.direction);

  let page = rest.slice(0, limit.value);
  let more = rest.length > limit.value;
  if (
    knobs.sparseFinalPage &&
    context !== null &&
    !context.sparseFired &&
    context.pagesServed >= 1 &&
    remaining >= 2 &&
    remaining <= 1.5 * limit.value
  ) {
    // Once per chain, near the end: a short page and no cursor while `total` says more remain.
    context.sparseFired = true;
    page = rest.slice(0, Math.ceil(remaining / 2));
    more = false;
  }

  // out-of-order: a record held back from the previous page comes first on this one, behind the order.
  // The token names it, so a token sent again (a retry, a resume after a crash) gets the same page.
  const held = heldId === undefined ? undefined : matches.find((r) => r.id === heldId);
  let served: StoredRecord[] = held === undefined ? page : [held, ...page];
  const last = page.at(-1);
  let heldBack: StoredRecord | undefined;
  if (more && last !== undefined && knobs.outOfOrderRate > 0 && page.length >= 3 && state.shuffle.chance(knobs.outOfOrderRate)) {
    // Hold back a record from the middle of this page (the token still points past it) for the next page.
    heldBack = page[Math.floor(page.length / 2)];
    served = served.filter((r) => r !== heldBack);
  }
  const next = more && last !== undefined ? { key: last.key, id: last.id, ...(heldBack ? { heldId: heldBack.id } : {}) } : null;
  const pagination = cursorPagination(ctx, { limit: limit.value, total, askedWith: params.after, sortText }, context, next);
  return envelopeReply(reply, 200, { poweredBy: spec.poweredBy, pagination, resources: resourcesOf(served) });
}

/**
 * A page's pagination block: the token of the next page when there is one (its context created or kept
 * alive), else the context is retired. Both the watermark sort and other sorts answer through it.
 */
function cursorPagination(
  ctx: EndpointContext,
  page: { limit: number; total: number; askedWith: string; sortText: string },
  context: AfterContext | null,
  next: Omit<AfterPosition, 'contextId'> | null,
): Record<string, JsonValue> {
  const { spec, reply, state } = ctx;
  const names = afterTokenOf(spec);
  const pagination: Record<string, JsonValue> = { limit: page.limit, total: page.total };
  // DeviceapiDevicePagingV2: `offset` (required) echoes the token this page was asked with.
  if (names.param === 'offset') pagination['offset'] = page.askedWith;
  if (next !== null) {
    const live = context ?? state.afterContexts.create(spec.name, page.sortText, reply.nowMs);
    live.lastUsedMs = reply.nowMs;
    live.pagesServed++;
    pagination[names.field] = AfterContexts.encode({ contextId: live.id, ...next });
  } else {
    if (context !== null) state.afterContexts.delete(context.id);
    // Spotlight says `after: ""` on the last page; combined alerts and IOCs leave it out.
    if (spec.filterRequired) pagination['after'] = '';
  }
  return pagination;
}

interface OtherFieldPage {
  matches: readonly StoredRecord[];
  order: SortOrder;
  sortText: string;
  limit: number;
  after: string;
  resourcesOf: (records: readonly StoredRecord[]) => JsonValue[];
}

/**
 * Search-after over a sort that is not the watermark (a client's own choice; the engine never sends one):
 * the token carries the last record's (value, watermark, id), so inserts and deletes never shift pages.
 * The fault knobs (sparse pages, held-back records) only play on watermark sorts, which is what they test.
 */
function byOtherField(ctx: EndpointContext, page: OtherFieldPage): SandboxResponse {
  const { spec, knobs, reply, state } = ctx;
  const view = sortedRecords(page.matches, page.order, spec.watermarkField);
  let context: AfterContext | null = null;
  let start = 0;
  if (page.after !== '') {
    const token = AfterContexts.decode(page.after);
    context = token === null ? null : state.afterContexts.live(token.contextId, spec.name, reply.nowMs, knobs.cursorTtlMs);
    const position = token === null ? null : decodePositionKey(token.key, token.id);
    if (position === null || context === null || context.sort !== page.sortText) {
      if (context !== null) state.afterContexts.delete(context.id);
      return expiredCursorReply(ctx, page.limit);
    }
    start = indexAfterPosition(view, position, page.order);
  }
  const served = view.slice(start, start + page.limit);
  const last = served.at(-1);
  const next = start + served.length < view.length && last !== undefined ? { key: encodePositionKey(positionOf(last, page.order.field)), id: last.id } : null;
  const pagination = cursorPagination(ctx, { limit: page.limit, total: page.matches.length, askedWith: page.after, sortText: page.sortText }, context, next);
  return envelopeReply(reply, 200, { poweredBy: spec.poweredBy, pagination, resources: page.resourcesOf(served) });
}

/** Combined devices' `fields`: only the named fields of each record ("fields=hostname,device_id"). */
function project(body: JsonObject, fields: readonly string[] | null): JsonObject {
  if (fields === null) return body;
  const out: JsonObject = {};
  for (const field of fields) {
    const value = body[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

function readParams(ctx: EndpointContext): ParamResult<AfterParams> {
  const { spec } = ctx;
  const q = ctx.url.searchParams;
  // After-body routes document no query parameter, so any one is refused here too.
  const checked = checkQueryParams(q, spec);
  if (!checked.ok) return checked;
  if (spec.style === 'after-query') {
    // Combined devices carries its token in `offset`; the others page by plain offset there (IOCs).
    const tokenParam = afterTokenOf(spec).param;
    const fields = q.get('fields');
    return {
      ok: true,
      value: {
        after: q.get(tokenParam) ?? '',
        filter: q.get('filter'),
        limit: q.get('limit'),
        sort: q.get('sort'),
        offset: tokenParam === 'offset' ? null : q.get('offset'),
        q: queryText(q, spec),
        fields: fields === null || fields.trim() === '' ? null : fields.split(',').map((f) => f.trim()),
      },
    };
  }
  const text = ctx.body ?? '';
  if (text.trim() === '') return { ok: true, value: { after: '', filter: null, limit: null, sort: null, offset: null, q: '', fields: null } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, message: MESSAGES.invalidJsonBody };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, message: MESSAGES.invalidJsonBody };
  const body = parsed as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const limit = typeof body['limit'] === 'number' || typeof body['limit'] === 'string' ? body['limit'] : null;
  const search = listContract(spec.path).textSearch === 'body' ? (str(body['q']) ?? '') : '';
  return { ok: true, value: { after: str(body['after']) ?? '', filter: str(body['filter']), limit, sort: str(body['sort']), offset: null, q: search, fields: null } };
}

/** Up to `max` matching records strictly after (key, id) in the given direction; from the start when key is null. */
function recordsAfter(
  matches: readonly StoredRecord[],
  key: string | null,
  id: string | null,
  direction: SortDirection,
  max: number,
): StoredRecord[] {
  if (direction === 'asc') {
    const start = key === null || id === null ? 0 : indexAfter(matches, key, id);
    return matches.slice(start, start + max);
  }
  // Descending: walk down from just below (key, id).
  const end = key === null || id === null ? matches.length : indexBefore(matches, key, id);
  const out: StoredRecord[] = [];
  for (let i = end - 1; i >= 0 && out.length < max; i--) out.push(matches[i] as StoredRecord);
  return out;
}

/** First index whose (key, id) is not before the given one. */
function indexBefore(matches: readonly StoredRecord[], key: string, id: string): number {
  const after = indexAfter(matches, key, id);
  const at = matches[after - 1];
  return at !== undefined && at.key === key && at.id === id ? after - 1 : after;
}

/** How many matching records remain from `first` on, in the given direction. */
function countAfter(matches: readonly StoredRecord[], first: StoredRecord | undefined, direction: SortDirection): number {
  if (first === undefined) return 0;
  const index = indexAfter(matches, first.key, first.id) - 1;
  return direction === 'asc' ? matches.length - index : index + 1;
}
