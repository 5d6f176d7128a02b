import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chainFilterMatches,
  checkpointKeyId,
  decodeCheckpoint,
  encodeCheckpoint,
  sameMac,
  type CheckpointData,
  type CheckpointKeys,
} from '../../functions/engine/Checkpoint.ts';
import { STREAMS } from '../../functions/falcon/streams.ts';

const KEYS: CheckpointKeys = { current: 'install-a-key-0123456789abcdef0123456789abcdef' };
const OTHER: CheckpointKeys = { current: 'install-b-key-fedcba9876543210fedcba9876543210' };

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
      barrenPages: 0,
      limit: 1000,
      lastId: null,
      lastKey: null,
      tail: null,
    },
    notBeforeServerMs: null,
    skewMs: -300_000,
    totalAtStart: 5000,
    learnedDepthCap: null,
    learnedPageLimit: null,
    boundServerMs: null,
    orderViolated: false,
    rechecks: [],
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
function signed(payloadJson: string, key = KEYS.current, keyId = checkpointKeyId(key)): string {
  const payload = Buffer.from(payloadJson, 'utf8').toString('base64url');
  const mac = createHmac('sha256', key).update(`pg2.${keyId}.${payload}`).digest('base64url');
  return `pg2.${keyId}.${payload}.${mac}`;
}

function errorCode(text: string, keys = KEYS): string | null {
  const decoded = decodeCheckpoint(text, keys);
  return decoded.ok ? null : decoded.error.code;
}

type Chain = NonNullable<CheckpointData['chain']>;
const withChain = (change: Partial<Chain>): CheckpointData => ({ ...sample(), chain: { ...(sample().chain as Chain), ...change } });

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trips the data, and says which key signed it', () => {
    const data = sample();
    expect(decodeCheckpoint(encodeCheckpoint(data, KEYS), KEYS)).toEqual({ ok: true, data, signedWith: 'current' });
  });

  it('round-trips every cursor kind its stream uses', () => {
    const cases: Array<[CheckpointData['stream'], Chain['cursor']]> = [
      ['alert-ids', { kind: 'offset', offset: 9000 }],
      ['hosts-scroll', { kind: 'scroll', token: 'DnF1ZXJ5VGhlbkZldGNo', expiresAtServerMs: null }],
      ['hosts', { kind: 'after', token: 'eyJuZXh0IjoxfQ', obtainedAtServerMs: 1 }],
      ['intel-indicators', { kind: 'next-page', path: "/intel/combined/indicators/v1?filter=_marker%3A%3E%3D'x'" }],
      ['alerts', null],
    ];
    for (const [stream, cursor] of cases) {
      const spec = STREAMS[stream];
      const value = spec.watermarkKind === 'epoch' ? 1 : 'a';
      const data: CheckpointData = { ...sample(), stream, ranges: [{ from: { value, ids: [] }, to: null }], high: null, chain: { ...(sample().chain as Chain), cursor, filter: '', limit: 100 } };
      expect(decodeCheckpoint(encodeCheckpoint(data, KEYS), KEYS)).toEqual({ ok: true, data, signedWith: 'current' });
    }
  });

  it('writes pg2.<key id>.<base64url JSON>.<HMAC-SHA256 over "pg2.<key id>.<payload>">', () => {
    const data = sample();
    const text = encodeCheckpoint(data, KEYS);
    const [prefix, keyId, payload, mac] = text.split('.');
    expect(prefix).toBe('pg2');
    expect(keyId).toBe(checkpointKeyId(KEYS.current));
    expect(keyId).not.toContain(KEYS.current.slice(0, 8));
    expect(JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8'))).toEqual(data);
    expect(mac).toBe(createHmac('sha256', KEYS.current).update(`pg2.${keyId}.${payload}`).digest('base64url'));
  });

  it('accepts surrounding whitespace (a pasted checkpoint) and non-ASCII watermark values', () => {
    expect(decodeCheckpoint(`  ${encodeCheckpoint(sample(), KEYS)}\n`, KEYS).ok).toBe(true);
    const data = { ...sample(), high: { value: '2025-01-03T00:00:00Z_ünïcødé_😀', ids: ['ü'] } };
    expect(decodeCheckpoint(encodeCheckpoint(data, KEYS), KEYS)).toMatchObject({ ok: true, data });
  });

  it('reports CHECKPOINT_TAMPERED when any single character of the payload or the signature changes', () => {
    const text = encodeCheckpoint(sample(), KEYS);
    const start = text.indexOf('.', 4) + 1;
    const end = text.lastIndexOf('.');
    for (const i of [start, Math.floor((start + end) / 2), end - 1, end + 1, text.length - 1]) {
      const tampered = text.slice(0, i) + (text.charAt(i) === 'A' ? 'B' : 'A') + text.slice(i + 1);
      expect(errorCode(tampered), `position ${i}`).toBe('CHECKPOINT_TAMPERED');
    }
    expect(errorCode(text.slice(0, -1))).toBe('CHECKPOINT_TAMPERED');
  });

  it('refuses a checkpoint of another install with CHECKPOINT_FOREIGN_KEY, and a forger who copies our key id with CHECKPOINT_TAMPERED', () => {
    expect(errorCode(encodeCheckpoint(sample(), OTHER))).toBe('CHECKPOINT_FOREIGN_KEY');
    // The key id is public: an attacker can put ours on a payload signed with their own key, and still fails.
    expect(errorCode(signed(JSON.stringify(sample()), OTHER.current, checkpointKeyId(KEYS.current)))).toBe('CHECKPOINT_TAMPERED');
  });

  it('reads a checkpoint of the previous key after a rotation, and none of the key before it', () => {
    const old = encodeCheckpoint(sample(), OTHER);
    expect(decodeCheckpoint(old, { current: KEYS.current, previous: OTHER.current })).toMatchObject({ ok: true, signedWith: 'previous' });
    expect(errorCode(old, { current: KEYS.current, previous: 'a-third-key-that-replaced-the-other-one-00' })).toBe('CHECKPOINT_FOREIGN_KEY');
  });

  it('refuses version 1, which every install signed with the same public key, naming why', () => {
    const payload = Buffer.from(JSON.stringify({ ...sample(), ranges: [] }), 'utf8').toString('base64url');
    const mac = createHmac('sha256', 'pagination-guard/checkpoint/v1').update(`pg1.${payload}`).digest('base64url');
    const decoded = decodeCheckpoint(`pg1.${payload}.${mac}`, KEYS);
    expect(decoded).toMatchObject({ ok: false, error: { code: 'CHECKPOINT_VERSION', category: 'input' } });
    if (!decoded.ok) expect(decoded.error.message).toContain('same public key');
    expect(errorCode(encodeCheckpoint(sample(), KEYS).replace(/^pg2\./, 'pg3.'))).toBe('CHECKPOINT_VERSION');
  });

  it.each(['', 'garbage', 'pg2', 'pg2.abc', 'pg2.a.b', 'pg2.a.b.c.d', 'xx2.a.abc.def', 'pgx.a.abc.def', '{"v":1}'])('reports CHECKPOINT_MALFORMED for %j', (text) => {
    expect(errorCode(text)).toBe('CHECKPOINT_MALFORMED');
  });

  it('reports CHECKPOINT_MALFORMED for a validly signed payload that fails the schema, naming the path', () => {
    const decoded = decodeCheckpoint(signed(JSON.stringify({ ...sample(), counters: { ...sample().counters, items: -1 } })), KEYS);
    expect(decoded).toMatchObject({ ok: false, error: { code: 'CHECKPOINT_MALFORMED', context: { field: 'checkpoint' } } });
    if (!decoded.ok) expect(decoded.error.message).toContain('counters.items');
    expect(errorCode(signed(JSON.stringify({ ...sample(), stream: 'firehose' })))).toBe('CHECKPOINT_MALFORMED');
    expect(errorCode(signed('not json at all'))).toBe('CHECKPOINT_MALFORMED');
    const keyId = checkpointKeyId(KEYS.current);
    expect(errorCode(`pg2.${keyId}.abc+.${createHmac('sha256', KEYS.current).update(`pg2.${keyId}.abc+`).digest('base64url')}`)).toBe('CHECKPOINT_MALFORMED');
  });

  // A signature proves who wrote a checkpoint, not that it is sane: each of these is refused even when signed.
  it.each<[string, CheckpointData]>([
    ['no ranges left while not complete (an export silently cut short)', { ...sample(), ranges: [], complete: false }],
    ['a vouched span whose ids are not id hashes', withChain({ tail: { from: '2025-01-01T00:00:00Z', fromInclusive: true, to: '2025-01-02T00:00:00Z', ids: ['not-a-hash'] } })],
    ['a range that ends before it starts', { ...sample(), ranges: [{ from: { value: '2025-02-01T00:00:00Z', ids: [] }, to: { value: '2025-01-01T00:00:00Z', ids: [] } }] }],
    ['ranges out of order', { ...sample(), ranges: [{ from: { value: '2025-03-01T00:00:00Z', ids: [] }, to: { value: '2025-03-02T00:00:00Z', ids: [] } }, { from: { value: '2025-01-01T00:00:00Z', ids: [] }, to: null }] }],
    ['an open range before another', { ...sample(), ranges: [{ from: null, to: null }, { from: { value: '2025-01-01T00:00:00Z', ids: [] }, to: null }] }],
    ['a numeric bound on a timestamp watermark', { ...sample(), ranges: [{ from: { value: 5, ids: [] }, to: null }] }],
    ['a page limit over the API maximum', withChain({ limit: 5000 })],
    ['an offset cursor on an after stream', withChain({ cursor: { kind: 'offset', offset: 10 } })],
    ['a cursor token with a space', withChain({ cursor: { kind: 'after', token: 'abc def', obtainedAtServerMs: 1 } })],
    ['a learned page limit above the API maximum', { ...sample(), learnedPageLimit: 1_000_000 }],
    ['a span to read again that ends before it starts', { ...sample(), rechecks: [{ from: '2025-02-01T00:00:00Z', fromInclusive: true, to: '2025-01-01T00:00:00Z', ids: ['0123456789abcdef'] }] }],
    ['a span left to read again in a complete export', { ...sample(), ranges: [], complete: true, rechecks: [{ from: '2025-01-01T00:00:00Z', fromInclusive: true, to: '2025-01-02T00:00:00Z', ids: ['0123456789abcdef'] }] }],
    ['more ids to read again than a checkpoint holds', { ...sample(), rechecks: [0, 1, 2].map((n) => ({ from: `2025-01-0${n + 1}T00:00:00Z`, fromInclusive: true, to: `2025-01-0${n + 1}T01:00:00Z`, ids: Array.from({ length: 512 }, (_, i) => (n * 1000 + i).toString(16).padStart(16, '0')) })) }],
  ])('refuses a signed checkpoint with %s', (_label, data) => {
    expect(errorCode(encodeCheckpoint(data, KEYS))).toBe('CHECKPOINT_MALFORMED');
  });

  it.each(['.evil.example/intel/combined/indicators/v1', '@127.0.0.1:8793/intel/combined/indicators/v1', '//evil.example/intel/combined/indicators/v1', '/intel/combined/indicators/v1\\..\\x', '/devices/queries/devices-scroll/v1', 'https://evil.example/intel/combined/indicators/v1'])(
    'refuses a signed Next-Page cursor that would leave the API origin or the stream: %j',
    (path) => {
      const data: CheckpointData = { ...sample(), stream: 'intel-indicators', ranges: [{ from: null, to: null }], high: null, chain: { ...(sample().chain as Chain), filter: '', cursor: { kind: 'next-page', path } } };
      expect(errorCode(encodeCheckpoint(data, KEYS))).toBe('CHECKPOINT_MALFORMED');
    },
  );
});

describe('chainFilterMatches', () => {
  const alerts = STREAMS.alerts;
  it.each([
    ["status:'new'", "status:'new'", true],
    ["status:'new'", "(status:'new')+(created_timestamp:>='2025-01-01T00:00:00Z')", true],
    ["status:'new'", "(status:'new')+((created_timestamp:>='a'+created_timestamp:<='b'),(created_timestamp:>='c'))", true],
    ['', "created_timestamp:>='2025-01-01T00:00:00Z'", true],
    ['', '', true],
    ["status:'new'", "status:'closed'", false],
    ["status:'new'", "(status:'new')+(severity:>=50)", false],
    ['', "created_timestamp:>='x',severity:>=1", false],
    ['', "hostname:'victim'", false],
  ])('export filter %j, chain filter %j: %s', (exportFilter, chainFilter, expected) => {
    expect(chainFilterMatches(alerts, exportFilter, chainFilter)).toBe(expected);
  });
});

describe('sameMac', () => {
  it('is true only for identical strings, whatever their lengths', () => {
    expect(sameMac('abc', 'abc')).toBe(true);
    expect(sameMac('abc', 'abd')).toBe(false);
    expect(sameMac('abc', 'ab')).toBe(false);
    expect(sameMac('', 'a')).toBe(false);
    expect(sameMac('', '')).toBe(true);
  });
});
