import { describe, expect, it } from 'vitest';
import { FalconAuth } from '../../functions/host/FalconAuth.ts';
import { runPageRun, type PageRunHost } from '../../functions/host/runPageRun.ts';
import { sandboxTransport } from '../../functions/host/sandboxTransport.ts';
import { VirtualClock } from '../../functions/host/VirtualClock.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { TEST_CHECKPOINT_KEYS } from '../support/checkpointKeys.ts';

// The field report's async token collision: a second worker picks up the first worker's checkpoint.
describe('two workers on one checkpoint', () => {
  function host(sandbox: FalconSandbox, clock: VirtualClock, seen: string[]): PageRunHost {
    const transport = sandboxTransport(sandbox, clock);
    return {
      transport,
      clock,
      sleep: clock.sleep,
      auth: new FalconAuth({ transport, clock, credentials: sandbox.credentials, baseUrl: 'http://sandbox.falcon.test' }),
      sink: async (items) => {
        for (const item of items) seen.push((item as { device_id: string }).device_id);
      },
    };
  }

  it('refuses the second worker and lets the owner of the session finish alone', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 1, 12));
    const sandbox = new FalconSandbox({ seed: 2, profile: 'shared-token', clock, sizes: { hosts: 3000 } });
    const owner: string[] = [];
    const intruder: string[] = [];
    const first = await runPageRun(
      { stream: 'hosts-scroll', checkpointKeys: TEST_CHECKPOINT_KEYS, runId: 'w1-r1', sessionId: 'worker-1', budget: { maxPages: 1 }, options: { pageLimit: 500 } },
      host(sandbox, clock, owner),
    );
    expect(first.hasMore).toBe('true');
    const checkpoint = first.checkpoint as string;

    const stolen = await runPageRun({ stream: 'hosts-scroll', checkpointKeys: TEST_CHECKPOINT_KEYS, runId: 'w2-r1', sessionId: 'worker-2', checkpoint }, host(sandbox, clock, intruder));
    expect(stolen.error?.code).toBe('CHECKPOINT_FOREIGN_SESSION');
    expect(stolen.error?.category).toBe('input');
    expect(stolen.checkpoint).toBeNull();
    expect(stolen.health.apiCalls).toBe(0);
    expect(intruder).toEqual([]);

    const rest = await runPageRun({ stream: 'hosts-scroll', checkpointKeys: TEST_CHECKPOINT_KEYS, runId: 'w1-r2', sessionId: 'worker-1', checkpoint, options: { pageLimit: 500 } }, host(sandbox, clock, owner));
    expect(rest.verdict).toBe('complete');
    expect(new Set(owner).size).toBe(owner.length);
    expect(new Set(owner)).toEqual(sandbox.matchingIds('hosts-scroll', ''));
    // The phantom worker of the profile still stole scroll pages; the engine noticed and asked for them again.
    expect(rest.health.tokenMissingMidRun + first.health.tokenMissingMidRun).toBeGreaterThan(0);
  });
});
