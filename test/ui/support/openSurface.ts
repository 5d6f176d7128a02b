import type { Browser, Frame, Page } from 'playwright-core';
import type { FakeFalconConsole, Scenario } from './FakeFalconConsole.ts';

export interface OpenedSurface {
  page: Page;
  frame: Frame;
  scenarioId: string;
  /** Console errors and warnings (CSP violations among them) and uncaught exceptions, from every frame. */
  problems: string[];
}

export type Theme = 'theme-light' | 'theme-dark';

/** `falcon.data` as the console sends it on connect (foundry-js `LocalData`), plus socket keys. */
export function consoleData(theme: Theme, socket: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    app: { id: 'pagination-guard' },
    user: { uuid: '8d0a1c52-0000-4000-8000-000000000001', username: 'analyst@example.com' },
    theme,
    cid: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    locale: 'en-us',
    timezone: 'UTC',
    ...socket,
  };
}

/** Opens the console page of a scenario and waits until the UI has left its loading state. */
export async function openSurface(
  browser: Browser,
  fake: FakeFalconConsole,
  scenario: Scenario,
  options: { beforeNavigation?: (page: Page) => Promise<void> } = {},
): Promise<OpenedSurface> {
  const page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await options.beforeNavigation?.(page);
  const { id, url } = fake.open(scenario);
  await page.goto(url);
  const frame = await (await page.locator('#surface').elementHandle())?.contentFrame();
  if (!frame) throw new Error('the console page has no UI frame');
  await settled(frame);
  return { page, frame, scenarioId: id, problems };
}

/** Waits until the UI shows a final state (ready, empty or error). */
export async function settled(frame: Frame): Promise<string> {
  await frame.locator('#app[aria-busy="false"]').waitFor({ timeout: 15_000 });
  return (await frame.locator('#app').getAttribute('data-state')) ?? '';
}

/**
 * Screenshots the UI frame at its full height. The console sizes the iframe from foundry-js `resize`
 * messages; the viewport grows to hold it, since Chromium paints a cross-origin frame only where it is visible.
 */
export async function screenshotSurface(surface: OpenedSurface, path: string): Promise<void> {
  const { page, frame } = surface;
  // Inside the frame, innerHeight is the iframe's height: wait until the console has applied the last resize.
  await frame.waitForFunction('Math.abs(Math.ceil(document.body.getBoundingClientRect().height) - window.innerHeight) <= 1', undefined, { timeout: 10_000 });
  const box = await page.locator('#surface').boundingBox();
  if (!box) throw new Error('the UI frame is not on the page');
  await page.setViewportSize({ width: page.viewportSize()?.width ?? 1240, height: Math.ceil(box.y + box.height + 16) });
  await page.locator('#surface').screenshot({ path });
}
