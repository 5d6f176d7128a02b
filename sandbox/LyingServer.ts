import { afterTokenOf, type StreamSpec } from '../functions/falcon/streams.ts';
import type { SandboxResponse } from './exchange.ts';
import type { FaultKnobs } from './profiles.ts';
import type { Random } from './random.ts';

/**
 * The lies a server can tell while answering 200, applied to a stream endpoint's honest answer: an
 * entities answer that withholds ids, a `total` that shrinks, halves or is capped, a cursor that
 * vanishes with a total that agrees, a scroll page lost in transit after the scroll moved on, and a
 * cursor page emptied while its cursor goes on past its records. Every
 * decision is seeded; `mayLie` keeps one request from being lied to forever.
 */
export function lie(
  answer: SandboxResponse,
  request: { kind: 'list' | 'hydrate'; spec: StreamSpec; continuation: boolean },
  knobs: FaultKnobs,
  random: Random,
  mayLie: boolean,
): SandboxResponse {
  if (answer.kind !== 'http' || answer.status !== 200 || !mayLie) return answer;
  const body = parse(answer.body);
  if (body === null) return answer;
  const pagination = (body['meta'] as { pagination?: Record<string, unknown> } | undefined)?.pagination;
  const resources = Array.isArray(body['resources']) ? (body['resources'] as unknown[]) : null;

  if (request.kind === 'hydrate') {
    if (knobs.entitiesWithholdRate <= 0 || resources === null || resources.length === 0 || !random.chance(knobs.entitiesWithholdRate)) return answer;
    const mode = random.pick(['partial', 'empty', 'null'] as const);
    body['resources'] = mode === 'null' ? null : mode === 'empty' ? [] : resources.slice(Math.ceil(resources.length / 2));
    return { ...answer, body: JSON.stringify(body) };
  }

  if (knobs.scrollLossRate > 0 && request.spec.style === 'scroll' && request.continuation && random.chance(knobs.scrollLossRate)) {
    // The scroll already moved on when the connection broke: that page is gone for this token.
    return { kind: 'network-error', code: 'reset', latencyMs: answer.latencyMs };
  }
  let changed = false;
  const headers = { ...answer.headers };
  const cursorStyle = request.spec.style === 'after-body' || request.spec.style === 'after-query' || request.spec.style === 'marker';
  const tokenField = afterTokenOf(request.spec).field;
  const hasCursor = request.spec.style === 'marker' ? Object.keys(headers).some((h) => h.toLowerCase() === 'next-page') : typeof pagination?.[tokenField] === 'string' && pagination[tokenField] !== '';
  const emptiable = request.continuation && (cursorStyle || request.spec.style === 'scroll') && resources !== null && resources.length > 0;
  if (knobs.emptiedPageRate > 0 && emptiable && random.chance(knobs.emptiedPageRate)) {
    body['resources'] = [];
    return { ...answer, body: JSON.stringify(body) };
  }
  if (knobs.vanishingCursorRate > 0 && cursorStyle && hasCursor && resources !== null && pagination && random.chance(knobs.vanishingCursorRate)) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'next-page') delete headers[name];
    delete pagination[tokenField];
    pagination['total'] = resources.length;
    changed = true;
  } else if (knobs.totalLie !== null && request.continuation && pagination && typeof pagination['total'] === 'number') {
    const total = pagination['total'];
    pagination['total'] = knobs.totalLie === 'halve' ? Math.floor(total / 2) : knobs.totalLie === 'cap' ? Math.min(total, knobs.totalCap) : Math.max(0, total - random.int(Math.max(1, total)));
    changed = true;
  }
  return changed ? { ...answer, headers, body: JSON.stringify(body) } : answer;
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
