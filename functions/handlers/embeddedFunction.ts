import { z } from 'zod';
import type { EngineEvent } from '../engine/EngineEvent.ts';
import { startFunction, type FunctionMachine, type FunctionStep } from './functionMachine.ts';
import { badRequest } from './FunctionResponse.ts';

// The bundle's surface for hosts that embed a JavaScript engine (QuickJS in the Python Foundry function):
// strings in, strings out. A response body crosses as its own argument, so it is not escaped into JSON
// and parsed twice. The engines are exported for the bundle test, which compares their decisions.
export { step } from '../engine/step.ts';
export { enrichStep } from '../engine/enrich/enrichStep.ts';

/** What every call answers: the invocation, the API origin its requests go to, and the next step. */
interface Answer {
  id: number;
  apiBaseUrl: string;
  step: FunctionStep;
}

const running = new Map<number, FunctionMachine>();
let lastId = 0;

/** Starts an invocation from its JSON (`FunctionInvocation`); the answer's step is an I/O command or the response. */
export function startFunctionJson(invocationJson: string): string {
  let invocation: unknown;
  try {
    invocation = JSON.parse(invocationJson);
  } catch {
    invocation = null;
  }
  const machine = startFunction(invocation);
  const id = ++lastId;
  if (machine.first.kind === 'io') running.set(id, machine);
  return answer({ id, apiBaseUrl: machine.apiBaseUrl, step: machine.first });
}

const eventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http-response'), nowMs: z.number().finite(), status: z.number().int().min(100).max(599), headers: z.record(z.string()) }).strict(),
  z.object({ kind: z.literal('http-error'), nowMs: z.number().finite(), code: z.enum(['reset', 'timeout', 'network']), message: z.string() }).strict(),
  z.object({ kind: z.literal('slept'), nowMs: z.number().finite() }).strict(),
  z.object({ kind: z.literal('authenticated'), nowMs: z.number().finite(), ok: z.boolean(), retryable: z.boolean().optional(), message: z.string().optional() }).strict(),
]);

/** Resumes invocation `id` with the outcome of its last command; an HTTP response's body comes as `body`. */
export function resumeFunctionJson(id: number, eventJson: string, body: string | null): string {
  const machine = running.get(id);
  if (machine === undefined) return answer({ id, apiBaseUrl: '', step: hostError('INVOCATION_UNKNOWN', `No invocation ${id} is running`) });
  let raw: unknown;
  try {
    raw = JSON.parse(eventJson);
  } catch {
    raw = null;
  }
  const parsed = eventSchema.safeParse(raw);
  let step: FunctionStep;
  if (!parsed.success) {
    step = hostError('EVENT_INVALID', `The host reported an invalid event: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  } else {
    const event: EngineEvent = parsed.data.kind === 'http-response' ? { ...parsed.data, body: body ?? '' } : parsed.data;
    step = machine.resume(event);
  }
  if (step.kind === 'respond') running.delete(id);
  return answer({ id, apiBaseUrl: machine.apiBaseUrl, step });
}

/** Drops an invocation its host gave up on (a host-side failure), so a warm function does not keep it. */
export function abandonFunction(id: number): void {
  running.delete(id);
}

function hostError(code: string, message: string): FunctionStep {
  return { kind: 'respond', response: badRequest(code, 'host', message, 500) };
}

function answer(value: Answer): string {
  return JSON.stringify(value);
}
