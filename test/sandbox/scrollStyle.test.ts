import { describe, expect, it } from 'vitest';
import { ascendingSort, STREAMS } from '../../functions/falcon/streams.ts';
import { asHttp, createHarness, envelopeOf, get, issueToken } from './sandboxKit.ts';

const HOSTS = STREAMS['hosts-scroll'];

describe('style B: devices scroll', () => {
  it('keeps one token, slides expires_at in ns, fixes the page size, and ends with total 0 and offset ""', () => {
    const { sandbox, clock } = createHarness();
    const token = issueToken(sandbox);
    const filter = "platform_name:'Windows'";
    const expected = sandbox.matchingIds('hosts', filter);
    const first = envelopeOf(get(sandbox, token, HOSTS.path, { limit: 50, sort: ascendingSort(HOSTS), filter }));
    const scroll = first.meta.pagination?.offset;
    expect(typeof scroll).toBe('string');
    expect(String(scroll)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(first.meta.pagination).toEqual({ total: expected.size, offset: scroll, expires_at: (clock.now + 120_000) * 1_000_000 });
    const ids = [...(first.resources as string[])];
    expect(ids).toHaveLength(50);

    for (;;) {
      clock.advance(5_000);
      // Later calls send only the token; a different limit does not change the page size.
      const page = envelopeOf(get(sandbox, token, HOSTS.path, { offset: String(scroll), limit: 7 }));
      const resources = page.resources as string[];
      if (page.meta.pagination?.offset === '') {
        expect(page.meta.pagination).toEqual({ total: 0, offset: '' });
        expect(resources).toEqual([]);
        break;
      }
      expect(page.meta.pagination?.offset).toBe(scroll);
      expect(page.meta.pagination?.expires_at).toBe((clock.now + 120_000) * 1_000_000);
      expect(resources.length === 50 || ids.length + resources.length === expected.size).toBe(true);
      ids.push(...resources);
    }
    expect(ids).toHaveLength(expected.size);
    expect(new Set(ids)).toEqual(expected);
  });

  it('serves the snapshot taken at creation, not live data', () => {
    const { sandbox, clock } = createHarness({ knobs: { mutationsPerMinute: { inserts: 600, deletes: 600 } } });
    const token = issueToken(sandbox);
    const first = envelopeOf(get(sandbox, token, HOSTS.path, { limit: 100 }));
    const total = first.meta.pagination?.total;
    clock.advance(10_000);
    const second = envelopeOf(get(sandbox, token, HOSTS.path, { offset: String(first.meta.pagination?.offset) }));
    expect(second.meta.pagination?.total).toBe(total);
  });

  it('expires after the idle TTL with the configurable status and the Spotlight-shaped body', () => {
    for (const status of [404, 400] as const) {
      const { sandbox, clock } = createHarness({ knobs: { expiredCursorStatus: status } });
      const token = issueToken(sandbox);
      const first = envelopeOf(get(sandbox, token, HOSTS.path, { limit: 10 }));
      clock.advance(120_001);
      const expired = get(sandbox, token, HOSTS.path, { offset: String(first.meta.pagination?.offset) });
      expect(asHttp(expired).status).toBe(status);
      const envelope = envelopeOf(expired);
      expect(envelope.meta.pagination).toEqual({ limit: 100, total: 0, after: '' });
      expect(envelope.resources).toEqual([]);
      expect(envelope.errors).toEqual([{ code: status, message: "Search context expired, 'after' key no longer valid" }]);
    }
  });

  it('refuses an unknown token the same way', () => {
    const { sandbox } = createHarness();
    const answer = get(sandbox, issueToken(sandbox), HOSTS.path, { offset: 'RG5GMVpYSjVWR2hsYmtabGRHTm8=' });
    expect(asHttp(answer).status).toBe(404);
  });

  it('takes either separator (issue #13) but refuses an undocumented sort field', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    expect(asHttp(get(sandbox, token, HOSTS.path, { sort: 'first_seen|asc' })).status).toBe(200);
    expect(asHttp(get(sandbox, token, HOSTS.path, { sort: 'no_such_field.asc' })).status).toBe(400);
  });
});
