import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import type { FalconSandbox, SandboxResponse } from '../../sandbox/FalconSandbox.ts';
import { isProfileName, knobsFor, PROFILE_NAMES } from '../../sandbox/profiles.ts';
import { asHttp, BASE_URL, createHarness, envelopeOf, get, idsOf, issueToken, type VirtualClock } from './sandboxKit.ts';

const HOSTS = STREAMS['hosts-scroll'];
const VULNS = STREAMS.vulnerabilities;
const IOCS = STREAMS.iocs;
const INTEL = STREAMS['intel-indicators'];
const ALERT_IDS = STREAMS['alert-ids'];
const ALL = "created_timestamp:>='2000-01-01T00:00:00Z'";

describe('profile catalog', () => {
  it('resolves every profile; only clean runs on still data', () => {
    for (const name of PROFILE_NAMES) {
      expect(isProfileName(name)).toBe(true);
      const { mutationsPerMinute } = knobsFor(name);
      expect(mutationsPerMinute.inserts > 0, name).toBe(name !== 'clean');
    }
    expect(isProfileName('nope')).toBe(false);
  });
});

describe('sparse-final-page', () => {
  it('ends an after chain early: a short page and after: "" while total says more', () => {
    const { sandbox } = createHarness({ profile: 'sparse-final-page' });
    const token = issueToken(sandbox);
    const ids: string[] = [];
    let after = '';
    let last = envelopeOf(get(sandbox, token, VULNS.path, { filter: ALL, limit: 100 }));
    for (;;) {
      ids.push(...idsOf(last, 'id'));
      after = String(last.meta.pagination?.after ?? '');
      if (after === '') break;
      last = envelopeOf(get(sandbox, token, VULNS.path, { filter: ALL, limit: 100, after }));
    }
    expect(last.resources).toHaveLength(50);
    expect(last.meta.pagination?.total).toBe(500);
    expect(ids).toHaveLength(450);
  });

  it('ends a scroll early with offset "" and total 0', () => {
    const { sandbox } = createHarness({ profile: 'sparse-final-page' });
    const token = issueToken(sandbox);
    const first = envelopeOf(get(sandbox, token, HOSTS.path, { limit: 100 }));
    const scroll = String(first.meta.pagination?.offset);
    const sizes = [first.resources?.length];
    for (;;) {
      const page = envelopeOf(get(sandbox, token, HOSTS.path, { offset: scroll }));
      sizes.push(page.resources?.length);
      if (page.meta.pagination?.offset === '') {
        expect(page.meta.pagination).toEqual({ total: 0, offset: '' });
        break;
      }
    }
    expect(sizes).toEqual([100, 100, 100, 50]);
  });

  it('drops Next-Page with a short intel page once', () => {
    const { sandbox } = createHarness({ profile: 'sparse-final-page' });
    const token = issueToken(sandbox);
    let answer = asHttp(get(sandbox, token, INTEL.path, { limit: 100 }));
    const sizes: number[] = [];
    for (;;) {
      sizes.push(envelopeOf(answer).resources?.length ?? 0);
      const next = answer.headers['Next-Page'];
      if (next === undefined) break;
      answer = asHttp(sandbox.handle({ method: 'GET', url: `${BASE_URL}${next}`, headers: { authorization: `Bearer ${token}` } }));
    }
    expect(sizes).toEqual([100, 100, 100, 100, 100, 100, 50]);
  });

  it('serves one short offset page mid-run with total unchanged', () => {
    const { sandbox } = createHarness({ profile: 'sparse-final-page' });
    const token = issueToken(sandbox);
    const short = envelopeOf(get(sandbox, token, ALERT_IDS.path, { limit: 100, offset: 100 }));
    expect(short.resources).toHaveLength(50);
    expect(short.meta.pagination).toEqual({ offset: 100, limit: 100, total: 600 });
    expect(envelopeOf(get(sandbox, token, ALERT_IDS.path, { limit: 100, offset: 200 })).resources).toHaveLength(100);
  });
});

describe('ttl-vs-backoff and clock-skew', () => {
  it('ttl-vs-backoff: the 4th list call waits 45 s, longer than the 30 s cursor TTL', () => {
    const { sandbox, clock } = createHarness({ profile: 'ttl-vs-backoff' });
    expect(sandbox.knobs.cursorTtlMs).toBe(30_000);
    const token = issueToken(sandbox);
    const first = envelopeOf(get(sandbox, token, HOSTS.path, { limit: 10 }));
    const scroll = String(first.meta.pagination?.offset);
    expect(asHttp(get(sandbox, token, HOSTS.path, { offset: scroll })).status).toBe(200);
    expect(asHttp(get(sandbox, token, HOSTS.path, { offset: scroll })).status).toBe(200);
    const limited = asHttp(get(sandbox, token, HOSTS.path, { offset: scroll }));
    expect(limited.status).toBe(429);
    expect(limited.headers['X-Ratelimit-Retryafter']).toBe(String(Math.ceil((clock.now + 45_000) / 1000)));
    clock.advance(45_000);
    expect(asHttp(get(sandbox, token, HOSTS.path, { offset: scroll })).status).toBe(404);
  });

  it('clock-skew: tells the harness to skew the client 5 min and 429s every 4th list call for 20 s', () => {
    const { sandbox, clock } = createHarness({ profile: 'clock-skew' });
    expect(sandbox.knobs.clientClockSkewMs).toBe(-300_000);
    const token = issueToken(sandbox);
    const statuses = [0, 1, 2, 3].map((offset) => asHttp(get(sandbox, token, ALERT_IDS.path, { limit: 10, offset })));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 429]);
    expect(statuses[3]?.headers['X-Ratelimit-Retryafter']).toBe(String(Math.ceil((clock.now + 20_000) / 1000)));
    expect(statuses[3]?.headers['Date']).toBe(new Date(clock.now).toUTCString());
  });
});

describe('shared-token', () => {
  it('loses a page to the phantom worker after every page of a scroll', () => {
    const { sandbox } = createHarness({ profile: 'shared-token' });
    const token = issueToken(sandbox);
    const first = envelopeOf(get(sandbox, token, HOSTS.path, { limit: 50 }));
    const scroll = String(first.meta.pagination?.offset);
    const ids = [...(first.resources as string[])];
    for (;;) {
      const page = envelopeOf(get(sandbox, token, HOSTS.path, { offset: scroll }));
      if (page.meta.pagination?.offset === '') break;
      ids.push(...(page.resources as string[]));
    }
    // 8 pages of 50: ours are the 1st, 3rd, 5th and 7th, the phantom takes the others.
    expect(first.meta.pagination?.total).toBe(400);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
  });
});

describe('expired-after', () => {
  it('loses the context on every 6th request that carries a token', () => {
    const { sandbox } = createHarness({ profile: 'expired-after' });
    const token = issueToken(sandbox);
    let after = String(envelopeOf(get(sandbox, token, IOCS.path, { limit: 10 })).meta.pagination?.after);
    for (let i = 1; i <= 5; i++) {
      const page = get(sandbox, token, IOCS.path, { limit: 10, after });
      expect(asHttp(page).status, `token call ${i}`).toBe(200);
      after = String(envelopeOf(page).meta.pagination?.after);
    }
    const lost = get(sandbox, token, IOCS.path, { limit: 10, after });
    expect(asHttp(lost).status).toBe(404);
    expect(envelopeOf(lost).errors?.[0]?.message).toBe("Search context expired, 'after' key no longer valid");
    expect(asHttp(get(sandbox, token, IOCS.path, { limit: 10, after })).status).toBe(404);
  });
});

/** Calls `count` distinct list and hydrate requests once each and returns the answers. */
function sweep(sandbox: FalconSandbox, clock: VirtualClock, count: number): SandboxResponse[] {
  const token = issueToken(sandbox);
  const out: SandboxResponse[] = [];
  for (let i = 0; i < count; i++) {
    const answer =
      i % 2 === 0
        ? get(sandbox, token, ALERT_IDS.path, { limit: 5, offset: i })
        : sandbox.handle({
            method: 'POST',
            url: `${BASE_URL}${HOSTS.hydrate?.path ?? ''}`,
            headers: { authorization: `Bearer ${token}` },
            body: JSON.stringify({ ids: [`id-${i}`] }),
          });
    out.push(answer);
    clock.advance(answer.latencyMs);
  }
  return out;
}

describe('random fault profiles', () => {
  it('errors-in-200: some 200s carry errors[] and no resources', () => {
    const { sandbox, clock } = createHarness({ profile: 'errors-in-200' });
    // 15 % of 400 calls, give or take the seeded draw.
    const faulty = sweep(sandbox, clock, 400).filter((a) => a.kind === 'http' && a.status === 200 && (envelopeOf(a).errors ?? []).length > 0);
    expect(faulty.length).toBeGreaterThan(30);
    expect(faulty.length).toBeLessThan(100);
    for (const answer of faulty) {
      const envelope = envelopeOf(answer);
      expect(envelope.resources).toEqual([]);
      expect(envelope.errors?.[0]?.code).toBe(500);
      expect(envelope.errors?.[0]?.message).toMatch(/^failed to get id=\S+$/);
    }
  });

  it('html-5xx: some answers are nginx HTML pages', () => {
    const { sandbox, clock } = createHarness({ profile: 'html-5xx' });
    const html = sweep(sandbox, clock, 400).filter((a) => a.kind === 'http' && a.headers['Content-Type'] === 'text/html');
    expect(html.length).toBeGreaterThan(30);
    expect(html.length).toBeLessThan(100);
    for (const answer of html) {
      const { status, body } = asHttp(answer);
      expect([502, 503, 504]).toContain(status);
      expect(body).toContain('<center>nginx</center>');
    }
  });

  it('flaky: JSON 5xx envelopes and connection resets', () => {
    const { sandbox, clock } = createHarness({ profile: 'flaky' });
    const answers = sweep(sandbox, clock, 400);
    const resets = answers.filter((a) => a.kind === 'network-error');
    const errors = answers.filter((a) => a.kind === 'http' && a.status >= 500);
    expect(resets.length).toBeGreaterThan(2);
    expect(errors.length).toBeGreaterThan(5);
    for (const answer of errors) expect([500, 503]).toContain(envelopeOf(answer).errors?.[0]?.code);
  });

  it('never fails the same request more than 3 times in a row', () => {
    const { sandbox, clock } = createHarness({ knobs: { json5xxRate: 1 } });
    const token = obtainToken(sandbox, clock);
    const statuses = Array.from({ length: 5 }, () => asHttp(get(sandbox, token, ALERT_IDS.path, { limit: 5 })).status);
    expect(statuses.map((s) => (s === 503 ? 500 : s))).toEqual([500, 500, 500, 200, 500]);
  });

  it('chaos: a client with 4 attempts per request always gets through', () => {
    const { sandbox, clock } = createHarness({ profile: 'chaos', seed: 11 });
    let token = obtainToken(sandbox, clock);
    let worst = 0;
    for (let i = 0; i < 300; i++) {
      let attempts = 0;
      for (;;) {
        attempts++;
        const answer = i % 3 === 0 ? get(sandbox, token, INTEL.path, { limit: 5, offset: i }) : get(sandbox, token, ALERT_IDS.path, { limit: 5, offset: i });
        clock.advance(answer.latencyMs);
        if (answer.kind === 'http' && answer.status === 401) {
          token = obtainToken(sandbox, clock);
          attempts--;
          continue;
        }
        if (answer.kind === 'http' && answer.status === 200 && (envelopeOf(answer).errors ?? []).length === 0) break;
        expect(attempts, `request ${i}`).toBeLessThan(4);
      }
      worst = Math.max(worst, attempts);
    }
    expect(worst).toBeGreaterThan(1);
    expect(worst).toBeLessThanOrEqual(4);
  });
});

/** Token with retries: chaos redirects the first request and fails some others. */
function obtainToken(sandbox: FalconSandbox, clock: VirtualClock): string {
  const body = new URLSearchParams({ client_id: sandbox.credentials.clientId, client_secret: sandbox.credentials.clientSecret }).toString();
  for (let attempt = 0; attempt < 8; attempt++) {
    const answer = sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body });
    clock.advance(answer.latencyMs);
    if (answer.kind === 'http' && answer.status === 201) return (JSON.parse(answer.body) as { access_token: string }).access_token;
  }
  throw new Error('no token after 8 attempts');
}
