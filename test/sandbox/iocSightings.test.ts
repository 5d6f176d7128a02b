import { describe, expect, it } from 'vitest';
import { IOC_DEVICE_COUNT_PATH, IOC_DEVICES_PATH } from '../../functions/falcon/iocEndpoints.ts';
import type { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { MAX_SIGHTINGS } from '../../sandbox/iocSightings/IocSightings.ts';
import { asHttp, createHarness, envelopeOf, get, issueToken } from './sandboxKit.ts';

const md5 = (n: number): string => n.toString(16).padStart(32, '0');

/** The first md5 values (0, 1, 2, …) whose sightings satisfy the predicate. */
function find(sandbox: FalconSandbox, predicate: (devices: string[]) => boolean, count = 1): string[] {
  const found: string[] = [];
  for (let n = 0; found.length < count && n < 10_000; n++) if (predicate(sandbox.sightings('md5', md5(n)))) found.push(md5(n));
  if (found.length < count) throw new Error('no such indicator in the first 10,000');
  return found;
}

/** Follows the offset tokens from the first page to the last; returns every page. */
function pages(sandbox: FalconSandbox, token: string, value: string, limit = 100): Array<{ ids: string[]; pagination: Record<string, unknown> }> {
  const out: Array<{ ids: string[]; pagination: Record<string, unknown> }> = [];
  let offset: string | undefined;
  for (let i = 0; i < 50; i++) {
    const envelope = envelopeOf(get(sandbox, token, IOC_DEVICES_PATH, { type: 'md5', value, limit, ...(offset ? { offset } : {}) }));
    const pagination = (envelope.meta.pagination ?? {}) as Record<string, unknown>;
    out.push({ ids: (envelope.resources ?? []) as string[], pagination });
    if (typeof pagination['offset'] !== 'string') return out;
    offset = pagination['offset'];
  }
  throw new Error('the devices query never ended');
}

describe('IOC sightings: ground truth', () => {
  it('is a pure function of the seed, the type and the value (case-insensitive), over the hosts dataset ids', () => {
    const a = createHarness({ seed: 5 }).sandbox;
    const b = createHarness({ seed: 5, profile: 'chaos' }).sandbox;
    const other = createHarness({ seed: 6 }).sandbox;
    const [value] = find(a, (d) => d.length > 10) as [string];
    expect(b.sightings('md5', value)).toEqual(a.sightings('md5', value));
    expect(a.sightings('md5', value.toUpperCase())).toEqual(a.sightings('md5', value));
    expect(other.sightings('md5', value)).not.toEqual(a.sightings('md5', value));
    const hosts = a.matchingIds('hosts');
    for (const id of a.sightings('md5', value)) expect(hosts.has(id)).toBe(true);
    expect(new Set(a.sightings('md5', value)).size).toBe(a.sightings('md5', value).length);
  });

  it('spreads from no device to several pages of them, and never past MAX_SIGHTINGS', () => {
    const { sandbox } = createHarness({ seed: 1, sizes: { hosts: 2000 } });
    const counts = Array.from({ length: 200 }, (_, n) => sandbox.sightings('md5', md5(n)).length);
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(20);
    expect(counts.filter((c) => c > 200).length).toBeGreaterThan(20);
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_SIGHTINGS);
  });

  it('refuses a type the IOC endpoints do not take', () => {
    expect(() => createHarness().sandbox.sightings('url', 'https://x.test/')).toThrow(/not an IOC type/);
  });

  it('leaves every dataset as it was', () => {
    const { sandbox } = createHarness({ seed: 2 });
    const before = [...sandbox.matchingIds('hosts')];
    find(sandbox, (d) => d.length > 0, 5);
    expect([...sandbox.matchingIds('hosts')]).toEqual(before);
    expect([...createHarness({ seed: 2 }).sandbox.matchingIds('intel-indicators')]).toEqual([...sandbox.matchingIds('intel-indicators')]);
  });
});

describe('GET /iocs/aggregates/indicators/device-count/v1', () => {
  it('answers the count of the ground truth as api.DeviceCountRespV1', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const [value] = find(sandbox, (d) => d.length > 0) as [string];
    const envelope = envelopeOf(get(sandbox, token, IOC_DEVICE_COUNT_PATH, { type: 'md5', value }));
    expect(envelope.resources).toEqual([{ id: `md5:${value}`, type: 'md5', value, device_count: sandbox.sightings('md5', value).length }]);
    expect(envelope.meta.pagination).toBeUndefined();
    expect(envelope.errors).toEqual([]);
  });

  it('an indicator nobody saw: 404 "Resource Not Found" by default, a count of 0 with iocUnseenReply zero-count', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const [value] = find(sandbox, (d) => d.length === 0) as [string];
    const answer = asHttp(get(sandbox, token, IOC_DEVICE_COUNT_PATH, { type: 'md5', value }));
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ resources: [], errors: [{ code: 404, message: `md5:${value} - Resource Not Found` }] });
    expect(asHttp(get(sandbox, token, IOC_DEVICES_PATH, { type: 'md5', value })).status).toBe(404);

    const zero = createHarness({ knobs: { iocUnseenReply: 'zero-count' } }).sandbox;
    const zeroToken = issueToken(zero);
    expect(envelopeOf(get(zero, zeroToken, IOC_DEVICE_COUNT_PATH, { type: 'md5', value })).resources).toEqual([{ id: `md5:${value}`, type: 'md5', value, device_count: 0 }]);
    const empty = envelopeOf(get(zero, zeroToken, IOC_DEVICES_PATH, { type: 'md5', value }));
    expect(empty.resources).toEqual([]);
    expect(empty.meta.pagination).toEqual({ limit: 100 });
  });

  it.each([
    [{ type: 'url', value: 'https://x.test/' }, "Invalid type 'url'. Valid types include: sha256, md5, domain, ipv4, ipv6"],
    [{ value: md5(1) }, 'type is required'],
    [{ type: 'md5' }, 'value is required'],
    [{ type: 'sha256', value: md5(1) }, 'Invalid value for type sha256: a sha256 is 64 hex characters'],
    [{ type: 'ipv4', value: '300.1.1.1' }, 'Invalid value for type ipv4: not an IPv4 address'],
    [{ type: 'domain', value: 'bad..example' }, 'Invalid value for type domain: not a domain name of 1 to 200 characters'],
  ])('refuses %o with 400: %s', (params, message) => {
    const { sandbox } = createHarness();
    const answer = asHttp(get(sandbox, issueToken(sandbox), IOC_DEVICE_COUNT_PATH, params));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ code: 400, message }] });
  });

  it('takes ipv6 and domains', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    for (const [type, value] of [['ipv6', '2001:db8::7'], ['domain', 'update-abcde.example.com'], ['ipv4', '10.0.0.1']] as const) {
      expect([200, 404]).toContain(asHttp(get(sandbox, token, IOC_DEVICE_COUNT_PATH, { type, value })).status);
    }
  });
});

describe('GET /iocs/queries/indicators/devices/v1', () => {
  it('pages the ground truth with opaque string offsets, limit in meta, no total; the last page has no offset', () => {
    const { sandbox } = createHarness({ sizes: { hosts: 2000 } });
    const token = issueToken(sandbox);
    const [value] = find(sandbox, (d) => d.length > 200) as [string];
    const all = pages(sandbox, token, value);
    expect(all.length).toBe(3);
    expect(all.flatMap((p) => p.ids)).toEqual(sandbox.sightings('md5', value));
    for (const page of all.slice(0, -1)) {
      expect(page.ids).toHaveLength(100);
      expect(Object.keys(page.pagination).sort()).toEqual(['limit', 'offset']);
      expect(page.pagination['offset']).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(page.pagination['offset']).not.toMatch(/^\d+$/);
    }
    expect(all.at(-1)?.pagination).toEqual({ limit: 100 });
  });

  it('takes a decimal offset too, and refuses a token of another indicator or a limit above 100', () => {
    const { sandbox } = createHarness({ sizes: { hosts: 2000 } });
    const token = issueToken(sandbox);
    const [a, b] = find(sandbox, (d) => d.length > 150, 2) as [string, string];
    expect(envelopeOf(get(sandbox, token, IOC_DEVICES_PATH, { type: 'md5', value: a, limit: 10, offset: '20' })).resources).toEqual(sandbox.sightings('md5', a).slice(20, 30));
    const next = String(envelopeOf(get(sandbox, token, IOC_DEVICES_PATH, { type: 'md5', value: a })).meta.pagination?.offset);
    const foreign = asHttp(get(sandbox, token, IOC_DEVICES_PATH, { type: 'md5', value: b, offset: next }));
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.body)).toMatchObject({ errors: [{ code: 400, message: 'invalid offset: use the offset the previous page returned' }] });
    expect(asHttp(get(sandbox, token, IOC_DEVICES_PATH, { type: 'md5', value: a, limit: 101 })).status).toBe(400);
  });

  it('sparse-final-page: one short page without an offset per indicator, while devices remain', () => {
    const { sandbox } = createHarness({ profile: 'sparse-final-page', sizes: { hosts: 2000 } });
    const token = issueToken(sandbox);
    const [value] = find(sandbox, (d) => d.length > 250) as [string];
    const first = pages(sandbox, token, value);
    expect(first.map((p) => p.ids.length)).toEqual([100, 50]);
    expect(first.at(-1)?.pagination).toEqual({ limit: 100 });
    const again = pages(sandbox, token, value);
    expect(again.flatMap((p) => p.ids)).toEqual(sandbox.sightings('md5', value));
  });
});

describe('IOC sightings: auth, rate limit and faults', () => {
  it('401 without a token; the per-CID rate limit answers 429 with Retryafter', () => {
    const { sandbox } = createHarness({ knobs: { rateLimitPerMinute: 2 } });
    expect(asHttp(get(sandbox, null, IOC_DEVICE_COUNT_PATH, { type: 'md5', value: md5(1) })).status).toBe(401);
    const token = issueToken(sandbox);
    get(sandbox, token, IOC_DEVICE_COUNT_PATH, { type: 'md5', value: md5(1) });
    get(sandbox, token, IOC_DEVICES_PATH, { type: 'md5', value: md5(1) });
    const limited = asHttp(get(sandbox, token, IOC_DEVICE_COUNT_PATH, { type: 'md5', value: md5(1) }));
    expect(limited.status).toBe(429);
    expect(limited.headers['X-Ratelimit-Retryafter']).toMatch(/^\d+$/);
  });

  it("ttl-vs-backoff: every 4th call of each endpoint answers the profile's injected 429", () => {
    const { sandbox } = createHarness({ profile: 'ttl-vs-backoff' });
    const token = issueToken(sandbox);
    const statuses = Array.from({ length: 8 }, (_, n) => asHttp(get(sandbox, token, IOC_DEVICE_COUNT_PATH, { type: 'md5', value: md5(n) })).status);
    expect(statuses.map((s) => s === 429)).toEqual([false, false, false, true, false, false, false, true]);
  });

  it('flaky and errors-in-200 profiles reach the endpoints too', () => {
    const seen = new Set<string>();
    for (const profile of ['flaky', 'errors-in-200'] as const) {
      const { sandbox } = createHarness({ profile, seed: 3 });
      const token = issueToken(sandbox);
      for (let n = 0; n < 60; n++) {
        const answer = get(sandbox, token, IOC_DEVICE_COUNT_PATH, { type: 'md5', value: md5(n) });
        if (answer.kind === 'network-error') seen.add('reset');
        else if (answer.status >= 500) seen.add('5xx');
        else if (answer.status === 200 && (JSON.parse(answer.body) as { errors: unknown[] }).errors.length > 0) seen.add('errors-in-200');
      }
    }
    expect([...seen].sort()).toEqual(['5xx', 'errors-in-200', 'reset']);
  });
});
