import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../functions/engine/EngineEvent.ts';
import type { EngineState } from '../../../functions/engine/EngineState.ts';
import { CHAIN_STATE_TRANSITIONS, chainStateOf, type ChainState } from '../../../functions/engine/pageRun/ChainState.ts';
import { step } from '../../../functions/engine/step.ts';
import { DEFAULT_STREAM_NAMES, type StreamName } from '../../../functions/falcon/streams.ts';
import { performIo } from '../../../functions/host/performIo.ts';
import { inProcessSandbox } from '../../../sandbox/inProcessSandbox.ts';
import { PROFILE_NAMES, type ProfileName } from '../../../sandbox/profileNames.ts';

interface Walk {
  states: ChainState[];
  verdict: string;
}

/** One page run to its end, straight through `step`, naming the chain state after every step. */
async function walk(stream: StreamName, profile: ProfileName): Promise<Walk> {
  const { clock, clientClock, transport, auth } = inProcessSandbox({
    seed: 3,
    profile,
    sizes: { alerts: 700, hosts: 500, iocs: 600, intel: 600, vulnerabilities: 700 },
  });
  const host = { transport, clock: clientClock, sleep: clock.sleep, auth };
  const input = {
    stream,
    runId: 'chain-states',
    sessionId: 'chain-states',
    apiBaseUrl: auth.baseUrl,
    checkpointKeys: { current: randomBytes(32).toString('hex') },
    options: { seed: 11, pageLimit: 100 },
  };
  let state: EngineState | null = null;
  let event: EngineEvent = { kind: 'start', nowMs: clientClock.nowMs(), input };
  const states: ChainState[] = [];
  for (let i = 0; i < 5_000; i++) {
    const out = step(state, event);
    state = out.state;
    states.push(chainStateOf(state));
    const command = out.command;
    if (command.kind === 'done') return { states, verdict: command.result.verdict };
    event = command.kind === 'emit' ? { kind: 'emitted', nowMs: clientClock.nowMs() } : await performIo(command, host);
  }
  throw new Error(`${stream} under ${profile} did not end in 5 000 steps`);
}

// The ingest profiles fault only the LogScale sink, which this walk does not use.
const PROFILES = PROFILE_NAMES.filter((profile) => !profile.startsWith('ingest-'));

describe('chain states', () => {
  it.each(DEFAULT_STREAM_NAMES.flatMap((stream) => PROFILES.map((profile) => [stream, profile] as const)))(
    '%s under %s moves only as CHAIN_STATE_TRANSITIONS allows, and ends complete only from complete',
    async (stream, profile) => {
      const { states, verdict } = await walk(stream, profile);
      const moves = states.slice(1).map((to, i) => [states[i] as ChainState, to] as const);
      const refused = moves.filter(([from, to]) => !CHAIN_STATE_TRANSITIONS[from].includes(to)).map(([from, to]) => `${from} -> ${to}`);
      expect(refused).toEqual([]);
      expect(states.at(-1)).toBe('ended');
      if (verdict === 'complete') expect(states.at(-2)).toBe('complete');
      else expect(states).not.toContain('complete');
    },
  );

  it('names the states a run goes through: a hydrated stream hydrates, a cursor stream follows, every complete run passes complete', async () => {
    const hosts = await walk('alert-ids', 'clean');
    expect(hosts.states).toContain('hydrating');
    expect(hosts.states[0]).toBe('open');
    const alerts = await walk('alerts', 'clean');
    expect(alerts.states).toContain('following');
    expect(alerts.verdict).toBe('complete');
    expect(alerts.states).toContain('complete');
  });

  it('calls a refused start ended', () => {
    const out = step(null, { kind: 'start', nowMs: 0, input: { stream: 'nope' } });
    expect(chainStateOf(out.state)).toBe('ended');
  });
});
