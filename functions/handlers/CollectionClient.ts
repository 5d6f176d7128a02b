import { firstErrorMessage } from '../falcon/envelope.ts';
import type { FunctionHost } from './FunctionHost.ts';

export type StorageResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

const PREFIX = '/customobjects/v1/collections';
const TIMEOUT_MS = 10_000;

/**
 * Foundry custom storage over the host's transport (PUT/GET/DELETE objects, POST search). One attempt per
 * call, plus one token refresh on 401: a failed write is reported to the caller, whose response still
 * carries the checkpoint, so nothing is lost when storage is down.
 */
export class CollectionClient {
  readonly #host: FunctionHost;

  constructor(host: FunctionHost) {
    this.#host = host;
  }

  async put(collection: string, key: string, object: unknown): Promise<StorageResult<null>> {
    const answer = await this.#send('PUT', objectPath(collection, key), JSON.stringify(object));
    return answer.ok ? { ok: true, value: null } : answer;
  }

  /** The stored object, or null when the key does not exist. */
  async get(collection: string, key: string): Promise<StorageResult<unknown>> {
    const answer = await this.#send('GET', objectPath(collection, key), null);
    if (!answer.ok) return answer.status === 404 ? { ok: true, value: null } : answer;
    try {
      return { ok: true, value: JSON.parse(answer.value) as unknown };
    } catch {
      return { ok: false, status: 502, message: `custom storage returned an object of ${collection} that is not JSON` };
    }
  }

  async delete(collection: string, key: string): Promise<StorageResult<boolean>> {
    const answer = await this.#send('DELETE', objectPath(collection, key), null);
    if (!answer.ok) return answer.status === 404 ? { ok: true, value: false } : answer;
    return { ok: true, value: true };
  }

  /** Object keys matching an exact-match filter, in the given sort order. */
  async search(collection: string, query: { filter: string; sort: string; limit: number; offset?: number }): Promise<StorageResult<string[]>> {
    const params = new URLSearchParams({ filter: query.filter, sort: query.sort, limit: String(query.limit), offset: String(query.offset ?? 0) });
    const answer = await this.#send('POST', `${PREFIX}/${encodeURIComponent(collection)}/objects?${params.toString()}`, '');
    if (!answer.ok) return answer;
    try {
      const body = JSON.parse(answer.value) as { resources?: Array<{ object_key?: unknown }> };
      const keys = (body.resources ?? []).map((r) => r.object_key).filter((k): k is string => typeof k === 'string');
      return { ok: true, value: keys };
    } catch {
      return { ok: false, status: 502, message: `custom storage search of ${collection} returned a body that is not JSON` };
    }
  }

  async #send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: string | null): Promise<StorageResult<string>> {
    for (let attempt = 0; ; attempt++) {
      let bearer: string;
      try {
        bearer = await this.#host.auth.bearer();
      } catch (error) {
        return { ok: false, status: 401, message: `could not get a token for custom storage: ${error instanceof Error ? error.message : String(error)}` };
      }
      const answer = await this.#host.transport({
        method,
        url: this.#host.auth.baseUrl + path,
        headers: {
          Authorization: `Bearer ${bearer}`,
          'X-CS-APP-ID': this.#host.appId,
          Accept: 'application/json',
          ...(body === null ? {} : { 'Content-Type': 'application/json' }),
        },
        body,
        timeoutMs: TIMEOUT_MS,
      });
      if (answer.kind === 'error') return { ok: false, status: 503, message: `custom storage ${method} failed: ${answer.message}` };
      if (answer.status === 401 && attempt === 0) {
        const refreshed = await this.#host.auth.refresh();
        if (refreshed.ok) continue;
      }
      if (answer.status >= 200 && answer.status < 300) return { ok: true, value: answer.body };
      return { ok: false, status: answer.status, message: `custom storage ${method} answered ${answer.status}: ${firstErrorMessage(answer.body) ?? answer.body.slice(0, 200)}` };
    }
  }
}

function objectPath(collection: string, key: string): string {
  return `${PREFIX}/${encodeURIComponent(collection)}/objects/${encodeURIComponent(key)}`;
}

