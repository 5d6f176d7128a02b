import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecordKey, type RunRecord } from '../../../functions/storage/RunRecord.ts';
import { contrastRatio } from '../support/contrastRatio.ts';
import { FakeFalconConsole, type LoggedMessage } from '../support/FakeFalconConsole.ts';
import { launchChromium } from '../support/launchChromium.ts';
import { consoleData, openSurface, screenshotSurface, settled, type OpenedSurface } from '../support/openSurface.ts';
import { probeColors } from '../support/probeColors.ts';
import { sandboxRunRecords } from '../support/sandboxRunRecords.ts';

const ARTIFACTS = 'test/artifacts';

describe('Pagination runs page', () => {
  let browser: Browser;
  let fake: FakeFalconConsole;
  let records: RunRecord[] = [];
  let surface: OpenedSurface;
  /** Two hours after the last run ended: inside "last 24 hours", outside "last hour". */
  let nowMs = 0;

  const searches = (): Array<LoggedMessage['payload']> =>
    fake.messagesOf(surface.scenarioId, 'collection').map((m) => m.payload).filter((p) => (p as { type: string }).type === 'search');

  async function apply(values: { stream?: string; verdict?: string; range?: string }): Promise<string> {
    const { frame } = surface;
    if (values.stream) await frame.getByLabel('Stream').selectOption(values.stream);
    if (values.verdict) await frame.getByLabel('Verdict').selectOption(values.verdict);
    if (values.range) await frame.getByLabel('Time range').selectOption(values.range);
    // Press the button from the keyboard, as a user tabbing through the filters would.
    await frame.getByRole('button', { name: 'Show runs' }).focus();
    await surface.page.keyboard.press('Enter');
    return settled(frame);
  }

  beforeAll(async () => {
    const { mixed, ttl } = await sandboxRunRecords();
    records = [...mixed.records, ...ttl.records];
    nowMs = Math.max(...records.map((r) => r.ended_at_ms)) + 2 * 3_600_000;
    fake = await FakeFalconConsole.start();
    fake.put(records);
    browser = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
    surface = await openSurface(
      browser,
      fake,
      { surface: 'page', data: consoleData('theme-light') },
      { beforeNavigation: (page) => page.clock.setFixedTime(nowMs) },
    );
  });

  afterAll(async () => {
    await surface?.page.close();
    await browser?.close();
    await fake?.close();
  });

  it('lists the recent runs of every stream, newest first, with their executions (light theme)', async () => {
    const { frame } = surface;
    expect(await frame.locator('#app').getAttribute('data-state')).toBe('ready');
    expect(searches()).toEqual([{ type: 'search', collection: 'pagination_runs', filter: '', offset: '0', sort: 'started_at_ms.desc', limit: 100 }]);
    const streams = [...new Set(records.map((r) => r.stream))].sort();
    expect(await frame.locator('section[data-stream]').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-stream')))).toEqual(streams);
    for (const stream of streams) {
      const runs = records.filter((r) => r.stream === stream).sort((a, b) => b.started_at_ms - a.started_at_ms || runRecordKey(b).localeCompare(runRecordKey(a)));
      const section = frame.locator(`section[data-stream="${stream}"]`);
      expect(await section.locator('tr[data-run-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-key')))).toEqual(runs.map(runRecordKey));
      expect(await section.locator('caption').textContent()).toBe(`${stream}: ${runs.length} run${runs.length === 1 ? '' : 's'} in the last 7 days`);
      for (const run of runs) {
        expect(await section.locator(`tr[data-run-key="${runRecordKey(run)}"] .run__meta`).allTextContents()).toContain(`execution ${run.execution_id}`);
      }
    }
    // The alerts chart spans both exports; its completeness line restarts with the second one.
    const alertsChartPoints = await frame.locator('section[data-stream="alerts"] .chart__point').count();
    expect(alertsChartPoints).toBe(records.filter((r) => r.stream === 'alerts' && r.health.totalAtStart !== null).length);
    expect(await frame.locator('section[data-stream="alerts"] .chart__line').getAttribute('d')).toMatch(/^M[^M]+M[^M]+$/);
    await screenshotSurface(surface, `${ARTIFACTS}/pagination-runs-light.png`);
    expect(surface.problems).toEqual([]);
  });

  it('has labelled filters reachable with the keyboard, in order', async () => {
    const { frame, page } = surface;
    await frame.locator('body').focus();
    await page.keyboard.press('Tab');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      order.push(String(await frame.evaluate('document.activeElement.id || document.activeElement.textContent')));
      await page.keyboard.press('Tab');
    }
    expect(order).toEqual(['filter-stream', 'filter-verdict', 'filter-range', 'Show runs']);
    expect(await frame.getByLabel('Stream').evaluate((el) => el.tagName)).toBe('SELECT');
    const alertsRuns = records.filter((r) => r.stream === 'alerts').length;
    expect(alertsRuns).toBeGreaterThan(1);
    expect(await frame.getByRole('region', { name: `alerts: ${alertsRuns} runs in the last 7 days` }).getAttribute('tabindex')).toBe('0');
  });

  it('filters by stream with an exact-match search', async () => {
    expect(await apply({ stream: 'hosts' })).toBe('ready');
    expect(searches().at(-1)).toMatchObject({ filter: "stream:'hosts'", sort: 'started_at_ms.desc' });
    const hosts = records.filter((r) => r.stream === 'hosts');
    expect(await surface.frame.locator('section[data-stream]').count()).toBe(1);
    expect(await surface.frame.locator('tr[data-run-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-key')))).toEqual(hosts.map(runRecordKey));
  });

  it('filters by verdict kind and shows why runs failed', async () => {
    expect(await apply({ stream: 'all', verdict: 'failed' })).toBe('ready');
    expect(searches().at(-1)).toMatchObject({ filter: "verdict_kind:'failed'" });
    const failed = records.filter((r) => r.verdict_kind === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    const rows = surface.frame.locator('tr[data-run-key]');
    expect(await rows.count()).toBe(failed.length);
    for (const run of failed) {
      const row = surface.frame.locator(`tr[data-run-key="${runRecordKey(run)}"]`);
      expect(await row.locator('.badge').textContent()).toBe(`✕failed: ${run.error_code}`);
      expect(await row.locator('.run__error').textContent()).toBe(run.error_message);
    }
  });

  it('applies the time range to the runs read, and says what to do when none match', async () => {
    expect(await apply({ verdict: 'all', range: 'last-hour' })).toBe('empty');
    expect(searches().at(-1)).toMatchObject({ filter: '' });
    expect(await surface.frame.locator('[data-notice="empty"]').textContent()).toContain('No page runs match all streams, any verdict, last hour.');
    expect(await surface.frame.locator('[data-notice="empty"]').textContent()).toContain('Widen the time range');
    expect(await apply({ range: 'last-24h' })).toBe('ready');
    expect(await surface.frame.locator('tr[data-run-key]').count()).toBe(records.length);
  });

  it('follows the console to the dark theme with readable filters and tables', async () => {
    const { page, frame } = surface;
    const searchesBefore = searches().length;
    await page.evaluate(`window.pushData(${JSON.stringify(consoleData('theme-dark'))})`);
    await frame.locator('html.theme-dark').waitFor();
    expect(await settled(frame)).toBe('ready');
    expect(searches()).toHaveLength(searchesBefore);
    for (const probe of await probeColors(frame, ['.field label', 'select', '.button', 'table.runs thead th', '.run__meta', '.badge--failed', '.badge--complete'])) {
      expect(contrastRatio(probe.foreground, probe.background), `${probe.selector}: ${probe.foreground} on ${probe.background}`).toBeGreaterThanOrEqual(4.5);
    }
    await screenshotSurface(surface, `${ARTIFACTS}/pagination-runs-dark.png`);
    expect(surface.problems).toEqual([]);
  });
});
