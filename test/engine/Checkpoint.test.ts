import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECKPOINT_KEY, decodeCheckpoint, encodeCheckpoint, type CheckpointData } from '../../functions/engine/Checkpoint.ts';

const KEY = 'test-key';

function sample(): CheckpointData {
  return {
    v: 1,
    stream: 'alerts',
    filterHash: '0123456789abcdef0123456789abcdef',
    sessionId: 'session-1',
    seq: 7,
    ranges: [
      { from: { value: '2025-01-01T00:00:00Z', ids: ['a', 'b'] }, to: { value: '2025-01-02T00:00:00Z', ids: [] } },
      { from: { value: '2025-01-03T00:00:00Z', ids: ['c'] }, to: null },
    ],
    high: { value: '2025-01-03T00:00:00Z', ids: ['c'] },
    complete: false,
    chain: {
      cursor: { kind: 'after', token: 'eyJhZnRlciI6IjEyMyJ9', obtainedAtServerMs: 1_735_689_600_000 },
      filter: "(status:'new')+(created_timestamp:>='2025-01-01T00:00:00Z')",
      pages: 2,
      received: 2000,
      firstTotal: 5000,
      lastTotal: 5000,
      totalMoved: false,
      limit: 1000,
      lastId: null,
    },
    notBeforeServerMs: null,
    skewMs: -300_000,
    totalAtStart: 5000,
    learnedDepthCap: null,
    learnedPageLimit: null,
    counters: {
      items: 2000,
      apiCalls: 3,
      pages: 2,
      tokenMissingMidRun: 0,
      tokenExpiries: 0,
      watermarkRestarts: 0,
      depthCapRewindows: 0,
      duplicatesDropped: 0,
    },
  };
}

/** Signs an arbitrary payload the way the format says, with node:crypto (independent of the engine's HMAC). */
function signed(payloadJson: string, key = KEY): string {
  const payload = Buffer.from(payloadJson, 'utf8').toString('base64url');
  const mac = createHmac('sha256', key).update(`pg1.${payload}`).digest('base64url');
  return `pg1.${payload}.${mac}`;
}

function errorCode(text: string, key = KEY): string | null {
  const decoded = decodeCheckpoint(text, key);
  return decoded.ok ? null : decoded.error.code;
}

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trips the data', () => {
    const data = sample();
    const decoded = decodeCheckpoint(encodeCheckpoint(data, KEY), KEY);
    expect(decoded).toEqual({ ok: true, data });
  });

  it('round-trips every cursor kind', () => {
    const cursors: NonNullable<CheckpointData['chain']>['cursor'][] = [
      { kind: 'offset', offset: 9000 },
      { kind: 'scroll', token: 'DnF1ZXJ5VGhlbkZldGNo', expiresAtServerMs: null },
      { kind: 'next-page', path: "/intel/combined/indicators/v1?filter=_marker%3A%3E%3D'x'" },
      null,
    ];
    for (const cursor of cursors) {
      const data = sample();
      data.chain = { ...(data.chain as NonNullable<CheckpointData['chain']>), cursor };
      expect(decodeCheckpoint(encodeCheckpoint(data, KEY), KEY)).toEqual({ ok: true, data });
    }
  });

  it('writes pg1.<base64url JSON>.<HMAC-SHA256 over "pg1.<payload>">', () => {
    const data = sample();
    const text = encodeCheckpoint(data, KEY);
    const [prefix, payload, mac] = text.split('.');
    expect(prefix).toBe('pg1');
    expect(JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8'))).toEqual(data);
    expect(mac).toBe(createHmac('sha256', KEY).update(`pg1.${payload}`).digest('base64url'));
  });

  it("keeps the live chain's filter, which its continuation requests must repeat", () => {
    const decoded = decodeCheckpoint(encodeCheckpoint(sample(), KEY), KEY);
    expect(decoded.ok && decoded.data.chain?.filter).toBe(sample().chain?.filter);
  });

  it('accepts surrounding whitespace (a pasted checkpoint)', () => {
    expect(decodeCheckpoint(`  ${encodeCheckpoint(sample(), KEY)}\n`, KEY).ok).toBe(true);
  });

  it('round-trips non-ASCII watermark values', () => {
    const data = sample();
    data.high = { value: '1735689600_ünïcødé_😀', ids: ['ü'] };
    expect(decodeCheckpoint(encodeCheckpoint(data, KEY), KEY)).toEqual({ ok: true, data });
  });

  it('reports CHECKPOINT_TAMPERED when any single character of the payload changes', () => {
    const text = encodeCheckpoint(sample(), KEY);
    const start = text.indexOf('.') + 1;
    const end = text.lastIndexOf('.');
    for (const i of [start, Math.floor((start + end) / 2), end - 1]) {
      const replacement = text.charAt(i) === 'A' ? 'B' : 'A';
      const tampered = text.slice(0, i) + replacement + text.slice(i + 1);
      expect(errorCode(tampered), `position ${i}`).toBe('CHECKPOINT_TAMPERED');
    }
  });

  it('reports CHECKPOINT_TAMPERED when the signature changes or is truncated', () => {
    const text = encodeCheckpoint(sample(), KEY);
    expect(errorCode(text.slice(0, -1))).toBe('CHECKPOINT_TAMPERED');
    expect(errorCode(`${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`)).toBe('CHECKPOINT_TAMPERED');
  });

  it('reports CHECKPOINT_TAMPERED for a checkpoint signed with another key', () => {
    expect(errorCode(encodeCheckpoint(sample(), 'other-key'))).toBe('CHECKPOINT_TAMPERED');
    expect(errorCode(encodeCheckpoint(sample(), DEFAULT_CHECKPOINT_KEY))).toBe('CHECKPOINT_TAMPERED');
  });

  it('reports CHECKPOINT_VERSION for another version prefix', () => {
    const [, payload, mac] = encodeCheckpoint(sample(), KEY).split('.');
    const decoded = decodeCheckpoint(`pg2.${payload}.${mac}`, KEY);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.error.code).toBe('CHECKPOINT_VERSION');
      expect(decoded.error.message).toContain('version 2');
      expect(decoded.error.category).toBe('input');
    }
  });

  it.each(['', 'garbage', 'pg1', 'pg1.abc', 'pg1.a.b.c', 'xx1.abc.def', 'pgx.abc.def', '{"v":1}'])(
    'reports CHECKPOINT_MALFORMED for %j',
    (text) => {
      expect(errorCode(text)).toBe('CHECKPOINT_MALFORMED');
    },
  );

  it('reports CHECKPOINT_MALFORMED for a validly signed payload that fails the schema, naming the path', () => {
    const data = { ...sample(), counters: { ...sample().counters, items: -1 } };
    const decoded = decodeCheckpoint(signed(JSON.stringify(data)), KEY);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.error.code).toBe('CHECKPOINT_MALFORMED');
      expect(decoded.error.message).toContain('counters.items');
      expect(decoded.error.context).toEqual({ field: 'checkpoint' });
    }
  });

  it('reports CHECKPOINT_MALFORMED for a validly signed payload of an unknown stream', () => {
    expect(errorCode(signed(JSON.stringify({ ...sample(), stream: 'firehose' })))).toBe('CHECKPOINT_MALFORMED');
  });

  it('reports CHECKPOINT_MALFORMED for a validly signed payload that is not JSON', () => {
    expect(errorCode(signed('not json at all'))).toBe('CHECKPOINT_MALFORMED');
  });

  it('reports CHECKPOINT_MALFORMED for a validly signed payload that is not base64url', () => {
    const payload = 'abc+';
    const mac = createHmac('sha256', KEY).update(`pg1.${payload}`).digest('base64url');
    expect(errorCode(`pg1.${payload}.${mac}`)).toBe('CHECKPOINT_MALFORMED');
  });

  it('control: the signing helper produces checkpoints the engine accepts', () => {
    expect(decodeCheckpoint(signed(JSON.stringify(sample())), KEY)).toEqual({ ok: true, data: sample() });
  });
});
