import type { Frame } from 'playwright-core';

export interface ProbedColors {
  selector: string;
  foreground: string;
  background: string;
}

/**
 * Reads, inside the UI's frame, the text colour of the first element matching each selector (`fill` for
 * SVG text) and the first opaque background behind it. Written as source text: the root tsconfig has no
 * DOM types, and this runs in the browser, not in Node.
 */
const PROBE = `(selectors) => selectors.map((selector) => {
  const element = document.querySelector(selector);
  if (!element) return { selector, foreground: 'missing', background: 'missing' };
  const style = getComputedStyle(element);
  const foreground = element instanceof SVGElement ? style.fill : style.color;
  let node = element;
  let background = 'rgb(255, 255, 255)';
  while (node) {
    const candidate = getComputedStyle(node).backgroundColor;
    if (candidate && candidate !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(candidate)) { background = candidate; break; }
    node = node.parentElement;
  }
  return { selector, foreground, background };
})`;

export async function probeColors(frame: Frame, selectors: readonly string[]): Promise<ProbedColors[]> {
  return (await frame.evaluate(`(${PROBE})(${JSON.stringify(selectors)})`)) as ProbedColors[];
}
