/** A bounded timeline and how many events it had to drop. */
export interface Timeline<E> {
  timeline: E[];
  timelineDropped: number;
}

/** Keep the first events and the most recent ones: the start explains the run, the end explains its verdict. */
export function appendTimeline<E>(log: Timeline<E>, event: E, limit: number): Timeline<E> {
  if (log.timeline.length < limit) return { timeline: [...log.timeline, event], timelineDropped: log.timelineDropped };
  const head = log.timeline.slice(0, limit / 2);
  const tail = log.timeline.slice(limit / 2 + 1);
  return { timeline: [...head, ...tail, event], timelineDropped: log.timelineDropped + 1 };
}
