import type { StreamName } from '../../functions/falcon/streams.ts';
import type { Random } from '../random.ts';
import { IdleStore } from './IdleStore.ts';

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
  readonly #scrolls = new IdleStore<Scroll>();

  constructor(readonly random: Random) {}

  create(stream: StreamName, ids: readonly string[], pageSize: number, nowMs: number): Scroll {
    // Real tokens are Elasticsearch scroll ids: base64 of "\u000equeryThenFetch" and shard state.
    const raw = `\u000equeryThenFetch\u0005${this.random.alphanumeric(60)}`;
    const token = Buffer.from(raw, 'latin1').toString('base64');
    return this.#scrolls.add(token, { token, stream, ids, pageSize, position: 0, lastUsedMs: nowMs, pagesServed: 0, sparseFired: false });
  }

  /** The scroll if it exists and has been used within `ttlMs`; an expired one is forgotten. */
  live(token: string, stream: StreamName, nowMs: number, ttlMs: number): Scroll | null {
    return this.#scrolls.live(token, stream, nowMs, ttlMs);
  }

  delete(token: string): void {
    this.#scrolls.delete(token);
  }
}
