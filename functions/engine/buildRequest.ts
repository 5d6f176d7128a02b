import { assertNever } from './assertNever.ts';
import { afterTokenOf, ascendingSort, type StreamSpec } from '../falcon/streams.ts';
import type { Chain } from './Checkpoint.ts';
import type { HttpRequestSpec } from './EngineCommand.ts';
import { andFilters, fqlLiteral, rangesFilter } from './fql.ts';
import type { KeyRange } from './KeyRange.ts';

// encodeURIComponent rather than URLSearchParams: the embedded engine (QuickJS) has no URL classes.
function query(params: Array<[string, string | number | undefined]>): string {
  const parts: string[] = [];
  for (const [key, value] of params) {
    if (value === undefined || value === '') continue;
    parts.push(`${key}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

const JSON_HEADERS = { Accept: 'application/json' };

/** The filter a new chain runs with: the user's filter ANDed with the ranges still to export. */
export function chainFilter(spec: StreamSpec, userFilter: string, ranges: readonly KeyRange[]): string {
  const filter = andFilters(userFilter, rangesFilter(spec.watermarkField, spec.watermarkKind, ranges));
  // Spotlight refuses a request without a filter; a floor on the watermark matches everything.
  if (!filter && spec.filterRequired) {
    return `${spec.watermarkField}:>=${fqlLiteral(spec.watermarkKind, spec.watermarkKind === 'epoch' ? 0 : '1970-01-01T00:00:00.000Z')}`;
  }
  return filter;
}

/** `offset` is what an offset window asks for (the engine computes it; it never trusts the response's). */
export function pageRequest(spec: StreamSpec, chain: Chain, limit: number, offset = 0): HttpRequestSpec {
  const sort = ascendingSort(spec);
  const cursor = chain.cursor;
  switch (spec.style) {
    case 'offset': {
      return get(spec.path + query([['filter', chain.filter], ['limit', limit], ['offset', offset], ['sort', sort]]));
    }
    case 'scroll': {
      const token = cursor?.kind === 'scroll' ? cursor.token : undefined;
      return get(spec.path + query([['filter', chain.filter], ['limit', chain.limit], ['sort', sort], ['offset', token]]));
    }
    case 'after-query': {
      const after = cursor?.kind === 'after' ? cursor.token : undefined;
      return get(spec.path + query([['filter', chain.filter], ['limit', limit], ['sort', sort], [afterTokenOf(spec).param, after]]));
    }
    case 'after-body':
      return afterBodyRequest(spec, chain, limit, sort);
    case 'marker': {
      if (cursor?.kind === 'next-page') return get(cursor.path);
      return get(spec.path + query([['filter', chain.filter], ['limit', limit], ['sort', sort]]));
    }
    default:
      return assertNever(spec.style, 'pagination style');
  }
}

function afterBodyRequest(spec: StreamSpec, chain: Chain, limit: number, sort: string): HttpRequestSpec {
  const body: Record<string, string | number> = { limit, sort };
  if (chain.filter) body.filter = chain.filter;
  if (chain.cursor?.kind === 'after') body.after = chain.cursor.token;
  return {
    method: 'POST',
    path: spec.path,
    headers: { ...JSON_HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}

export function hydrateRequest(spec: StreamSpec, ids: readonly string[]): HttpRequestSpec {
  if (!spec.hydrate) throw new TypeError(`stream ${spec.name} does not hydrate`);
  return {
    method: spec.hydrate.method,
    path: spec.hydrate.path,
    headers: { ...JSON_HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify({ [spec.hydrate.idsKey]: ids }),
  };
}

function get(path: string): HttpRequestSpec {
  return { method: 'GET', path, headers: { ...JSON_HEADERS }, body: null };
}
