import type { DatasetName } from '../../sandbox/datasets/DatasetName.ts';
import type { ProfileName } from '../../sandbox/profiles.ts';
import { inProcessSandbox } from '../../sandbox/inProcessSandbox.ts';
import { afterTokenOf, ascendingSort, STREAMS, type StreamName } from '../../functions/falcon/streams.ts';

export interface NaiveReport {
  expected: number;
  exported: number;
  missing: number;
  /** Records received again after they were already exported. */
  duplicates: number;
  /** API calls, tokens excluded. */
  calls: number;
  /** Matching records when the export started (what the optimal call count is measured against). */
  totalAtStart: number;
  virtualMs: number;
}

export interface NaiveOptions {
  /** Dataset sizes of the sandbox; its defaults otherwise. */
  sizes?: Partial<Record<DatasetName, number>>;
}

/**
 * The loop of the field report, as integrations really write it: follow the cursor, stop on an empty
 * or short page, stop quietly on any error, and after a 429 sleep until Retryafter (by the local clock)
 * and send the same cursor again. It exists to prove that the sandbox reproduces the data loss.
 */
export async function naiveExport(stream: StreamName, profile: ProfileName, seed = 7, options: NaiveOptions = {}): Promise<NaiveReport> {
  const spec = STREAMS[stream];
  const { sandbox, clock, clientClock: local, transport, auth } = inProcessSandbox({ seed, profile, ...(options.sizes ? { sizes: options.sizes } : {}) });
  const startIds = sandbox.matchingIds(stream, '');
  const startedAt = clock.nowMs();
  const exported = new Set<string>();
  let duplicates = 0;
  const keep = (id: string): void => {
    if (exported.has(id)) duplicates++;
    else exported.add(id);
  };
  let calls = 0;
  const call = async (method: 'GET' | 'POST', path: string, body: string | null) => {
    calls++;
    return transport({
      method,
      url: auth.baseUrl + path,
      headers: { Authorization: `Bearer ${await auth.bearer()}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body,
      timeoutMs: 30_000,
    });
  };
  const limit = spec.pageLimit;
  let offset = 0;
  let token = '';
  let nextPage: string | null = null;
  const sort = ascendingSort(spec);
  for (let guard = 0; guard < 5000; guard++) {
    let method: 'GET' | 'POST' = 'GET';
    let path: string;
    let body: string | null = null;
    switch (spec.style) {
      case 'offset':
        path = `${spec.path}?limit=${limit}&offset=${offset}&sort=${encodeURIComponent(sort)}`;
        break;
      case 'scroll':
        path = `${spec.path}?limit=${limit}&sort=${encodeURIComponent(sort)}${token ? `&offset=${encodeURIComponent(token)}` : ''}`;
        break;
      case 'after-query':
        path = `${spec.path}?limit=${limit}&sort=${encodeURIComponent(sort)}${token ? `&${afterTokenOf(spec).param}=${encodeURIComponent(token)}` : ''}${spec.filterRequired ? `&filter=${encodeURIComponent("created_timestamp:>='1970-01-01T00:00:00.000Z'")}` : ''}`;
        break;
      case 'after-body':
        method = 'POST';
        path = spec.path;
        body = JSON.stringify(token ? { limit, sort, after: token } : { limit, sort });
        break;
      case 'marker':
        path = nextPage ?? `${spec.path}?limit=${limit}&sort=${encodeURIComponent(sort)}`;
        break;
    }
    const res = await call(method, path, body);
    if (res.kind !== 'response') break;
    if (res.status === 429) {
      const header = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'x-ratelimit-retryafter')?.[1];
      const waitMs = header ? Number(header) * 1000 - local.nowMs() : 1000;
      await clock.sleep(Math.max(waitMs, 0));
      continue;
    }
    if (res.status === 401) {
      await auth.refresh();
      continue;
    }
    if (res.status !== 200) break;
    const json = JSON.parse(res.body) as {
      resources?: unknown[] | null;
      meta?: { pagination?: { offset?: number | string; after?: string; next?: string } };
    };
    const resources = json.resources ?? [];
    if (spec.hydrate) {
      const ids = resources as string[];
      for (let i = 0; i < ids.length; i += spec.hydrate.maxIds) {
        const entities = await call('POST', spec.hydrate.path, JSON.stringify({ [spec.hydrate.idsKey]: ids.slice(i, i + spec.hydrate.maxIds) }));
        if (entities.kind !== 'response' || entities.status !== 200) continue;
        for (const r of (JSON.parse(entities.body) as { resources?: Array<Record<string, unknown>> }).resources ?? []) {
          keep(String(r[spec.idField]));
        }
      }
    } else {
      for (const r of resources as Array<Record<string, unknown>>) keep(String(r[spec.idField]));
    }
    if (resources.length === 0 || resources.length < limit) break;
    const pagination = json.meta?.pagination;
    offset += resources.length;
    token = spec.style === 'scroll' ? String(pagination?.offset ?? '') : String(pagination?.[afterTokenOf(spec).field] ?? '');
    nextPage = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'next-page')?.[1] ?? null;
    if ((spec.style === 'after-body' || spec.style === 'after-query' || spec.style === 'scroll') && !token) break;
    if (spec.style === 'marker' && !nextPage) break;
  }
  const endIds = sandbox.matchingIds(stream, '');
  const expected = [...startIds].filter((id) => endIds.has(id));
  const missing = expected.filter((id) => !exported.has(id)).length;
  return { expected: expected.length, exported: exported.size, missing, duplicates, calls, totalAtStart: startIds.size, virtualMs: clock.nowMs() - startedAt };
}
