import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { EngineCommand } from '../../functions/engine/EngineCommand.ts';
import type { EngineEvent } from '../../functions/engine/EngineEvent.ts';
import type { EngineState } from '../../functions/engine/EngineState.ts';
import type { EnrichCommand } from '../../functions/engine/enrich/EnrichCommand.ts';
import type { EnrichState } from '../../functions/engine/enrich/EnrichState.ts';
import { enrichStep } from '../../functions/engine/enrich/enrichStep.ts';
import { step } from '../../functions/engine/step.ts';
import { startFunction, type FunctionStep } from '../../functions/handlers/functionMachine.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { ENGINE_BUNDLE, FUNCTION_BUNDLE_PATH } from '../../scripts/engineBundle.ts';

type Step = (state: EngineState | null, event: EngineEvent) => { state: EngineState; command: EngineCommand };
type EnrichStep = (state: EnrichState | null, event: EngineEvent) => { state: EnrichState; command: EnrichCommand };
interface Bundle {
  step: Step;
  enrichStep: EnrichStep;
  startFunctionJson(invocation: string): string;
  resumeFunctionJson(id: number, event: string, body: string | null): string;
}

const ROOT = join(import.meta.dirname, '..', '..');

async function bundleText(): Promise<string> {
  const result = await build({ ...ENGINE_BUNDLE, write: false });
  return result.outputFiles?.[0]?.text ?? '';
}

/** The same bundle `npm run build` writes, evaluated in a bare ECMAScript context (no Node, no Web APIs: no URL, no TextEncoder), as QuickJS would. */
async function bundledEngine(): Promise<Bundle> {
  return runInNewContext(`${await bundleText()};PaginationGuard`, Object.create(null)) as Bundle;
}

async function bundledStep(): Promise<Step> {
  return (await bundledEngine()).step;
}

/** Drives the IOC device lookup on the in-process sandbox (chaos) and records every command as JSON. */
function driveEnrich(stepFn: EnrichStep): string[] {
  let now = Date.UTC(2026, 10, 1, 12);
  const sandbox = new FalconSandbox({ seed: 4, profile: 'chaos', sizes: { hosts: 2000 }, clock: { nowMs: () => now } });
  const tokenAnswer = (): string | null => {
    const answer = sandbox.handle({
      method: 'POST',
      url: 'http://sandbox.test/oauth2/token',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `client_id=${sandbox.credentials.clientId}&client_secret=${sandbox.credentials.clientSecret}`,
    });
    return answer.kind === 'http' && answer.status === 201 ? (JSON.parse(answer.body) as { access_token: string }).access_token : null;
  };
  const issueToken = (): string => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const token = tokenAnswer();
      if (token !== null) return token;
    }
    throw new Error('the sandbox issued no token in 10 attempts');
  };
  let token = issueToken();
  const indicators = Array.from({ length: 12 }, (_, n) => ({ type: 'md5', value: n.toString(16).padStart(32, '0') }));
  const commands: string[] = [];
  let state: EnrichState | null = null;
  let event: EngineEvent = { kind: 'start', nowMs: now, input: { runId: 'bundle', indicators, options: { seed: 3 } } };
  for (let i = 0; i < 500; i++) {
    const out = stepFn(state, event);
    state = out.state;
    commands.push(JSON.stringify(out.command));
    const command = out.command;
    if (command.kind === 'done') break;
    if (command.kind === 'http') {
      const answer = sandbox.handle({ method: command.request.method, url: `http://sandbox.test${command.request.path}`, headers: { ...command.request.headers, Authorization: `Bearer ${token}` } });
      now += answer.latencyMs;
      event =
        answer.kind === 'http'
          ? { kind: 'http-response', nowMs: now, status: answer.status, headers: answer.headers, body: answer.body }
          : { kind: 'http-error', nowMs: now, code: 'reset', message: 'reset' };
    } else if (command.kind === 'sleep') {
      now += command.ms;
      event = { kind: 'slept', nowMs: now };
    } else {
      token = issueToken();
      event = { kind: 'authenticated', nowMs: now, ok: true };
    }
  }
  return commands;
}

/** Drives a whole export on the in-process sandbox and records every command as JSON. */
function drive(stepFn: Step): string[] {
  let now = Date.UTC(2026, 10, 1, 12);
  const sandbox = new FalconSandbox({ seed: 4, profile: 'chaos', sizes: { alerts: 700 }, clock: { nowMs: () => now } });
  const issueToken = (): string => {
    // chaos answers the first token request with a 308 and may reset any request: ask until a 201.
    for (let attempt = 0; attempt < 10; attempt++) {
      const answer = sandbox.handle({
        method: 'POST',
        url: 'http://sandbox.test/oauth2/token',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `client_id=${sandbox.credentials.clientId}&client_secret=${sandbox.credentials.clientSecret}`,
      });
      if (answer.kind === 'http' && answer.status === 201) return (JSON.parse(answer.body) as { access_token: string }).access_token;
    }
    throw new Error('the sandbox issued no token in 10 attempts');
  };
  let token = issueToken();
  const commands: string[] = [];
  let state: EngineState | null = null;
  let event: EngineEvent = { kind: 'start', nowMs: now, input: { stream: 'alerts', runId: 'bundle', checkpointKeys: { current: 'bundle-test-key-0123456789abcdef0123456789' }, options: { pageLimit: 50, seed: 3 } } };
  for (let i = 0; i < 500; i++) {
    const out = stepFn(state, event);
    state = out.state;
    commands.push(JSON.stringify(out.command));
    const command = out.command;
    if (command.kind === 'done') break;
    if (command.kind === 'http') {
      const answer = sandbox.handle({
        method: command.request.method,
        url: `http://sandbox.test${command.request.path}`,
        headers: { ...command.request.headers, Authorization: `Bearer ${token}` },
        ...(command.request.body !== null ? { body: command.request.body } : {}),
      });
      now += answer.latencyMs;
      event =
        answer.kind === 'http'
          ? { kind: 'http-response', nowMs: now, status: answer.status, headers: answer.headers, body: answer.body }
          : { kind: 'http-error', nowMs: now, code: 'reset', message: 'reset' };
    } else if (command.kind === 'sleep') {
      now += command.ms;
      event = { kind: 'slept', nowMs: now };
    } else if (command.kind === 'emit') {
      event = { kind: 'emitted', nowMs: now };
    } else {
      token = issueToken();
      event = { kind: 'authenticated', nowMs: now, ok: true };
    }
  }
  return commands;
}

/** A token from the sandbox's own token endpoint (chaos may answer 308 or reset first: ask until a 201). */
function sandboxToken(sandbox: FalconSandbox): string {
  for (let attempt = 0; attempt < 10; attempt++) {
    const answer = sandbox.handle({
      method: 'POST',
      url: 'http://sandbox.test/oauth2/token',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `client_id=${sandbox.credentials.clientId}&client_secret=${sandbox.credentials.clientSecret}`,
    });
    if (answer.kind === 'http' && answer.status === 201) return (JSON.parse(answer.body) as { access_token: string }).access_token;
  }
  throw new Error('the sandbox issued no token in 10 attempts');
}

/** A /page-run invocation through a function machine (the bundle's JSON surface or the TypeScript one), every step recorded as JSON. */
function driveFunction(start: (invocation: unknown) => { id: number; step: FunctionStep }, resume: (id: number, event: EngineEvent) => FunctionStep): string[] {
  let now = Date.UTC(2026, 10, 1, 12);
  const sandbox = new FalconSandbox({ seed: 6, profile: 'chaos', sizes: { alerts: 900 }, clock: { nowMs: () => now } });
  const token = sandboxToken(sandbox);
  const envelope = { method: 'POST', url: '/page-run', body: { stream: 'alerts', max_pages: 8, fields: ['severity'], max_response_bytes: 20_000 }, params: { header: { 'X-Cs-Executionid': ['exec-b'] } } };
  const started = start({ nowMs: now, envelope, host: { apiBaseUrl: 'http://sandbox.test', appId: 'app-b', entropy: 'e'.repeat(64) } });
  const steps: string[] = [JSON.stringify(started.step)];
  let next = started.step;
  for (let i = 0; i < 500 && next.kind === 'io'; i++) {
    const command = next.command;
    let event: EngineEvent;
    if (command.kind === 'http') {
      const answer = sandbox.handle({ method: command.request.method, url: `http://sandbox.test${command.request.path}`, headers: { ...command.request.headers, Authorization: `Bearer ${token}` }, ...(command.request.body !== null ? { body: command.request.body } : {}) });
      now += answer.latencyMs;
      event = answer.kind === 'http' ? { kind: 'http-response', nowMs: now, status: answer.status, headers: answer.headers, body: answer.body } : { kind: 'http-error', nowMs: now, code: 'reset', message: 'reset' };
    } else if (command.kind === 'sleep') {
      now += command.ms;
      event = { kind: 'slept', nowMs: now };
    } else {
      event = { kind: 'authenticated', nowMs: now, ok: false, retryable: false, message: 'no refresh in a function' };
    }
    next = resume(started.id, event);
    steps.push(JSON.stringify(next));
  }
  return steps;
}

describe('the engine bundle for embedded hosts', () => {
  it('is what npm run build writes, committed beside the Python host', async () => {
    // A stale bundle would deploy yesterday's engine: rebuild with `npm run build` and commit it.
    expect(readFileSync(join(ROOT, FUNCTION_BUNDLE_PATH), 'utf8')).toBe(await bundleText());
  });

  it('runs a whole /page-run invocation, apiBaseUrl included, exactly as the TypeScript function machine does', async () => {
    const bundle = await bundledEngine();
    const viaBundle = driveFunction(
      (invocation) => {
        const answer = JSON.parse(bundle.startFunctionJson(JSON.stringify(invocation))) as { id: number; step: FunctionStep };
        return answer;
      },
      (id, event) => {
        const { body, ...rest } = event as EngineEvent & { body?: string };
        return (JSON.parse(bundle.resumeFunctionJson(id, JSON.stringify(rest), body ?? null)) as { step: FunctionStep }).step;
      },
    );
    const machines = new Map<number, ReturnType<typeof startFunction>>();
    const viaTypeScript = driveFunction(
      (invocation) => {
        const machine = startFunction(invocation);
        machines.set(1, machine);
        return { id: 1, step: machine.first };
      },
      (id, event) => (machines.get(id) as ReturnType<typeof startFunction>).resume(event),
    );
    expect(viaBundle.length).toBeGreaterThanOrEqual(4);
    const last = JSON.parse(viaBundle[viaBundle.length - 1] as string) as FunctionStep;
    expect(last).toMatchObject({ kind: 'respond', response: { code: 200, body: { has_more: 'true' } } });
    // The run record went to the collection: the machine asked for custom storage with the app id.
    expect(viaBundle.some((s) => s.includes('/customobjects/v1/collections/pagination_runs/objects/') && s.includes('"X-CS-APP-ID":"app-b"'))).toBe(true);
    expect(viaBundle).toEqual(viaTypeScript);
  });

  it('runs without Node or Web APIs and decides exactly what the TypeScript engine decides', async () => {
    const bundled = drive(await bundledStep());
    const direct = drive(step);
    expect(bundled.length).toBeGreaterThan(20);
    expect(JSON.parse(bundled[bundled.length - 1] as string)).toMatchObject({ kind: 'done', result: { verdict: 'complete' } });
    expect(bundled).toEqual(direct);
  });

  it('runs the IOC device lookup too, deciding exactly what the TypeScript engine decides', async () => {
    const bundled = driveEnrich((await bundledEngine()).enrichStep);
    const direct = driveEnrich(enrichStep);
    expect(bundled.length).toBeGreaterThan(20);
    expect(JSON.parse(bundled[bundled.length - 1] as string)).toMatchObject({ kind: 'done', result: { verdict: 'complete' } });
    expect(bundled).toEqual(direct);
  });
});
