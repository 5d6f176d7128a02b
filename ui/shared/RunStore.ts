import { z } from 'zod';
import { issuePath } from './issuePath.ts';
import { parseRunRecord } from './parseRunRecord.ts';
import type { StoredRun } from './StoredRun.ts';

/**
 * The part of foundry-js's `Collection` the panel uses. foundry-js (src/abstraction/collection.ts) posts
 * `{type: 'collection', payload: {type: 'search' | 'read', collection, ...}}` to the console and resolves
 * with whatever payload the console answers; it types neither answer and sets no timeout on them.
 */
export interface CollectionPort {
  search(query: { filter: string; offset: string; sort: string; limit: number }): Promise<unknown>;
  read(key: string): Promise<unknown>;
}

export interface RunQuery {
  /** Exact-match terms, see runFilters.ts. Empty for no filter. */
  filter: string;
  /** `field.asc` or `field.desc` on an indexed field. */
  sort: string;
  pageSize: number;
  /** Stop after this many keys: the panel says so rather than reading without bound. */
  maxRuns: number;
}

export interface RejectedRun {
  key: string;
  issues: string[];
}

export type LoadProblem =
  | { kind: 'console-error'; operation: 'search'; messages: string[] }
  | { kind: 'timeout'; operation: 'search'; ms: number }
  | { kind: 'invalid-response'; operation: 'search'; issues: string[] };

export type RunLoad =
  | {
      kind: 'loaded';
      runs: StoredRun[];
      /** Objects found but not shown: unreadable, or not a valid run record. */
      rejected: RejectedRun[];
      /** Matching objects according to the search metadata, when the console reports it. */
      matched: number | null;
      truncated: boolean;
    }
  | { kind: 'failed'; problem: LoadProblem };

export interface RunStoreOptions {
  /** foundry-js waits forever for a collection answer; the panel gives up after this. @default 15_000 */
  timeoutMs?: number;
  /** Parallel reads. The console rate-limits collection calls (the samples pace their reads). @default 4 */
  readConcurrency?: number;
  /** Timer seam for tests. @default setTimeout / clearTimeout */
  schedule?: (callback: () => void, ms: number) => () => void;
}

/**
 * Search answers Falcon's custom storage envelope (gofalcon `CustomType4078359637`): `resources` are
 * object metadata (`api.ObjectMetadata`: object_key, collection_name, schema_version, ...), never the
 * objects themselves, so every run is then read by key.
 */
const searchAnswer = z
  .object({
    resources: z.array(z.object({ object_key: z.string().min(1) }).passthrough()).nullable().optional(),
    meta: z
      .object({ pagination: z.object({ total: z.number().int().nonnegative().optional() }).passthrough().nullable().optional() })
      .passthrough()
      .nullable()
      .optional(),
    errors: z.array(consoleError()).nullable().optional(),
  })
  .passthrough();

const errorAnswer = z.object({ errors: z.array(consoleError()).min(1) }).passthrough();

function consoleError() {
  return z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() }).passthrough();
}

class Timeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

export class RunStore {
  readonly #collection: CollectionPort;
  readonly #timeoutMs: number;
  readonly #readConcurrency: number;
  readonly #schedule: NonNullable<RunStoreOptions['schedule']>;

  constructor(collection: CollectionPort, options: RunStoreOptions = {}) {
    this.#collection = collection;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#readConcurrency = Math.max(1, options.readConcurrency ?? 4);
    this.#schedule =
      options.schedule ??
      ((callback, ms) => {
        const timer = setTimeout(callback, ms);
        return () => clearTimeout(timer);
      });
  }

  async load(query: RunQuery): Promise<RunLoad> {
    const keys: string[] = [];
    const seen = new Set<string>();
    let matched: number | null = null;
    let offset = 0;
    let truncated = false;
    for (;;) {
      const limit = Math.min(query.pageSize, query.maxRuns - keys.length);
      let answer: unknown;
      try {
        answer = await this.#withTimeout(this.#collection.search({ filter: query.filter, offset: String(offset), sort: query.sort, limit }));
      } catch (error) {
        if (error instanceof Timeout) return { kind: 'failed', problem: { kind: 'timeout', operation: 'search', ms: error.ms } };
        return { kind: 'failed', problem: { kind: 'console-error', operation: 'search', messages: [messageOf(error)] } };
      }
      const parsed = searchAnswer.safeParse(answer);
      if (!parsed.success) {
        return { kind: 'failed', problem: { kind: 'invalid-response', operation: 'search', issues: parsed.error.issues.map(describeIssue) } };
      }
      const errors = parsed.data.errors ?? [];
      if (errors.length > 0) return { kind: 'failed', problem: { kind: 'console-error', operation: 'search', messages: errors.map(describeConsoleError) } };
      const resources = parsed.data.resources;
      if (resources === undefined || resources === null) {
        return { kind: 'failed', problem: { kind: 'invalid-response', operation: 'search', issues: ['resources: missing from the search answer'] } };
      }
      matched = parsed.data.meta?.pagination?.total ?? matched;
      for (const { object_key: key } of resources) {
        // Offset pages over a collection that is being written can repeat a key; read each once.
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
      }
      offset += resources.length;
      const exhausted = resources.length < limit || (matched !== null && offset >= matched);
      if (exhausted) break;
      if (keys.length >= query.maxRuns) {
        truncated = true;
        break;
      }
    }
    if (matched !== null && matched > keys.length) truncated = true;
    const { runs, rejected } = await this.#readAll(keys);
    return { kind: 'loaded', runs, rejected, matched, truncated };
  }

  async #readAll(keys: string[]): Promise<{ runs: StoredRun[]; rejected: RejectedRun[] }> {
    const results: Array<StoredRun | RejectedRun> = new Array(keys.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < keys.length) {
        const index = next++;
        results[index] = await this.#readOne(keys[index] as string);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#readConcurrency, keys.length) }, worker));
    const runs: StoredRun[] = [];
    const rejected: RejectedRun[] = [];
    for (const result of results) {
      if ('record' in result) runs.push(result);
      else rejected.push(result);
    }
    return { runs, rejected };
  }

  async #readOne(key: string): Promise<StoredRun | RejectedRun> {
    let answer: unknown;
    try {
      answer = await this.#withTimeout(this.#collection.read(key));
    } catch (error) {
      return { key, issues: [error instanceof Timeout ? `read: no answer within ${error.ms} ms` : `read failed: ${messageOf(error)}`] };
    }
    const parsed = parseRunRecord(answer);
    if (parsed.kind === 'valid') return { key, record: parsed.record };
    const consoleErrors = errorAnswer.safeParse(answer);
    if (consoleErrors.success) return { key, issues: consoleErrors.data.errors.map((e) => `read failed: ${describeConsoleError(e)}`) };
    return { key, issues: parsed.issues };
  }

  #withTimeout<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = this.#schedule(() => reject(new Timeout(this.#timeoutMs)), this.#timeoutMs);
      promise.then(
        (value) => {
          cancel();
          resolve(value);
        },
        (error: unknown) => {
          cancel();
          reject(error instanceof Error ? error : new Error(messageOf(error)));
        },
      );
    });
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

function describeConsoleError(error: { code?: number | string | undefined; message?: string | undefined }): string {
  const message = error.message ?? 'no message';
  return error.code === undefined ? message : `${error.code} ${message}`;
}

function describeIssue(issue: z.ZodIssue): string {
  return `${issuePath(issue.path, '(the answer)')}: ${issue.message}`;
}
