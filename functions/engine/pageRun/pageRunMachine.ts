import { STREAMS } from '../../falcon/streams.ts';
import type { Machine } from '../core/Machine.ts';
import type { Pending, RunningState } from '../EngineState.ts';
import type { StepOutput } from '../StepOutput.ts';
import { restart } from './chainMoves.ts';
import { countSink, fail, failUnstored, stop } from './endRun.ts';
import { nextPage } from './nextPage.ts';
import { note } from './note.ts';
import { onPageAnswer } from './onPageAnswer.ts';
import { count } from './runCounters.ts';

/** The page run as the shared core drives it. */
export const PAGE_RUN: Machine<RunningState, Pending, StepOutput> = {
  // A page run fits its calls up to the deadline itself; only a not-before wait spread over runs keeps a margin.
  deadlineMarginMs: 0,
  skewMs: (s) => s.cp.skewMs,
  setSkewMs: (s, skewMs) => {
    s.cp.skewMs = skewMs;
  },
  note: (s, kind, detail) => note(s, kind, detail),
  count: (s, counter, by = 1) => count(s, counter, by),
  out: (s, command) => ({ state: s, command }),
  next: (s) => nextPage(s),
  fail: (s, error) => fail(s, error),
  stop: (s, kind, detail) => stop(s, kind, detail),
  onAnswer: (s, pending, event) => onPageAnswer(s, pending, event),
  onLost: (s, pending, event) => {
    if (pending.purpose !== 'page' || !pending.withCursor || STREAMS[s.input.stream].style !== 'scroll') return null;
    // The server may have moved the scroll on before the answer was lost: the same token would now
    // serve the page after the lost one. The scroll's pages are not assumed adjacent, so the lost one
    // stays in the ranges and a query from the watermark asks for it again.
    note(s, 'end_unproven', `a scroll page was lost in transit (${event.code}); asking for the rest from the watermark`);
    s.pending = null;
    restart(s);
    return nextPage(s);
  },
  onEmitted: (s, event) => {
    if (s.emitting) s.ackedCheckpoint = s.emitting.checkpoint;
    s.emitting = null;
    if (event.sink) countSink(s, event.sink);
    return nextPage(s);
  },
  onEmitFailed: (s, event) => {
    if (event.sink) countSink(s, event.sink);
    return failUnstored(s, event.error);
  },
};
