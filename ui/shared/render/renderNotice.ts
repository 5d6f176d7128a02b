import { h, type Child } from './h.ts';

export type NoticeKind = 'loading' | 'empty' | 'error' | 'warning' | 'info';

/** Loading, empty and error states share one shape: a title that says what happened, lines that say what to do. */
export function renderNotice(kind: NoticeKind, title: string, lines: readonly Child[] = []): HTMLElement {
  // Errors interrupt a screen reader; everything else waits its turn.
  const role = kind === 'error' ? 'alert' : 'status';
  return h(
    'div',
    { class: `notice notice--${kind}`, role, 'data-notice': kind },
    h('p', { class: 'notice__title' }, kind === 'loading' ? h('span', { class: 'spinner', 'aria-hidden': 'true' }) : null, title),
    ...lines.map((line) => h('p', { class: 'notice__line' }, line)),
  );
}
