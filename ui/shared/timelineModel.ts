import type { HealthEventKind, HealthRecord } from '../../functions/engine/HealthRecord.ts';
import type { Formatter } from './createFormatter.ts';
import { EVENT_STYLES, type EventTone } from './eventStyles.ts';

export interface TimelineMarker {
  kind: HealthEventKind;
  label: string;
  tone: EventTone;
  detail: string;
  /** Milliseconds since the run started. */
  offsetMs: number;
  offsetText: string;
  /** Horizontal position from 0 (run start) to 1 (run end). */
  position: number;
  /** Row of the marker: events closer than MIN_GAP stack instead of hiding each other. */
  lane: number;
}

/** When a page was read: a tick on the time axis. */
export interface PageTick {
  offsetText: string;
  position: number;
  detail: string;
}

export interface TimelineModel {
  durationMs: number;
  durationText: string;
  /** Pages read in the run (the counter; the ticks may be fewer when the timeline dropped some). */
  pages: number;
  pageTicks: PageTick[];
  markers: TimelineMarker[];
  lanes: number;
  /** Events the engine dropped from the middle of a long timeline. */
  dropped: number;
  /** One sentence for assistive technology. */
  summary: string;
}

/** Markers nearer than this share of the axis go to the next lane. */
const MIN_GAP = 0.04;
const MAX_LANES = 4;

export function timelineModel(health: HealthRecord, format: Formatter): TimelineModel {
  const start = health.startedAtMs;
  const lastEvent = health.timeline.reduce((max, e) => Math.max(max, e.atMs), start);
  const end = Math.max(health.endedAtMs ?? lastEvent, lastEvent);
  const durationMs = Math.max(0, end - start);
  const laneEnds: number[] = [];
  const positionOf = (atMs: number) => (durationMs === 0 ? 0 : Math.min(1, Math.max(0, atMs - start) / durationMs));
  const pageTicks = health.timeline
    .filter((event) => event.kind === 'page')
    .map((event): PageTick => ({ offsetText: `+${format.duration(Math.max(0, event.atMs - start))}`, position: positionOf(event.atMs), detail: event.detail }));
  const markers = health.timeline
    .filter((event) => event.kind !== 'page')
    .map((event, order) => ({ event, order }))
    // A stable sort by time keeps the engine's order for events of the same millisecond.
    .sort((a, b) => a.event.atMs - b.event.atMs || a.order - b.order)
    .map(({ event }): TimelineMarker => {
      const offsetMs = Math.max(0, event.atMs - start);
      const position = positionOf(event.atMs);
      let lane = laneEnds.findIndex((lastPosition) => position - lastPosition >= MIN_GAP);
      if (lane === -1) lane = laneEnds.length < MAX_LANES ? laneEnds.length : MAX_LANES - 1;
      laneEnds[lane] = position;
      const style = EVENT_STYLES[event.kind];
      return {
        kind: event.kind,
        label: style.label,
        tone: style.tone,
        detail: event.detail,
        offsetMs,
        offsetText: `+${format.duration(offsetMs)}`,
        position,
        lane,
      };
    });
  const durationText = format.duration(durationMs);
  const pagesText = `${format.count(health.pages)} page${health.pages === 1 ? '' : 's'}`;
  const eventsText = markers.map((m) => `${m.label} at ${m.offsetText}`).join(', ');
  const droppedText = health.timelineDropped > 0 ? ` (${format.count(health.timelineDropped)} more events not kept)` : '';
  return {
    durationMs,
    durationText,
    pages: health.pages,
    pageTicks,
    markers,
    lanes: Math.max(1, laneEnds.length),
    dropped: health.timelineDropped,
    summary: `Run of ${durationText}, ${pagesText}, ${markers.length} event${markers.length === 1 ? '' : 's'}${eventsText ? `: ${eventsText}` : ''}${droppedText}.`,
  };
}
