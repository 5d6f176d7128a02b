import type { HealthEventKind } from '../../functions/engine/HealthRecord.ts';

/**
 * Event families share a colour and a marker shape, so the timeline stays readable without colour:
 * token trouble, restarts, waits, errors, stops and the run's own start and end.
 */
export type EventTone = 'lifecycle' | 'token' | 'restart' | 'wait' | 'error' | 'stop' | 'complete';

export interface EventStyle {
  label: string;
  tone: EventTone;
}

/**
 * One entry per engine event kind. Typed as a full Record so that a new kind in the engine fails the
 * UI typecheck until it has a label here; the record schema also rejects kinds not listed.
 */
export const EVENT_STYLES: Readonly<Record<HealthEventKind, EventStyle>> = {
  run_started: { label: 'run started', tone: 'lifecycle' },
  resumed: { label: 'resumed from checkpoint', tone: 'lifecycle' },
  // Drawn as a tick on the time axis, not as a marker (timelineModel splits them out).
  page: { label: 'page', tone: 'lifecycle' },
  token_missing_mid_run: { label: 'token missing mid-run', tone: 'token' },
  token_expired: { label: 'token expired', tone: 'token' },
  cursor_refused: { label: 'cursor refused', tone: 'token' },
  cursor_barren: { label: 'cursor brought nothing new', tone: 'token' },
  empty_page_mid_chain: { label: 'empty page mid-chain', tone: 'token' },
  cursor_abandoned_for_wait: { label: 'cursor abandoned for a wait', tone: 'token' },
  watermark_restart: { label: 'watermark restart', tone: 'restart' },
  depth_cap_rewindow: { label: 're-window at depth cap', tone: 'restart' },
  depth_cap_hit: { label: 'depth cap hit', tone: 'error' },
  window_shifted: { label: 'window shifted', tone: 'restart' },
  marker_fallback: { label: 'marker fallback', tone: 'restart' },
  next_page_refused: { label: 'Next-Page refused', tone: 'error' },
  rate_limited: { label: 'rate limited', tone: 'wait' },
  slow_down: { label: 'slowed down', tone: 'wait' },
  auth_refresh: { label: 'auth refresh', tone: 'lifecycle' },
  retry: { label: 'retry', tone: 'error' },
  errors_in_200: { label: 'errors inside a 200', tone: 'error' },
  non_json_body: { label: 'non-JSON body', tone: 'error' },
  hydrate_split: { label: 'hydrate batch split', tone: 'lifecycle' },
  page_truncated_to_budget: { label: 'page cut to byte budget', tone: 'stop' },
  stopped_deadline: { label: 'stopped at deadline', tone: 'stop' },
  stopped_max_pages: { label: 'stopped at max pages', tone: 'stop' },
  stopped_byte_budget: { label: 'stopped at byte budget', tone: 'stop' },
  stopped_rate_limit_wait: { label: 'stopped for a rate-limit wait', tone: 'wait' },
  ingest_retry: { label: 'LogScale ingest retried', tone: 'error' },
  export_bounded: { label: 'export bounded at its start time', tone: 'lifecycle' },
  entities_missing: { label: 'entities missing from an answer', tone: 'error' },
  total_changed: { label: 'total changed', tone: 'restart' },
  end_unproven: { label: 'end not proven; re-checking', tone: 'restart' },
  fields_absent: { label: 'projected fields absent', tone: 'error' },
  out_of_order: { label: 'record out of sort order', tone: 'error' },
  complete: { label: 'complete', tone: 'complete' },
  failed: { label: 'failed', tone: 'error' },
};

export const EVENT_TONE_LABELS: Readonly<Record<EventTone, string>> = {
  lifecycle: 'start, resume, auth',
  token: 'cursor token trouble',
  restart: 'restart or re-window',
  wait: 'rate-limit wait',
  error: 'error or retry',
  stop: 'stopped early (checkpoint)',
  complete: 'export complete',
};

export function isHealthEventKind(value: string): value is HealthEventKind {
  return Object.prototype.hasOwnProperty.call(EVENT_STYLES, value);
}
