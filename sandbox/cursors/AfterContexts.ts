import type { StreamName } from '../../functions/falcon/streams.ts';
import type { Random } from '../random.ts';
import { IdleStore } from './IdleStore.ts';

/** Server state behind a chain of `after` tokens: only what is needed to refuse or expire it. */
export interface AfterContext {
  readonly id: string;
  readonly stream: StreamName;
  readonly sort: string;
  lastUsedMs: number;
  pagesServed: number;
  sparseFired: boolean;
}

/** What an `after` token carries: its context and the sort key of the last record returned. */
export interface AfterPosition {
  contextId: string;
  key: string;
  id: string;
  /** A record held back from the page that made this token (outOfOrderRate), served first on the next one. */
  heldId?: string;
}

/**
 * Search-after contexts. The position lives in the token, not on the server, so re-sending a token
 * (a retry after a lost response) re-serves the same page, and inserts or deletes never shift pages.
 * For the same reason two workers sharing an `after` token do no harm: each page depends only on the
 * token, never on who asked before (unlike a devices scroll, whose position is server state).
 */
export class AfterContexts {
  readonly #contexts = new IdleStore<AfterContext>();

  constructor(readonly random: Random) {}

  create(stream: StreamName, sort: string, nowMs: number): AfterContext {
    const id = this.random.hex(20);
    return this.#contexts.add(id, { id, stream, sort, lastUsedMs: nowMs, pagesServed: 0, sparseFired: false });
  }

  /** The context if it exists for this stream and has been used within `ttlMs`; an expired one is forgotten. */
  live(contextId: string, stream: StreamName, nowMs: number, ttlMs: number): AfterContext | null {
    return this.#contexts.live(contextId, stream, nowMs, ttlMs);
  }

  delete(contextId: string): void {
    this.#contexts.delete(contextId);
  }

  static encode(position: AfterPosition): string {
    const held = position.heldId === undefined ? {} : { h: position.heldId };
    return Buffer.from(JSON.stringify({ v: 1, c: position.contextId, k: position.key, i: position.id, ...held }), 'utf8').toString('base64url');
  }

  /** Null for anything that is not a token we made (garbage is treated like an expired context). */
  static decode(token: string): AfterPosition | null {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null) return null;
      const { c, k, i, h } = parsed as Record<string, unknown>;
      if (typeof c !== 'string' || typeof k !== 'string' || typeof i !== 'string' || (h !== undefined && typeof h !== 'string')) return null;
      return { contextId: c, key: k, id: i, ...(h === undefined ? {} : { heldId: h }) };
    } catch {
      return null;
    }
  }
}
