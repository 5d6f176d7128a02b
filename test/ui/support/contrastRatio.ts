/** WCAG 2.x contrast ratio of two CSS colours as getComputedStyle reports them (`rgb(...)` / `rgba(...)`). */
export function contrastRatio(foreground: string, background: string): number {
  const fg = parseRgb(foreground);
  const bg = parseRgb(background);
  // A translucent foreground is seen over the background.
  const blended = fg.map((c, i) => (i < 3 ? c * (fg[3] ?? 1) + (bg[i] ?? 0) * (1 - (fg[3] ?? 1)) : 1));
  const [l1, l2] = [luminance(blended), luminance(bg)].sort((a, b) => b - a) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

function parseRgb(color: string): number[] {
  const match = /^rgba?\(([^)]+)\)$/.exec(color.trim());
  if (!match?.[1]) throw new Error(`not an rgb() colour: ${color}`);
  const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
}

function luminance([r, g, b]: number[]): number {
  const channel = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r ?? 0) + 0.7152 * channel(g ?? 0) + 0.0722 * channel(b ?? 0);
}
