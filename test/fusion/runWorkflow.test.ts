import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetName } from '../../sandbox/datasets/DatasetName.ts';
import { repositoryRoot } from '../../functions/host/repositoryRoot.ts';
import { runWorkflow } from '../../fusion/runWorkflow.ts';
import { CHECKPOINTS_COLLECTION, checkpointRecordKey, type CheckpointRecord } from '../../functions/storage/CheckpointRecord.ts';
import { RUNS_COLLECTION, type RunRecord } from '../../functions/storage/RunRecord.ts';

const root = repositoryRoot();
const SIZES: Partial<Record<DatasetName, number>> = { alerts: 2500, iocs: 1200, intel: 1500, hosts: 1500, vulnerabilities: 1500 };
const PROFILES = ['ttl-vs-backoff', 'shared-token', 'chaos'] as const;

const STREAMS_UNDER_TEST = ['alerts', 'alert-ids', 'intel-indicators', 'hosts', 'vulnerabilities'] as const;
const INGEST_FAULT_PROFILES = ['ingest-flaky', 'ingest-lost-ack', 'ingest-reset'] as const;

function filterOf(stream: string): Record<string, string> {
  return stream === 'vulnerabilities' ? { filter: "status:'open'" } : {};
}

describe('workflows/export-stream.yml through the local Fusion runner', () => {
  for (const profile of PROFILES) {
    for (const stream of STREAMS_UNDER_TEST) {
      it(`${stream} under ${profile}, sink response: complete, every record delivered once through the workflow`, async () => {
        const report = await runWorkflow({ root, workflowPath: join(root, 'workflows/export-stream.yml'), inputs: { stream, sink: 'response', ...filterOf(stream) }, profile, sizes: SIZES });
        expect(report.reasons).toEqual([]);
        expect(report.verdict).toBe('complete');
        expect(report.missing).toBe(0);
        expect(report.duplicates).toBe(0);
        expect(report.expected).toBeGreaterThan(500);
        // One page run before the loop and one per iteration; the 120 KB response forces several.
        expect(report.health).toHaveLength(report.iterations + 1);
        expect(report.iterations).toBeGreaterThan(1);
        expect(report.logscale.storedEvents).toBe(0);
        // Each run's health went to the pagination_runs collection, tagged with the execution.
        const stored = report.sandbox.storage.keys(RUNS_COLLECTION).map((k) => report.sandbox.storage.object(RUNS_COLLECTION, k) as RunRecord);
        expect(stored).toHaveLength(report.health.length);
        expect(new Set(stored.map((r) => r.execution_id))).toEqual(new Set([report.executions[0]?.executionId]));
      });

      it(`${stream} under ${profile}, sink logscale: complete, every record in the repository once after deduplication, small responses`, async () => {
        const report = await runWorkflow({ root, workflowPath: join(root, 'workflows/export-stream.yml'), inputs: { stream, ...filterOf(stream) }, profile, sizes: SIZES });
        expect(report.reasons).toEqual([]);
        expect(report.missing).toBe(0);
        expect(report.duplicates).toBe(0);
        expect(report.expected).toBeGreaterThan(500);
        expect(report.logged).toEqual([]);
        expect(report.logscale.records).toBe(report.delivered);
        expect(report.logscale.sessions).toHaveLength(1);
        const health = report.health;
        expect(health.reduce((sum, h) => sum + h.ingestedEvents, 0)).toBe(report.logscale.storedEvents);
        for (const h of health) expect(h.ingestCalls).toBeGreaterThanOrEqual(h.pages > 0 && h.items > 0 ? 1 : 0);
        // Nothing but the checkpoint and counts comes back, however many records a run stored.
        expect(report.largestPageRunResponseBytes).toBeLessThan(40_000);
      });
    }
  }

  it('alerts under clean: both sinks deliver every record once; the LogScale sink in one function call, the response sink in many', async () => {
    const run = (sink: 'logscale' | 'response') => runWorkflow({ root, workflowPath: join(root, 'workflows/export-stream.yml'), inputs: { stream: 'alerts', sink }, profile: 'clean', sizes: SIZES });
    const [logscale, response] = [await run('logscale'), await run('response')];
    for (const report of [logscale, response]) {
      expect(report.reasons).toEqual([]);
      expect(report.delivered).toBe(report.expected);
    }
    expect(logscale.functionCalls).toBe(1);
    expect(logscale.logscale.records).toBe(2500);
    expect(response.functionCalls).toBeGreaterThan(20);
    expect(response.logscale.storedEvents).toBe(0);
  });

  for (const profile of INGEST_FAULT_PROFILES) {
    for (const stream of ['alerts', 'hosts'] as const) {
      it(`${stream} under ${profile}: ingest faults are retried; the repository holds every record, once after deduplication`, async () => {
        // Seed 3 draws a fault for both streams under each profile (hosts make only a few ingest calls).
        const report = await runWorkflow({ root, workflowPath: join(root, 'workflows/export-stream.yml'), inputs: { stream }, profile, seed: 3, sizes: SIZES });
        expect(report.reasons).toEqual([]);
        expect(report.missing).toBe(0);
        expect(report.duplicates).toBe(0);
        const retries = report.health.reduce((sum, h) => sum + h.ingestRetries, 0);
        expect(retries).toBeGreaterThan(0);
        // Only an answer lost after the events were stored leaves copies, and the saved search removes them.
        if (profile === 'ingest-lost-ack') expect(report.logscale.redelivered).toBeGreaterThan(0);
        else expect(report.logscale.redelivered).toBe(0);
      });
    }
  }

  it('a sink that keeps failing ends the run failed and retryable: nothing it did not store counts as exported', async () => {
    const failing = await runWorkflow({
      root,
      workflowPath: join(root, 'workflows/export-stream.yml'),
      inputs: { stream: 'alerts' },
      profile: 'clean',
      sizes: SIZES,
      knobs: { ingest5xxRate: 1, maxConsecutiveFaults: 100 },
    });
    expect(failing.verdict).toBe('incomplete');
    expect(failing.executions[0]?.lastVerdict).toBe('failed:INGEST_FAILED');
    expect(failing.logscale.storedEvents).toBe(0);
    const last = failing.health.at(-1);
    expect(last).toMatchObject({ items: 0, ingestedEvents: 0, verdict: 'failed:INGEST_FAILED' });
    expect(last?.ingestCalls).toBeGreaterThan(1);
    expect(last?.timeline.map((e) => e.kind)).toContain('ingest_retry');
  });
});

describe('workflows/scheduled-export.yml', () => {
  for (const profile of [...PROFILES, 'ingest-lost-ack'] as const) {
    it(`stores every record in the repository and the checkpoint in pagination_checkpoints; the next execution exports only newer records, under ${profile}`, async () => {
      const report = await runWorkflow({
        root,
        workflowPath: join(root, 'workflows/scheduled-export.yml'),
        inputs: {},
        profile,
        sizes: SIZES,
        // New alerts arrive between the hourly executions: the second one picks them up from the stored checkpoint.
        knobs: { mutationsPerMinute: { inserts: 5, deletes: 0 } },
        maxExecutions: 2,
        untilComplete: false,
      });
      expect(report.reasons).toEqual([]);
      expect(report.missing).toBe(0);
      expect(report.duplicates).toBe(0);
      expect(report.logged).toEqual([]);
      const [first, second] = report.executions;
      expect(report.executions).toHaveLength(2);
      expect(first?.lastVerdict).toBe('complete');
      const runsOfSecond = report.health.slice(first?.pageRuns ?? 0);
      expect(runsOfSecond[0]?.timeline.map((e) => e.kind)).toContain('resumed');
      expect(runsOfSecond[0]?.sessionId).toBe(report.health[0]?.sessionId);
      // The second hour read only what arrived since: about 300 alerts, not the whole stream again.
      const newer = runsOfSecond.reduce((sum, h) => sum + h.items, 0);
      expect(newer).toBeGreaterThan(0);
      expect(newer).toBeLessThan(report.expected / 2);
      expect(second?.status.kind).toBe('completed');
      const stored = report.sandbox.storage.object(CHECKPOINTS_COLLECTION, checkpointRecordKey('alerts', '')) as CheckpointRecord;
      expect(stored.has_more).toBe('false');
      expect(stored.checkpoint).toMatch(/^pg2\./);
    });
  }

  it('takes no inputs: a schedule has none', async () => {
    await expect(runWorkflow({ root, workflowPath: join(root, 'workflows/scheduled-export.yml'), inputs: { stream: 'hosts' }, profile: 'clean', sizes: SIZES })).rejects.toThrow(/takes no inputs/);
  });
});

describe('on-demand inputs', () => {
  it('refuses an unknown stream, naming the choices', async () => {
    await expect(runWorkflow({ root, workflowPath: join(root, 'workflows/export-stream.yml'), inputs: { stream: 'incidents' }, profile: 'clean', sizes: SIZES })).rejects.toThrow(/stream must be one of alerts/);
  });

  it('refuses an input the workflow does not declare', async () => {
    await expect(runWorkflow({ root, workflowPath: join(root, 'workflows/export-stream.yml'), inputs: { stream: 'alerts', limit: '5' }, profile: 'clean', sizes: SIZES })).rejects.toThrow(/has no input "limit"/);
  });

  it('refuses a filter with broken quoting before anything runs (it used to crash the runner)', async () => {
    await expect(runWorkflow({ root, workflowPath: join(root, 'workflows/export-stream.yml'), inputs: { stream: 'alerts', filter: "status:'new" }, profile: 'clean', sizes: SIZES })).rejects.toThrow(/quote that is never closed/);
  });

  it('needs the required stream', async () => {
    await expect(runWorkflow({ root, workflowPath: join(root, 'workflows/export-stream.yml'), inputs: {}, profile: 'clean', sizes: SIZES })).rejects.toThrow(/needs --input stream/);
  });
});

describe('workflows/ioc-enrichment.yml', () => {
  // No time bound in the filter: the sandbox adds IOCs all along, and the export's own bound (its start on
  // the server) is what lets the playbook end (it used to chase the inserts and end incomplete).
  for (const profile of ['clean', ...PROFILES] as const) {
    it(`enriches every delivered custom IOC exactly once, matching the sandbox, under ${profile}`, async () => {
      const report = await runWorkflow({
        root,
        workflowPath: join(root, 'workflows/ioc-enrichment.yml'),
        inputs: { max_devices_per_indicator: '50' },
        profile,
        sizes: { ...SIZES, iocs: 150 },
      });
      expect(report.reasons).toEqual([]);
      expect(report.verdict).toBe('complete');
      expect(report.missing).toBe(0);
      expect(report.duplicates).toBe(0);
      expect(report.enrichment).toMatchObject({ unenriched: [], twice: 0 });
      expect(report.enrichment?.enriched).toBe(report.delivered);
      const enriched = report.logged.flatMap((e) => (Array.isArray(e['enriched']) ? e['enriched'] : [])) as Array<{
        type: string;
        value: string;
        device_count: number | null;
        device_ids: string[];
        device_ids_complete: string;
      }>;
      let capped = 0;
      for (const entry of enriched) {
        const seen = report.sandbox.sightings(entry.type, entry.value);
        expect(entry.device_count).toBe(seen.length);
        expect(seen).toEqual(expect.arrayContaining(entry.device_ids));
        if (entry.device_ids_complete === 'true') expect([...entry.device_ids].sort()).toEqual([...seen].sort());
        else {
          expect(entry.device_ids).toHaveLength(50);
          capped++;
        }
      }
      // The seeded sightings include indicators seen by more devices than the cap.
      expect(capped).toBeGreaterThan(0);
    });
  }
});
