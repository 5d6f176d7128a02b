import type { SandboxResponse } from '../exchange.ts';
import { MESSAGES } from '../messages.ts';
import { envelopeReply, errorReply } from '../replies.ts';
import type { EndpointContext } from './EndpointContext.ts';
import { ordered, parseFilter, parseLimit, parseOffset, parseSort, type SortDirection } from './listParams.ts';

/**
 * Style D (intel indicators): offset paging capped below 50,000, plus a `Next-Page` header whose filter
 * continues after the last `_marker` (gofalcon `client/intel/pagination.go` follows it verbatim).
 */
export function markerEndpoint(ctx: EndpointContext): SandboxResponse {
  const { spec, knobs, url, reply } = ctx;
  const q = url.searchParams;
  const bad = (message: string): SandboxResponse => errorReply(reply, 400, spec.poweredBy, message, { resources: [] });
  const limit = parseLimit(q.get('limit'), spec);
  if (!limit.ok) return bad(limit.message);
  const offset = parseOffset(q.get('offset'));
  if (!offset.ok) return bad(offset.message);
  const sort = parseSort(q.get('sort'), spec);
  if (!sort.ok) return bad(sort.message);
  const filter = parseFilter(q.get('filter'));
  if (!filter.ok) return bad(filter.message);

  const cap = knobs.depthCaps[spec.name] ?? spec.depthCap;
  if (cap !== null && offset.value + limit.value > cap) return bad(MESSAGES.offsetCapIntel(cap + 1));

  const matches = ordered(ctx.dataset.matching(filter.value), sort.value);
  const total = matches.length;
  const remaining = Math.max(0, total - offset.value);
  let page = matches.slice(offset.value, offset.value + limit.value);
  let sparse = false;

  // Intel keeps no server-side cursor, so the one sparse page is per stream, on a continuation request.
  const continuation = offset.value > 0 || filter.value.text.includes(spec.watermarkField);
  if (knobs.sparseFinalPage && !ctx.state.sparseFired.has(spec.name) && continuation && remaining >= 2 && remaining <= 1.5 * limit.value) {
    ctx.state.sparseFired.add(spec.name);
    page = page.slice(0, Math.ceil(remaining / 2));
    sparse = true;
  }

  const headers: Record<string, string> = {};
  const last = page.at(-1);
  if (knobs.nextPageHeader && !sparse && last !== undefined && offset.value + page.length < total) {
    headers['Next-Page'] = nextPageUrl(url.pathname, filter.value.text, last.key, limit.value, sort.value, spec.watermarkField, spec.sortSeparator);
  }
  return envelopeReply(
    reply,
    200,
    { poweredBy: spec.poweredBy, pagination: { offset: offset.value, limit: limit.value, total }, resources: page.map((r) => r.body) },
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
