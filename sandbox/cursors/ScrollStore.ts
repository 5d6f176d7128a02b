import type { StreamName } from '../../functions/falcon/streams.ts';
import type { Random } from '../random.ts';

/** A devices scroll: a snapshot of matching ids, paged with the size fixed at creation. */
export interface Scroll {
  readonly token: string;
  readonly stream: StreamName;
  readonly ids: readonly string[];
  readonly pageSize: number;
  position: number;
  lastUsedMs: number;
  pagesServed: number;
  sparseFired: boolean;
}

/** Live scrolls by token. The token is opaque, base64, and identical on every page of its scroll. */
export class ScrollStore {
  readonly #scrolls = new Map<string, Scroll>();

  constructor(readonly random: Random) {}

  create(stream: StreamName, ids: readonly string[], pageSize: number, nowMs: number): Scroll {
    // Real tokens are Elasticsearch scroll ids: base64 of "\u000equeryThenFetch" and shard state.
    const raw = `\u000equeryThenFetch\u0005${this.random.alphanumeric(60)}`;
    const token = Buffer.from(raw, 'latin1').toString('base64');
    const scroll: Scroll = { token, stream, ids, pageSize, position: 0, lastUsedMs: nowMs, pagesServed: 0, sparseFired: false };
    this.#scrolls.set(token, scroll);
    return scroll;
  }

  /** The scroll if it exists and has been used within `ttlMs`; an expired one is forgotten. */
  live(token: string, stream: StreamName, nowMs: number, ttlMs: number): Scroll | null {
    const scroll = this.#scrolls.get(token);
    if (scroll === undefined || scroll.stream !== stream) return null;
    if (nowMs - scroll.lastUsedMs > ttlMs) {
      this.#scrolls.delete(token);
      return null;
    }
    return scroll;
  }

  delete(token: string): void {
    this.#scrolls.delete(token);
  }
}
