import type { VerdictBadge } from '../verdictBadge.ts';
import { h } from './h.ts';

export function renderVerdictBadge(badge: VerdictBadge): HTMLElement {
  return h('span', { class: `badge badge--${badge.kind}`, title: badge.explanation, 'data-verdict': badge.kind }, h('span', { class: 'badge__icon', 'aria-hidden': 'true' }, ICONS[badge.kind]), badge.text);
}

// Glyphs repeat the colour's meaning for readers who cannot tell the badges apart by colour.
const ICONS: Readonly<Record<VerdictBadge['kind'], string>> = {
  complete: '✓',
  has_more: '↻',
  failed: '✕',
};
