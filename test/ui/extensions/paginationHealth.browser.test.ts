import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecordKey, type RunRecord } from '../../../functions/storage/RunRecord.ts';
import { contrastRatio } from '../support/contrastRatio.ts';
import { FakeFalconConsole } from '../support/FakeFalconConsole.ts';
import { launchChromium } from '../support/launchChromium.ts';
import { consoleData, openSurface, screenshotSurface, settled, type OpenedSurface } from '../support/openSurface.ts';
import { probeColors } from '../support/probeColors.ts';
import { sandboxRunRecords, type ExecutionRuns } from '../support/sandboxRunRecords.ts';

const ARTIFACTS = 'test/artifacts';

const count = (n: number): string => n.toLocaleString('en-US');
/** Per-run waits stay under the 25 s run deadline, so seconds with one decimal (rounded down) or ms cover them. */
const wait = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.floor(ms / 100) / 10} s`);

/** Text and background pairs that must reach WCAG AA (4.5:1) in both themes. */
const CONTRAST_SELECTORS = [
  '.panel__header h1',
  '.panel__context',
  '.stream__header h2',
  '.stream__when',
  '.stat dt',
  '.stat.notable dd',
  '.badge--complete',
  '.badge--has_more',
  '.badge--failed',
  'table.runs caption',
  'table.runs thead th',
  '.run__meta',
  '.run__error',
  'td.notable',
  '.over-optimal',
  '.timeline__caption',
  '.timeline__events summary',
  '.chart__axis',
  '.chart figcaption',
  '.legend li',
];

describe('pagination-health extension in the workflow execution details socket', () => {
  let browser: Browser;
  let fake: FakeFalconConsole;
  let mixed: ExecutionRuns;
  let ttl: ExecutionRuns;
  const opened: OpenedSurface[] = [];

  beforeAll(async () => {
    ({ mixed, ttl } = await sandboxRunRecords());
    fake = await FakeFalconConsole.start();
    const corrupt = { ...mixed.records[0], execution_id: 'wf-exec-corrupt', run_id: 'run-corrupt' } as RunRecord;
    fake.put([
      ...mixed.records,
      ...ttl.records,
      { key: 'alerts.corrupt', object: { ...corrupt, health: { ...corrupt.health, pages: '3', timeline: [{ atMs: 1, kind: 'page_fetched', detail: '' }] } } },
    ]);
    browser = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    for (const surface of opened) await surface.page.close();
    await browser?.close();
    await fake?.close();
  });

  function searchCount(scenarioId: string): number {
    return fake.messagesOf(scenarioId, 'collection').filter((m) => (m.payload as { type: string }).type === 'search').length;
  }

  async function open(data: Record<string, unknown>, extra: { refuseSearch?: boolean } = {}): Promise<OpenedSurface> {
    const surface = await openSurface(browser, fake, { surface: 'extension', data, ...extra });
    opened.push(surface);
    return surface;
  }

  it('the sandbox produced the runs this test needs', () => {
    const kinds = new Set(mixed.records.map((r) => r.verdict_kind));
    expect([...kinds].sort()).toEqual(['complete', 'failed', 'has_more']);
    expect(mixed.records.some((r) => r.health.tokenMissingMidRun > 0)).toBe(true);
    expect(mixed.records.every((r) => r.health.rateLimitWaitMs < 60_000)).toBe(true);
    expect(ttl.records.length).toBeGreaterThan(5);
  });

  it('shows every run of the execution with the numbers of its record (light theme)', async () => {
    const surface = await open(consoleData('theme-light', { execution: { id: mixed.executionId } }));
    const { frame, scenarioId, problems } = surface;
    expect(await frame.locator('#app').getAttribute('data-state')).toBe('ready');
    expect(await frame.locator('html').getAttribute('class')).toContain('theme-light');

    // foundry-js connected first, then searched by execution and read each run by key.
    const types = fake.messagesOf(scenarioId).map((m) => m.type);
    expect(types[0]).toBe('connect');
    const searches = fake.messagesOf(scenarioId, 'collection').filter((m) => (m.payload as { type: string }).type === 'search');
    expect(searches.map((m) => m.payload)).toEqual([
      { type: 'search', collection: 'pagination_runs', filter: `execution_id:'${mixed.executionId}'`, offset: '0', sort: 'started_at_ms.asc', limit: 100 },
    ]);
    const reads = fake.messagesOf(scenarioId, 'collection').filter((m) => (m.payload as { type: string }).type === 'read');
    expect(reads.map((m) => (m.payload as { key: string }).key).sort()).toEqual(mixed.records.map(runRecordKey).sort());

    const streams = [...new Set(mixed.records.map((r) => r.stream))];
    expect(await frame.locator('.panel__context').textContent()).toBe(
      `Page runs of workflow execution ${mixed.executionId} · ${mixed.records.length} runs in ${streams.length} streams`,
    );
    expect(await frame.locator('tr[data-run-key]').count()).toBe(mixed.records.length);

    for (const record of mixed.records) {
      const h = record.health;
      const row = frame.locator(`tr[data-run-key="${runRecordKey(record)}"]`);
      const cell = (field: string) => row.locator(`[data-field="${field}"]`);
      expect(await row.getAttribute('data-verdict')).toBe(record.verdict_kind);
      expect(await row.locator('.badge').textContent()).toMatch(record.verdict_kind === 'failed' ? `failed: ${record.error_code}` : record.verdict_kind);
      expect(await cell('pages').textContent()).toBe(count(h.pages));
      expect(await cell('items').textContent()).toBe(`${count(h.items)} ${h.totalAtStart === null ? '(total unknown)' : `of ${count(h.totalAtStart)}`}`);
      expect(await cell('runCalls').textContent()).toBe(count(h.apiCalls));
      expect(await cell('exportCalls').locator('[data-value="exportCalls"]').textContent()).toBe(count(h.exportApiCalls));
      expect(await cell('exportCalls').locator('[data-value="optimalCalls"]').textContent()).toBe(h.optimalCalls === null ? '—' : count(h.optimalCalls));
      expect(await cell('tokenMissingMidRun').textContent()).toBe(count(h.tokenMissingMidRun));
      expect(await cell('tokenExpiries').textContent()).toBe(count(h.tokenExpiries));
      expect(await cell('watermarkRestarts').textContent()).toBe(count(h.watermarkRestarts));
      expect(await cell('rateLimitWait').textContent()).toBe(wait(h.rateLimitWaitMs));
      expect(await cell('retries').textContent()).toBe(count(h.retries));
      expect(await cell('ingested').textContent()).toBe(count(h.ingestedEvents));
      expect(await cell('ingestRetries').textContent()).toBe(count(h.ingestRetries));
      expect(await cell('timeline').locator('g.marker').evaluateAll((markers) => markers.map((m) => m.getAttribute('data-event-kind')))).toEqual(
        h.timeline.filter((e) => e.kind !== 'page').map((e) => e.kind),
      );
      // Every page the run read is a tick on the axis (the engine logs one page event per page).
      expect(await cell('timeline').locator('line.timeline__page').count()).toBe(h.timeline.filter((e) => e.kind === 'page').length);
      expect(h.timeline.filter((e) => e.kind === 'page').length).toBe(h.pages);
      expect(await cell('timeline').locator('.timeline__caption').textContent()).toMatch(new RegExp(`^${h.pages} pages? in `));
      if (record.verdict_kind === 'failed') expect(await cell('verdict').locator('.run__error').textContent()).toBe(record.error_message);
    }

    for (const stream of streams) {
      const runs = mixed.records.filter((r) => r.stream === stream).sort((a, b) => a.started_at_ms - b.started_at_ms);
      const latest = runs[runs.length - 1] as RunRecord;
      const section = frame.locator(`section[data-stream="${stream}"]`);
      const stat = async (field: string) => section.locator(`[data-stat="${field}"] dd`).textContent();
      const sum = (pick: (r: RunRecord) => number) => runs.reduce((total, r) => total + pick(r), 0);
      expect(await stat('runs')).toBe(count(runs.length));
      expect(await stat('tokenMissingMidRun')).toBe(count(sum((r) => r.health.tokenMissingMidRun)));
      expect(await stat('tokenExpiries')).toBe(count(sum((r) => r.health.tokenExpiries)));
      expect(await stat('watermarkRestarts')).toBe(count(sum((r) => r.health.watermarkRestarts)));
      expect(await stat('retries')).toBe(count(sum((r) => r.health.retries)));
      expect(await stat('failedRuns')).toBe(count(runs.filter((r) => r.verdict_kind === 'failed').length));
      expect(await stat('exportCalls')).toMatch(
        new RegExp(`^${count(latest.health.exportApiCalls)} vs ${latest.health.optimalCalls === null ? '—' : count(latest.health.optimalCalls)}`),
      );
      expect(await section.locator('.chart__bar').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-calls'))))).toEqual(
        runs.map((r) => r.health.apiCalls),
      );
      expect(await section.locator('.badge').first().getAttribute('data-verdict')).toBe(latest.verdict_kind);
    }

    await screenshotSurface(surface, `${ARTIFACTS}/pagination-health-light.png`);
    expect(problems).toEqual([]);
  });

  it('follows the console to the dark theme, and both themes keep text readable (WCAG AA)', async () => {
    const surface = await open(consoleData('theme-light', { execution: { id: mixed.executionId } }));
    const { page, frame, problems } = surface;
    const light = await probeColors(frame, CONTRAST_SELECTORS);
    const searchesBefore = searchCount(surface.scenarioId);
    await page.evaluate(`window.pushData(${JSON.stringify(consoleData('theme-dark', { execution: { id: mixed.executionId } }))})`);
    await frame.locator('html.theme-dark').waitFor();
    expect(await frame.locator('html').getAttribute('class')).not.toContain('theme-light');
    expect(await settled(frame)).toBe('ready');
    // A theme switch restyles the panel without reading the collection again.
    expect(searchCount(surface.scenarioId)).toBe(searchesBefore);
    const dark = await probeColors(frame, CONTRAST_SELECTORS);
    for (const probe of [...light, ...dark]) {
      expect(probe.foreground, `${probe.selector} is on the panel`).not.toBe('missing');
      expect(contrastRatio(probe.foreground, probe.background), `${probe.selector}: ${probe.foreground} on ${probe.background}`).toBeGreaterThanOrEqual(4.5);
    }
    const lightBody = light.find((p) => p.selector === '.panel__header h1');
    const darkBody = dark.find((p) => p.selector === '.panel__header h1');
    expect(lightBody?.background).toBe('rgb(255, 255, 255)');
    expect(darkBody?.background).toBe('rgb(23, 25, 29)');
    expect(await frame.locator('tr[data-run-key]').count()).toBe(mixed.records.length);
    await screenshotSurface(surface, `${ARTIFACTS}/pagination-health-dark.png`);
    expect(problems).toEqual([]);
  });

  it('reloads on demand, and follows the console to another execution', async () => {
    const surface = await open(consoleData('theme-light', { execution: { id: mixed.executionId } }));
    const { page, frame, scenarioId } = surface;
    const before = searchCount(scenarioId);
    await frame.getByRole('button', { name: 'Reload runs' }).click();
    expect(await settled(frame)).toBe('ready');
    expect(searchCount(scenarioId)).toBe(before + 1);
    await page.evaluate(`window.pushData(${JSON.stringify(consoleData('theme-light', { execution: { id: ttl.executionId } }))})`);
    await frame.locator(`.panel__context code:text-is("${ttl.executionId}")`).waitFor();
    expect(await settled(frame)).toBe('ready');
    expect(await frame.locator('tr[data-run-key]').count()).toBe(ttl.records.length);
    expect(surface.problems).toEqual([]);
  });

  it('starts in the dark theme when the console is dark, and lists a long export run by run', async () => {
    const { frame, problems } = await open(consoleData('theme-dark', { execution_id: ttl.executionId }));
    expect(await frame.locator('html').getAttribute('class')).toContain('theme-dark');
    expect(await frame.locator('tr[data-run-key]').count()).toBe(ttl.records.length);
    const keys = await frame.locator('tr[data-run-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-key')));
    expect(keys).toEqual([...ttl.records].sort((a, b) => a.started_at_ms - b.started_at_ms).map(runRecordKey));
    const totalWait = ttl.records.reduce((t, r) => t + r.health.rateLimitWaitMs, 0);
    expect(totalWait).toBeGreaterThan(60_000);
    const minutes = Math.floor(Math.round(totalWait / 1000) / 60);
    const seconds = Math.round(totalWait / 1000) % 60;
    expect(await frame.locator('[data-stat="rateLimitWait"] dd').textContent()).toBe(seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`);
    expect(problems).toEqual([]);
  });

  it('says what to do when the console passes no execution id', async () => {
    const { frame, problems } = await open(consoleData('theme-light'));
    expect(await frame.locator('#app').getAttribute('data-state')).toBe('error');
    const notice = frame.locator('[data-notice="error"]');
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.textContent()).toContain('The console did not tell this panel which workflow execution it shows.');
    expect(await notice.textContent()).toContain('Looked for data.execution.id, data.execution_id, data.executionId, data.workflow_execution.id.');
    expect(problems).toEqual([]);
  });

  it('says when an execution has no runs yet', async () => {
    const { frame } = await open(consoleData('theme-light', { execution: { id: 'wf-exec-without-runs' } }));
    expect(await frame.locator('#app').getAttribute('data-state')).toBe('empty');
    expect(await frame.locator('[data-notice="empty"]').textContent()).toContain('No page runs are recorded for this execution yet.');
  });

  it('names what is wrong with a run record that does not match the collection schema', async () => {
    const { frame } = await open(consoleData('theme-light', { execution: { id: 'wf-exec-corrupt' } }));
    expect(await frame.locator('#app').getAttribute('data-state')).toBe('error');
    const text = (await frame.locator('[data-notice="error"]').textContent()) ?? '';
    expect(text).toContain('1 run in pagination_runs could not be shown.');
    expect(text).toContain('alerts.corrupt: health.pages: Expected number, received string; health.timeline[0].kind: unknown health event kind');
  });

  it('explains a search the console refuses', async () => {
    const { frame } = await open(consoleData('theme-light', { execution: { id: mixed.executionId } }), { refuseSearch: true });
    expect(await frame.locator('#app').getAttribute('data-state')).toBe('error');
    const text = (await frame.locator('[data-notice="error"]').textContent()) ?? '';
    expect(text).toContain('The Falcon console refused the pagination_runs search.');
    expect(text).toContain('Console said: 403 access denied, authorization failed');
  });
});
