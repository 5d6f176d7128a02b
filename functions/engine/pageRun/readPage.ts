import type { Envelope } from '../../falcon/envelope.ts';
import { header, originOf } from '../../falcon/readResponse.ts';
import { STREAMS, afterTokenOf, watermarkAtTime, type StreamSpec } from '../../falcon/streams.ts';
import { assertNever } from '../assertNever.ts';
import { nextPagePathPlausible, type Chain, type Cursor } from '../Checkpoint.ts';
import { protocolMisuse } from '../core/machineErrors.ts';
import { serverNow } from '../core/serverNow.ts';
import { engineError } from '../EngineError.ts';
import type { PageFacts, Pending, RunningState } from '../EngineState.ts';
import { capRanges, type WatermarkValue } from '../KeyRange.ts';
import { optimalCalls } from '../optimalCalls.ts';
import type { StepOutput } from '../StepOutput.ts';
import { acceptPage } from './acceptPage.ts';
import { restart } from './chainMoves.ts';
import { fail } from './endRun.ts';
import { sendHydrate } from './hydration.ts';
import { nextPage } from './nextPage.ts';
import { note } from './note.ts';
import { PAGE_RUN } from './pageRunMachine.ts';
import { count } from './runCounters.ts';

type Item = Record<string, unknown>;

/** A query page's answer: its facts, then its records (or, where the stream lists ids, their entities). */
export function readPage(s: RunningState, pending: Pending, envelope: Envelope, headers: Record<string, string>): StepOutput {
  const spec = STREAMS[s.input.stream];
  const chain = s.cp.chain;
  if (!chain) return fail(s, protocolMisuse('http-response', 'a page without a chain', 'engine'));
  let resources = envelope.resources ?? [];
  let requestOffset = pending.offset;
  if (pending.overlapId !== null) {
    if (resources[0] !== pending.overlapId) {
      note(s, 'window_shifted', `offset ${pending.offset} no longer starts with the previous page's last record; re-windowing`);
      s.pending = null;
      restart(s);
      return nextPage(s);
    }
    resources = resources.slice(1);
    requestOffset = pending.offset + 1;
  }
  if (s.cp.boundServerMs === null) boundExport(s, spec);
  const pagination = envelope.meta.pagination;
  const total = typeof pagination?.total === 'number' ? pagination.total : null;
  if (s.cp.totalAtStart === null && total !== null) {
    s.cp.totalAtStart = total;
    s.health.totalAtStart = total;
    s.health.optimalCalls = optimalCalls(spec, total);
  }
  const { next, chainEnded } = nextCursorOf(s, spec, envelope, headers, resources.length);
  const facts: PageFacts = {
    returned: resources.length,
    asked: askedFor(spec, chain, pending),
    total,
    next,
    chainEnded,
    requestOffset,
    adjacent: chain.pages === 0 || spec.style === 'marker' || pending.overlapId !== null,
    lastId: typeof resources[resources.length - 1] === 'string' ? (resources[resources.length - 1] as string) : null,
    markerWithoutLink: spec.style === 'marker' && header(headers, 'next-page') === undefined,
    abandoned: false,
    knownKeys: [],
  };
  return spec.hydrate ? listedIds(s, spec, resources, facts) : records(s, spec, resources, facts);
}

function records(s: RunningState, spec: StreamSpec, resources: unknown[], facts: PageFacts): StepOutput {
  const items = resources.filter((r): r is Item => typeof r === 'object' && r !== null);
  if (items.length !== resources.length) return fail(s, engineError('SCHEMA_MISMATCH', `${spec.path} returned ids where records were expected.`, {}));
  return acceptPage(s, items, facts);
}

function listedIds(s: RunningState, spec: StreamSpec, resources: unknown[], facts: PageFacts): StepOutput {
  const ids = resources.filter((r): r is string => typeof r === 'string');
  if (ids.length !== resources.length || !spec.hydrate) return fail(s, engineError('SCHEMA_MISMATCH', `${spec.path} returned objects where ids were expected.`, {}));
  // Ids at a bound were exported already; hydrating them again would only be dropped.
  const known = new Map<string, WatermarkValue>();
  for (const r of s.cp.ranges) for (const b of [r.from, r.to]) if (b) for (const id of b.ids) known.set(id, b.value);
  const unique = [...new Set(ids)];
  const queue = unique.filter((id) => !known.has(id));
  for (const id of unique) {
    const value = known.get(id);
    if (value !== undefined) facts.knownKeys.push({ value, id });
  }
  const skipped = ids.length - queue.length;
  if (skipped > 0) count(s, 'duplicatesDropped', skipped);
  if (queue.length === 0) return acceptPage(s, [], facts);
  s.hydration = { queue, batch: [], batchSize: spec.hydrate.maxIds, collected: [], retried: [], page: facts };
  return sendHydrate(s);
}

type NextCursor = { next: Cursor | null; chainEnded: boolean };

const ENDED: NextCursor = { next: null, chainEnded: true };

/** Where the chain goes after this page, by the stream's pagination style; `chainEnded` when the API ended it. */
function nextCursorOf(s: RunningState, spec: StreamSpec, envelope: Envelope, headers: Record<string, string>, returned: number): NextCursor {
  const pagination = envelope.meta.pagination;
  switch (spec.style) {
    case 'offset':
      return { next: null, chainEnded: false };
    case 'scroll':
      return scrollCursor(pagination, returned);
    case 'after-query':
    case 'after-body': {
      const token = pagination?.[afterTokenOf(spec).field] ?? '';
      return token ? { next: { kind: 'after', token, obtainedAtServerMs: serverNow(PAGE_RUN, s) }, chainEnded: false } : ENDED;
    }
    case 'marker':
      return markerCursor(s, spec, headers, returned);
    default:
      return assertNever(spec.style, 'pagination style');
  }
}

function scrollCursor(pagination: Envelope['meta']['pagination'], returned: number): NextCursor {
  const token = typeof pagination?.offset === 'string' ? pagination.offset : '';
  if (token === '' || returned === 0) return ENDED;
  const ns = pagination?.expires_at;
  // expires_at is epoch nanoseconds (a J1 client compared it with milliseconds and never saw expiry).
  return { next: { kind: 'scroll', token, expiresAtServerMs: typeof ns === 'number' ? Math.floor(ns / 1e6) : null }, chainEnded: false };
}

function markerCursor(s: RunningState, spec: StreamSpec, headers: Record<string, string>, returned: number): NextCursor {
  const link = header(headers, 'next-page');
  const path = link ? safeNextPage(s, spec, link) : null;
  if (link && !path) note(s, 'next_page_refused', 'Next-Page points outside the API origin or the stream; using the _marker filter');
  const chainEnded = path === null || returned === 0;
  return { next: !chainEnded && path ? { kind: 'next-page', path } : null, chainEnded };
}

/**
 * Fixes the export's upper bound at the server's clock (one second later, for the Date header's
 * resolution), mapped to the watermark: records created after the export started belong to the next
 * incremental export, so an export ends even while its stream grows faster than it can be read.
 */
function boundExport(s: RunningState, spec: StreamSpec): void {
  const atMs = serverNow(PAGE_RUN, s) + 1000;
  s.cp.boundServerMs = atMs;
  const value = watermarkAtTime(spec, atMs);
  if (value === null) return;
  s.cp.ranges = capRanges(s.cp.ranges, { value, ids: [] });
  note(s, 'export_bounded', `${spec.watermarkField} up to ${value}`);
}

/** How many records a page request asked for (the overlap record aside): a page with fewer is the data's own end signal. */
function askedFor(spec: StreamSpec, chain: Chain, pending: Pending): number {
  if (spec.style === 'scroll') return chain.limit;
  if (chain.cursor?.kind === 'next-page') {
    // A Next-Page link carries the limit of the request it continues.
    const linked = /[?&]limit=(\d+)/.exec(pending.request.path)?.[1];
    if (linked !== undefined) return Number(linked);
  }
  return pending.overlapId !== null ? pending.limit - 1 : pending.limit;
}

function safeNextPage(s: RunningState, spec: StreamSpec, link: string): string | null {
  let path = link.trim();
  const origin = originOf(path);
  if (origin) {
    if (!s.input.apiOrigin || origin !== s.input.apiOrigin) return null;
    path = path.slice(origin.length);
  }
  return nextPagePathPlausible(spec, path) ? path : null;
}
