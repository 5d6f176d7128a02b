import { h } from './h.ts';

export type PanelState = 'loading' | 'ready' | 'empty' | 'error';

/**
 * The root of a surface: a heading, a line of context under it, and one body that is replaced as a whole
 * on every state change. `data-state` and `aria-busy` tell tests and assistive technology when it settles.
 */
export class Panel {
  readonly #root: HTMLElement;
  readonly #context: HTMLElement;
  readonly #controls: HTMLElement;
  readonly #body: HTMLElement;

  constructor(root: HTMLElement, title: string) {
    this.#context = h('p', { class: 'panel__context' });
    this.#controls = h('div', { class: 'panel__controls' });
    this.#body = h('div', { class: 'panel__body', 'aria-live': 'polite' });
    root.replaceChildren(h('header', { class: 'panel__header' }, h('h1', {}, title), this.#context), this.#controls, this.#body);
    this.#root = root;
  }

  setContext(...parts: Array<Node | string>): void {
    this.#context.replaceChildren(...parts);
  }

  setControls(controls: HTMLElement): void {
    this.#controls.replaceChildren(controls);
  }

  show(state: PanelState, ...content: HTMLElement[]): void {
    this.#root.dataset['state'] = state;
    this.#root.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
    this.#body.replaceChildren(...content);
  }
}
