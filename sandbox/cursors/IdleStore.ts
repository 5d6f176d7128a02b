import type { StreamName } from '../../functions/falcon/streams.ts';

/** What the server keeps for a cursor: the stream it was made for and when it was last used. */
export interface IdleEntry {
  readonly stream: StreamName;
  lastUsedMs: number;
}

/** Server-side cursor state that dies after `ttlMs` without use (scrolls and `after` contexts alike). */
export class IdleStore<T extends IdleEntry> {
  readonly #entries = new Map<string, T>();

  add(key: string, entry: T): T {
    this.#entries.set(key, entry);
    return entry;
  }

  /** The entry if it exists for this stream and has been used within `ttlMs`; an expired one is forgotten. */
  live(key: string, stream: StreamName, nowMs: number, ttlMs: number): T | null {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.stream !== stream) return null;
    if (nowMs - entry.lastUsedMs > ttlMs) {
      this.#entries.delete(key);
      return null;
    }
    return entry;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
