import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { Io } from '../engine/Io.ts';
import { firstErrorMessage } from '../falcon/envelope.ts';
import type { FunctionContext } from './FunctionContext.ts';

export type StorageResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

const PREFIX = '/customobjects/v1/collections';
const TIMEOUT_MS = 10_000;

/**
 * Foundry custom storage (PUT/GET/DELETE objects, POST search), asked of the host as HTTP commands. One
 * attempt per call, plus one re-authentication on 401: a failed write is reported to the caller, whose
 * response still carries the checkpoint, so nothing is lost when storage is down.
 */
export class CollectionClient {
  readonly #context: FunctionContext;

  constructor(context: FunctionContext) {
    this.#context = context;
  }

  *put(collection: string, key: string, object: unknown): Io<StorageResult<null>> {
    const answer = yield* this.#send('PUT', objectPath(collection, key), JSON.stringify(object));
    return answer.ok ? { ok: true, value: null } : answer;
  }

  /** The stored object, or null when the key does not exist. */
  *get(collection: string, key: string): Io<StorageResult<unknown>> {
    const answer = yield* this.#send('GET', objectPath(collection, key), null);
    if (!answer.ok) return answer.status === 404 ? { ok: true, value: null } : answer;
    try {
      return { ok: true, value: JSON.parse(answer.value) as unknown };
    } catch {
      return { ok: false, status: 502, message: `custom storage returned an object of ${collection} that is not JSON` };
    }
  }

  *delete(collection: string, key: string): Io<StorageResult<boolean>> {
    const answer = yield* this.#send('DELETE', objectPath(collection, key), null);
    if (!answer.ok) return answer.status === 404 ? { ok: true, value: false } : answer;
    return { ok: true, value: true };
  }

  /** Object keys matching an exact-match filter, in the given sort order. */
  *search(collection: string, query: { filter: string; sort: string; limit: number; offset?: number }): Io<StorageResult<string[]>> {
    const params = [`filter=${encodeURIComponent(query.filter)}`, `sort=${encodeURIComponent(query.sort)}`, `limit=${query.limit}`, `offset=${query.offset ?? 0}`].join('&');
    const answer = yield* this.#send('POST', `${PREFIX}/${encodeURIComponent(collection)}/objects?${params}`, '');
    if (!answer.ok) return answer;
    try {
      const body = JSON.parse(answer.value) as { resources?: Array<{ object_key?: unknown }> };
      const keys = (body.resources ?? []).map((r) => r.object_key).filter((k): k is string => typeof k === 'string');
      return { ok: true, value: keys };
    } catch {
      return { ok: false, status: 502, message: `custom storage search of ${collection} returned a body that is not JSON` };
    }
  }

  *#send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: string | null): Io<StorageResult<string>> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { Accept: 'application/json', ...(body === null ? {} : { 'Content-Type': 'application/json' }) };
      // Foundry adds the app id in the cloud; a local run names its app itself.
      if (this.#context.appId !== '') headers['X-CS-APP-ID'] = this.#context.appId;
      const answer: EngineEvent = yield { kind: 'http', request: { method, path, headers, body }, timeoutMs: TIMEOUT_MS };
      if (answer.kind === 'http-error') return { ok: false, status: 503, message: `custom storage ${method} failed: ${answer.message}` };
      if (answer.kind !== 'http-response') return { ok: false, status: 500, message: `custom storage ${method}: the host answered ${answer.kind}` };
      if (answer.status === 401 && attempt === 0) {
        const refreshed: EngineEvent = yield { kind: 'authenticate' };
        if (refreshed.kind === 'authenticated' && refreshed.ok) continue;
      }
      if (answer.status >= 200 && answer.status < 300) return { ok: true, value: answer.body };
      return { ok: false, status: answer.status, message: `custom storage ${method} answered ${answer.status}: ${firstErrorMessage(answer.body) ?? answer.body.slice(0, 200)}` };
    }
  }
}

function objectPath(collection: string, key: string): string {
  return `${PREFIX}/${encodeURIComponent(collection)}/objects/${encodeURIComponent(key)}`;
}
