import { describe, expect, it } from 'vitest';
import { runSandboxExport, type SandboxExportReport } from '../../sandbox/runSandboxExport.ts';
import { STREAM_NAMES, STREAMS } from '../../functions/falcon/streams.ts';
import { PROFILE_NAMES } from '../../sandbox/profiles.ts';
import { checkpointPayload, leakedSecrets } from '../support/secretScan.ts';

// Every stream under every fault profile, each export a sequence of 25 s page runs on the virtual clock.
describe('scenario matrix: every stream under every fault profile', () => {
  const reports: SandboxExportReport[] = [];

  for (const profile of PROFILE_NAMES) {
    for (const stream of STREAM_NAMES) {
      it(`${stream} under ${profile} exports every record once`, async () => {
        const report = await runSandboxExport({ stream, profile, seed: 11 });
        reports.push(report);
        expect(report.finalVerdict).toBe('complete');
        expect(report.missingIds).toEqual([]);
        expect(report.missing).toBe(0);
        expect(report.duplicates).toBe(0);
        expect(report.expected).toBeGreaterThan(0);
        // A fault may cost calls, but never an unbounded number of them.
        expect(report.calls).toBeLessThanOrEqual(report.optimalCalls * 2 + 10);
        if (profile === 'clean') expect(report.calls).toBeLessThanOrEqual(Math.ceil(report.optimalCalls * 1.1));
      });
    }
  }

  it('reports the named anomalies the profiles inject', () => {
    const of = (profile: string) => reports.filter((r) => r.profile === profile);
    expect(of('clean').every((r) => r.tokenMissingMidRun === 0 && r.restarts === 0)).toBe(true);
    const cursorStreams = of('sparse-final-page').filter((r) => ['after-body', 'after-query', 'scroll'].includes(STREAMS[r.stream].style));
    expect(cursorStreams.length).toBeGreaterThan(0);
    expect(cursorStreams.every((r) => r.tokenMissingMidRun >= 1)).toBe(true);
    expect(of('expired-after').some((r) => r.runs.some((run) => run.health.tokenExpiries > 0))).toBe(true);
    expect(of('auth-expiry').some((r) => r.runs.some((run) => run.health.authRefreshes > 0))).toBe(true);
    const sum = (r: SandboxExportReport, pick: (h: SandboxExportReport['runs'][number]['health']) => number) => r.runs.reduce((n, run) => n + pick(run.health), 0);
    // At the profile's rate an export of a few calls may meet none (hosts reads 12 000 full records in 3 calls).
    const longer = of('errors-in-200').filter((r) => r.calls >= 5);
    expect(longer.length).toBeGreaterThanOrEqual(STREAM_NAMES.length - 1);
    expect(longer.every((r) => sum(r, (h) => h.errorsIn200) > 0)).toBe(true);
    expect(of('html-5xx').every((r) => sum(r, (h) => h.retries) > 0)).toBe(true);
    expect(of('flaky').every((r) => sum(r, (h) => h.retries) > 0)).toBe(true);
    expect(of('depth-cap').some((r) => r.runs.some((run) => run.health.depthCapRewindows > 0))).toBe(true);
    expect(of('ttl-vs-backoff').some((r) => r.runs.some((run) => run.health.timeline.some((e) => e.kind === 'cursor_abandoned_for_wait')))).toBe(true);
  });

  it('never writes an access token or the client secret into a log, checkpoint, health record or error', () => {
    expect(reports.length).toBe(STREAM_NAMES.length * PROFILE_NAMES.length);
    let scanned = 0;
    for (const report of reports) {
      const secrets = [...report.sandbox.issuedAccessTokens(), report.sandbox.credentials.clientSecret];
      expect(secrets.length).toBeGreaterThan(1);
      const texts = [
        ...report.logs,
        ...report.checkpoints,
        ...report.checkpoints.map(checkpointPayload),
        ...report.runs.map((run) => JSON.stringify(run.health)),
        ...report.runs.map((run) => JSON.stringify(run.error)),
      ];
      scanned += texts.length;
      expect(leakedSecrets(texts, secrets)).toEqual([]);
    }
    expect(scanned).toBeGreaterThan(reports.length * 3);
  });
});
