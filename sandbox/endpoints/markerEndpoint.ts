import type { SandboxResponse } from '../exchange.ts';
import { MESSAGES } from '../messages.ts';
import { envelopeReply, errorReply } from '../replies.ts';
import type { EndpointContext } from './EndpointContext.ts';
import { ordered, parseOffsetQuery } from './listParams.ts';
import type { SortDirection } from './SortOrder.ts';

/**
 * Style D (intel indicators): offset paging capped below 50,000, plus a `Next-Page` header whose filter
 * continues after the last `_marker` (gofalcon `client/intel/pagination.go` follows it verbatim).
 */
export function markerEndpoint(ctx: EndpointContext): SandboxResponse {
  const { spec, knobs, url, reply } = ctx;
  const q = url.searchParams;
  const bad = (message: string): SandboxResponse => errorReply(reply, 400, spec.poweredBy, message, { resources: [] });
  const parsed = parseOffsetQuery(q, spec);
  if (!parsed.ok) return bad(parsed.message);
  const { limit, offset, sort, filter, q: text } = parsed.value;

  const cap = knobs.depthCaps[spec.name] ?? spec.depthCap;
  if (cap !== null && offset + limit > cap) return bad(MESSAGES.offsetCapIntel(cap + 1));

  const matches = ordered(ctx.dataset.matching(filter), sort, spec, text);
  const total = matches.length;
  const remaining = Math.max(0, total - offset);
  let page = matches.slice(offset, offset + limit);
  let sparse = false;

  // Intel keeps no server-side cursor, so the one sparse page is per stream, on a continuation request:
  // a page past offset 0, or a Next-Page link (its `_marker:>'…'` is strict; a client's own query from
  // its watermark says `>=` and is a fresh query, like the first page of any other chain).
  const continuation = offset > 0 || filter.text.includes(`${spec.watermarkField}:>'`);
  if (knobs.sparseFinalPage && !ctx.state.sparseFired.has(spec.name) && continuation && remaining >= 2 && remaining <= 1.5 * limit) {
    ctx.state.sparseFired.add(spec.name);
    page = page.slice(0, Math.ceil(remaining / 2));
    sparse = true;
  }

  const headers: Record<string, string> = {};
  const last = page.at(-1);
  // The header exists "only when the results are sorted by _marker"; a `q` it would not carry keeps it off too.
  const byMarker = sort.field === spec.watermarkField && text === '';
  if (knobs.nextPageHeader && byMarker && !sparse && last !== undefined && offset + page.length < total) {
    headers['Next-Page'] = nextPageUrl(url.pathname, filter.text, last.key, limit, sort.direction, spec.watermarkField, spec.sortSeparator);
  }
  return envelopeReply(
    reply,
    200,
    { poweredBy: spec.poweredBy, pagination: { offset: offset, limit: limit, total }, resources: page.map((r) => r.body) },
    headers,
  );
}

/** The `(<filter>)+_marker:>'<last>'` clause we append; stripped before appending a newer one. */
const MARKER_SUFFIX = /^\((.*)\)\+_marker:[<>]'(?:[^'\\]|\\.)*'$/s;

function nextPageUrl(
  path: string,
  filter: string,
  lastMarker: string,
  limit: number,
  direction: SortDirection,
  markerField: string,
  separator: string,
): string {
  const base = MARKER_SUFFIX.exec(filter)?.[1] ?? filter;
  const clause = `${markerField}:${direction === 'asc' ? '>' : '<'}'${lastMarker.replace(/[\\']/g, '\\$&')}'`;
  const nextFilter = base === '' ? clause : `(${base})+${clause}`;
  const params = new URLSearchParams({ filter: nextFilter, limit: String(limit), sort: `${markerField}${separator}${direction}` });
  return `${path}?${params.toString()}`;
}
