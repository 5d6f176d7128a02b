import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetName } from '../../../sandbox/datasets/DatasetName.ts';
import { repositoryRoot, runWorkflow } from '../../../sandbox/fusion/runWorkflow.ts';
import { CHECKPOINTS_COLLECTION, checkpointRecordKey, type CheckpointRecord } from '../../../functions/storage/CheckpointRecord.ts';
import { RUNS_COLLECTION, type RunRecord } from '../../../functions/storage/RunRecord.ts';

const root = repositoryRoot();
const SIZES: Partial<Record<DatasetName, number>> = { alerts: 2500, iocs: 1200, intel: 1500, hosts: 1500, vulnerabilities: 1500, detections: 2000 };
const PROFILES = ['ttl-vs-backoff', 'shared-token', 'chaos'] as const;

describe('workflows/export-stream.yml through the local Fusion runner', () => {
  for (const profile of PROFILES) {
    for (const stream of ['alerts', 'alert-ids', 'intel-indicators', 'hosts', 'vulnerabilities'] as const) {
      it(`${stream} under ${profile}: complete, every record delivered once`, async () => {
        const report = await runWorkflow({
          root,
          workflowPath: join(root, 'workflows/export-stream.yml'),
          inputs: { stream, ...(stream === 'vulnerabilities' ? { filter: "status:'open'" } : {}) },
          profile,
          sizes: SIZES,
        });
        expect(report.reasons).toEqual([]);
        expect(report.verdict).toBe('complete');
        expect(report.missing).toBe(0);
        expect(report.duplicates).toBe(0);
        expect(report.expected).toBeGreaterThan(500);
        // One page run before the loop and one per iteration; the 120 KB response forces several.
        expect(report.health).toHaveLength(report.iterations + 1);
        expect(report.iterations).toBeGreaterThan(1);
        // Each run's health went to the pagination_runs collection, tagged with the execution.
        const stored = report.sandbox.storage.keys(RUNS_COLLECTION).map((k) => report.sandbox.storage.object(RUNS_COLLECTION, k) as RunRecord);
        expect(stored).toHaveLength(report.health.length);
        expect(new Set(stored.map((r) => r.execution_id))).toEqual(new Set([report.executions[0]?.executionId]));
      });
    }
  }
});

describe('workflows/scheduled-export.yml', () => {
  for (const profile of PROFILES) {
    it(`resumes across executions from pagination_checkpoints under ${profile}`, async () => {
      const report = await runWorkflow({ root, workflowPath: join(root, 'workflows/scheduled-export.yml'), inputs: {}, profile, sizes: SIZES, maxExecutions: 8 });
      expect(report.reasons).toEqual([]);
      expect(report.verdict).toBe('complete');
      expect(report.missing).toBe(0);
      expect(report.duplicates).toBe(0);
      const [first, second] = report.executions;
      // The first execution stops at its loop cap with more to read; the next one goes on from the collection.
      expect(report.executions.length).toBeGreaterThanOrEqual(2);
      expect(first?.cappedLoops).toEqual(['NextPages']);
      expect(first?.lastHasMore).toBe('true');
      const runsOfSecond = report.health.slice(first?.pageRuns ?? 0);
      expect(runsOfSecond[0]?.timeline.map((e) => e.kind)).toContain('resumed');
      expect(runsOfSecond[0]?.sessionId).toBe(report.health[0]?.sessionId);
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
