import type { Envelope } from '../../falcon/envelope.ts';
import { STREAMS } from '../../falcon/streams.ts';
import { hydrateRequest } from '../buildRequest.ts';
import { fits } from '../core/fits.ts';
import { protocolMisuse } from '../core/machineErrors.ts';
import { send } from '../core/send.ts';
import type { RunningState } from '../EngineState.ts';
import type { StepOutput } from '../StepOutput.ts';
import { acceptPage } from './acceptPage.ts';
import { restart } from './chainMoves.ts';
import { fail, stop } from './endRun.ts';
import { nextPage } from './nextPage.ts';
import { note } from './note.ts';
import { PAGE_RUN } from './pageRunMachine.ts';

type Item = Record<string, unknown>;

/** Asks for the entities of the next batch of listed ids. */
export function sendHydrate(s: RunningState): StepOutput {
  const spec = STREAMS[s.input.stream];
  const h = s.hydration;
  if (!h) return fail(s, protocolMisuse('hydrate', 'no hydration', 'engine'));
  if (!fits(PAGE_RUN, s, s.run.latencyEstimateMs)) return stop(s, 'stopped_deadline', 'the entities call would not finish before the deadline');
  const batch = h.queue.slice(0, h.batchSize);
  s.hydration = { ...h, batch, queue: h.queue.slice(batch.length) };
  const command = send(s, {
    purpose: 'hydrate',
    request: hydrateRequest(spec, batch),
    attempt: 0,
    authRefreshed: false,
    sentAtMs: s.run.nowMs,
    offset: 0,
    limit: batch.length,
    withCursor: false,
    overlapId: null,
  });
  return { state: s, command };
}

/** A 413 for a batch of ids: the gateway's limit is below the API's; ask for halves. */
export function splitHydrate(s: RunningState): StepOutput {
  const h = s.hydration;
  if (!h) return fail(s, protocolMisuse('hydrate', 'no hydration', 'engine'));
  const half = Math.ceil(h.batch.length / 2);
  s.hydration = { ...h, queue: [...h.batch, ...h.queue], batch: [], batchSize: half };
  note(s, 'hydrate_split', `413 for ${h.batch.length} ids; batches of ${half}`);
  return sendHydrate(s);
}

export function onHydrated(s: RunningState, envelope: Envelope): StepOutput {
  const h = s.hydration;
  if (!h) return fail(s, protocolMisuse('http-response', 'entities without a hydration', 'engine'));
  const spec = STREAMS[s.input.stream];
  const asked = new Set(h.batch);
  const items = (envelope.resources ?? []).filter((r): r is Item => typeof r === 'object' && r !== null && asked.has(String(r[spec.idField])));
  // Complete means every listed record was received: an id the answer leaves out without a 404 naming it
  // (a record deleted meanwhile) was withheld, not deleted, and is asked for again.
  const received = new Set(items.map((item) => String(item[spec.idField])));
  const deleted = new Set((envelope.errors ?? []).filter((e) => e.code === 404 && e.id !== undefined).map((e) => e.id as string));
  const missing = h.batch.filter((id) => !received.has(id) && !deleted.has(id));
  if (missing.length > 0) {
    const again = missing.filter((id) => h.retried.includes(id));
    note(s, 'entities_missing', `${missing.length} of ${h.batch.length} ids left out of the entities answer${again.length > 0 ? `, ${again.length} of them again` : ''}`);
    if (again.length === 0) {
      s.hydration = { ...h, queue: [...missing, ...h.queue], batch: [], collected: [...h.collected, ...items], retried: [...h.retried, ...missing] };
      return sendHydrate(s);
    }
    // Deleted meanwhile, or withheld: a new query from the watermark tells them apart (a deleted record is
    // not listed again). The page is not exported, so its ids stay pending and nothing is lost or repeated;
    // an API that keeps withholding them ends in NO_PROGRESS, never in complete.
    s.hydration = null;
    s.pending = null;
    restart(s);
    return nextPage(s);
  }
  s.hydration = { ...h, batch: [], collected: [...h.collected, ...items] };
  if (s.hydration.queue.length > 0) return sendHydrate(s);
  s.hydration = null;
  return acceptPage(s, [...h.collected, ...items], h.page);
}
