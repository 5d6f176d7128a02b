import { build } from 'esbuild';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { EngineCommand } from '../../functions/engine/EngineCommand.ts';
import type { EngineEvent } from '../../functions/engine/EngineEvent.ts';
import type { EngineState } from '../../functions/engine/EngineState.ts';
import type { EnrichCommand } from '../../functions/engine/enrich/EnrichCommand.ts';
import type { EnrichState } from '../../functions/engine/enrich/EnrichState.ts';
import { enrichStep } from '../../functions/engine/enrich/enrichStep.ts';
import { step } from '../../functions/engine/step.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { ENGINE_BUNDLE } from '../../scripts/engineBundle.ts';

type Step = (state: EngineState | null, event: EngineEvent) => { state: EngineState; command: EngineCommand };
type EnrichStep = (state: EnrichState | null, event: EngineEvent) => { state: EnrichState; command: EnrichCommand };

/** The same bundle `npm run build` writes, evaluated in a bare ECMAScript context (no Node, no Web APIs), as goja would. */
async function bundledEngine(): Promise<{ step: Step; enrichStep: EnrichStep }> {
  const result = await build({ ...ENGINE_BUNDLE, write: false });
  const code = result.outputFiles?.[0]?.text ?? '';
  return runInNewContext(`${code};PaginationGuardEngine`, Object.create(null)) as { step: Step; enrichStep: EnrichStep };
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
  let event: EngineEvent = { kind: 'start', nowMs: now, input: { stream: 'alerts', runId: 'bundle', options: { pageLimit: 50, seed: 3 } } };
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

describe('the engine bundle for embedded hosts', () => {
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
