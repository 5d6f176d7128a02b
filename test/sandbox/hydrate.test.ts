import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { asHttp, createHarness, envelopeOf, get, idsOf, issueToken, post } from './sandboxKit.ts';

const HOSTS = STREAMS['hosts-scroll'];
const HYDRATE = HOSTS.hydrate ?? { method: 'POST', path: '', idsKey: 'ids', maxIds: 0 };

describe('entities (hydrate)', () => {
  it('returns full objects in shuffled order and leaves out unknown and deleted ids', () => {
    const { sandbox, clock } = createHarness({ knobs: { mutationsPerMinute: { inserts: 0, deletes: 120 } } });
    const token = issueToken(sandbox);
    const ids = [...(envelopeOf(get(sandbox, token, HOSTS.path, { limit: 200 })).resources as string[])];
    clock.advance(60_000); // 120 of 400 hosts deleted
    const alive = sandbox.matchingIds('hosts');
    const answer = post(sandbox, token, HYDRATE.path, { ids: [...ids, 'ffffffffffffffffffffffffffffffff'] });
    expect(asHttp(answer).status).toBe(200);
    const envelope = envelopeOf(answer);
    expect(envelope.meta.pagination).toBeUndefined();
    const returned = idsOf(envelope, 'device_id');
    const expected = ids.filter((id) => alive.has(id));
    expect(expected.length).toBeLessThan(ids.length);
    expect(new Set(returned)).toEqual(new Set(expected));
    expect(returned).not.toEqual(expected);
    expect(Object.keys((envelope.resources as Array<Record<string, unknown>>)[0] ?? {})).toEqual(
      expect.arrayContaining(['device_id', 'hostname', 'first_seen', 'last_seen', 'platform_name', 'os_version', 'agent_version', 'local_ip', 'mac_address', 'cid']),
    );
  });

  it('refuses more ids than the cap', () => {
    const { sandbox } = createHarness();
    const ids = Array.from({ length: HYDRATE.maxIds + 1 }, (_, i) => `id${i}`);
    const answer = post(sandbox, issueToken(sandbox), HYDRATE.path, { ids });
    expect(asHttp(answer).status).toBe(400);
    expect(envelopeOf(answer).errors?.[0]?.message).toBe(`too many ids: at most ${HYDRATE.maxIds} per request`);
  });

  it('answers 413 with an nginx page to a body over 1 MiB', () => {
    const { sandbox } = createHarness();
    const alerts = STREAMS['alert-ids'].hydrate;
    const ids = Array.from({ length: 1000 }, (_, i) => `${'a'.repeat(1100)}${i}`);
    const answer = asHttp(post(sandbox, issueToken(sandbox), alerts?.path ?? '', { composite_ids: ids }));
    expect(answer.status).toBe(413);
    expect(answer.headers['Content-Type']).toBe('text/html');
    expect(answer.body).toContain('413 Request Entity Too Large');
  });

  it('hydrates composite ids of alerts', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    for (const spec of [STREAMS['alert-ids']]) {
      const hydrate = spec.hydrate;
      if (hydrate === null) throw new Error(`${spec.name} hydrates`);
      const ids = envelopeOf(get(sandbox, token, spec.path, { limit: 5 })).resources as string[];
      const objects = envelopeOf(post(sandbox, token, hydrate.path, { [hydrate.idsKey]: ids }));
      expect(new Set(idsOf(objects, spec.idField))).toEqual(new Set(ids));
    }
  });
});
