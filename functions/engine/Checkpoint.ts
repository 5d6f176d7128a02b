import { z } from 'zod';
import { STREAM_NAMES, STREAMS, type StreamName, type StreamSpec } from '../falcon/streams.ts';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from './encoding.ts';
import { engineError, type EngineError } from './EngineError.ts';
import { compareValues, type Bound, type KeyRange } from './KeyRange.ts';
import { hmacSha256, sha256Hex } from './sha256.ts';
import { MAX_RECHECK_IDS, MAX_REMEMBERED_IDS, type VouchedSpan } from './VouchedSpan.ts';

/** A live cursor, with its expiry in server time (never the local clock). */
export type Cursor =
  | { kind: 'offset'; offset: number }
  | { kind: 'scroll'; token: string; expiresAtServerMs: number | null }
  | { kind: 'after'; token: string; obtainedAtServerMs: number }
  | { kind: 'next-page'; path: string };

/** One query session over the remaining ranges: a scroll, an after chain, an offset window or a marker walk. */
export interface Chain {
  cursor: Cursor | null;
  /** The filter the chain was started with; every continuation repeats it (offsets and tokens depend on it). */
  filter: string;
  /** Pages this chain has returned. */
  pages: number;
  /** Records (ids or objects) the API returned on this chain, duplicates included. */
  received: number;
  /** `total` of the chain's first page (scroll: the snapshot size) and of its latest page. */
  firstTotal: number | null;
  lastTotal: number | null;
  /** `total` moved between pages: after chains then confirm their end with one more query. */
  totalMoved: boolean;
  /**
   * Pages in a row that brought neither a new record nor a smaller remainder. A cursor that advances
   * while its pages bring nothing (empty pages, repeats) would otherwise be followed forever.
   */
  barrenPages: number;
  /** Page size fixed when a scroll is created. */
  limit: number;
  /** Offset windows: the last id of the previous page, asked for again to prove the next page adjacent. */
  lastId: string | null;
  /** The highest key the chain returned so far: a later record behind it came out of order. */
  lastKey: { value: string | number; id: string } | null;
  /** What the previous page vouches for, to tell a record served out of order from a repeat. */
  tail: VouchedSpan | null;
}

export interface ExportCounters {
  items: number;
  apiCalls: number;
  pages: number;
  tokenMissingMidRun: number;
  tokenExpiries: number;
  watermarkRestarts: number;
  depthCapRewindows: number;
  duplicatesDropped: number;
}

/**
 * Everything a later run needs, and nothing secret. Tokens are disposable: the ranges are the truth,
 * the cursor is only a shortcut that a later run may use while it lives.
 */
export interface CheckpointData {
  v: 1;
  stream: StreamName;
  filterHash: string;
  sessionId: string;
  seq: number;
  ranges: KeyRange[];
  high: Bound | null;
  complete: boolean;
  chain: Chain | null;
  /** A rate-limit wait that did not fit the previous run, in server time. */
  notBeforeServerMs: number | null;
  /** Last measured server-minus-local clock offset. */
  skewMs: number | null;
  totalAtStart: number | null;
  learnedDepthCap: number | null;
  learnedPageLimit: number | null;
  /**
   * Server time (ms) that bounds this export from above, once its first answer told the server's clock:
   * records created later belong to the next incremental export, so an export always ends even while
   * the stream grows faster than it is read. null until then.
   */
  boundServerMs: number | null;
  /** A record came back out of order behind the chain where no page could vouch for it: this export cannot end complete. */
  orderViolated: boolean;
  /**
   * The last pages of abandoned `after` chains: a record a cursor held back to serve later (out of order)
   * is lost with the cursor, so the next chain reads these spans again and keeps what they did not vouch for.
   */
  rechecks: VouchedSpan[];
  counters: ExportCounters;
}

/**
 * `pg2.<key id>.<payload>.<mac>`. Version 1 was signed with a key every install shared (it was in the
 * public source), so it proves nothing and is refused.
 */
const VERSION = 2;
const PREFIX = `pg${VERSION}`;

/**
 * The keys an install signs with: `current` signs, `previous` (the key before the last rotation) still
 * verifies until a checkpoint is saved again. Keys are secrets of at least 256 bits that the host keeps
 * (the Foundry function in a collection only it reads, the CLI in a 0600 file); the engine has none.
 */
export interface CheckpointKeys {
  current: string;
  previous?: string | null;
}

/** Shortest key accepted: 32 characters (a 256-bit key in hex is 64, in base64url 43). */
export const MIN_CHECKPOINT_KEY_CHARS = 32;

const boundSchema = z.object({ value: z.union([z.string(), z.number()]), ids: z.array(z.string()) });
const cursorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offset'), offset: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('scroll'), token: z.string(), expiresAtServerMs: z.number().nullable() }),
  z.object({ kind: z.literal('after'), token: z.string(), obtainedAtServerMs: z.number() }),
  z.object({ kind: z.literal('next-page'), path: z.string() }),
]);
const vouchedSpanSchema = z.object({
  from: z.union([z.string(), z.number()]),
  fromInclusive: z.boolean(),
  to: z.union([z.string(), z.number()]),
  ids: z.array(z.string().regex(/^[0-9a-f]{16}$/)).min(1).max(MAX_REMEMBERED_IDS),
});
const chainSchema = z.object({
  cursor: cursorSchema.nullable(),
  filter: z.string(),
  pages: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  firstTotal: z.number().nullable(),
  lastTotal: z.number().nullable(),
  totalMoved: z.boolean(),
  // Checkpoints written before the field existed resume with a fresh count.
  barrenPages: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive(),
  lastId: z.string().nullable(),
  lastKey: z.object({ value: z.union([z.string(), z.number()]), id: z.string() }).nullable(),
  tail: vouchedSpanSchema.nullable(),
});
const countersSchema = z.object({
  items: z.number().int().nonnegative(),
  apiCalls: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  tokenMissingMidRun: z.number().int().nonnegative(),
  tokenExpiries: z.number().int().nonnegative(),
  watermarkRestarts: z.number().int().nonnegative(),
  depthCapRewindows: z.number().int().nonnegative(),
  duplicatesDropped: z.number().int().nonnegative(),
});
const checkpointSchema = z.object({
  v: z.literal(1),
  stream: z.enum(STREAM_NAMES),
  filterHash: z.string(),
  sessionId: z.string(),
  seq: z.number().int().nonnegative(),
  ranges: z.array(z.object({ from: boundSchema.nullable(), to: boundSchema.nullable() })),
  high: boundSchema.nullable(),
  complete: z.boolean(),
  chain: chainSchema.nullable(),
  notBeforeServerMs: z.number().nullable(),
  skewMs: z.number().nullable(),
  totalAtStart: z.number().nullable(),
  learnedDepthCap: z.number().nullable(),
  learnedPageLimit: z.number().nullable(),
  boundServerMs: z.number().nullable(),
  orderViolated: z.boolean(),
  rechecks: z.array(vouchedSpanSchema).max(8),
  counters: countersSchema,
});

function mac(key: string, payload: string): string {
  return base64UrlEncode(hmacSha256(utf8Encode(key), utf8Encode(payload)));
}

/** A public name for a key: lets a checkpoint say which key signed it without revealing anything about it. */
export function checkpointKeyId(key: string): string {
  return sha256Hex(`pagination-guard checkpoint key id\n${key}`).slice(0, 12);
}

/** Compares two MACs in time that depends only on their length, so a forger learns nothing from timing. */
export function sameMac(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i % Math.max(1, b.length));
  return difference === 0;
}

/** `pg2.<key id>.<payload>.<mac>`: opaque to callers, versioned, and integrity-checked with HMAC-SHA256. */
export function encodeCheckpoint(data: CheckpointData, keys: CheckpointKeys): string {
  const payload = base64UrlEncode(utf8Encode(JSON.stringify(data)));
  const signed = `${PREFIX}.${checkpointKeyId(keys.current)}.${payload}`;
  return `${signed}.${mac(keys.current, signed)}`;
}

export type DecodedCheckpoint = { ok: true; data: CheckpointData; signedWith: 'current' | 'previous' } | { ok: false; error: EngineError };

/**
 * Verifies and reads a checkpoint. A valid signature is necessary, not sufficient: the data must also be
 * what this engine could have written (ranges in order, cursors on the stream's own path, limits within
 * the catalog's), because a checkpoint passes through workflows, files and collections others can write.
 */
export function decodeCheckpoint(text: string, keys: CheckpointKeys): DecodedCheckpoint {
  const signed = verifySignature(text, keys);
  if (!signed.ok) return signed;
  const bytes = base64UrlDecode(signed.payload);
  const json = bytes ? utf8Decode(bytes) : null;
  let raw: unknown;
  try {
    raw = json === null ? undefined : JSON.parse(json);
  } catch {
    raw = undefined;
  }
  const parsed = checkpointSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('CHECKPOINT_MALFORMED', `has an invalid body at ${issue ? issue.path.join('.') || '(root)' : '(root)'}`);
  }
  const problem = implausible(parsed.data);
  if (problem !== null) return fail('CHECKPOINT_MALFORMED', `holds ${problem}, which this engine never writes`);
  return { ok: true, data: parsed.data, signedWith: signed.signedWith };
}

/** The payload of a checkpoint of this version, signed by one of this install's keys. */
function verifySignature(text: string, keys: CheckpointKeys): { ok: true; payload: string; signedWith: 'current' | 'previous' } | { ok: false; error: EngineError } {
  const parts = text.trim().split('.');
  const version = /^pg(\d+)$/.exec(parts[0] ?? '');
  if (!version || (version[1] === String(VERSION) ? parts.length !== 4 : parts.length < 3)) {
    return fail('CHECKPOINT_MALFORMED', `is not a Pagination Guard checkpoint (expected ${PREFIX}.<key id>.<payload>.<mac>)`);
  }
  if (version[1] !== String(VERSION)) {
    const why = version[1] === '1' ? ', which every install signed with the same public key' : '';
    return fail('CHECKPOINT_VERSION', `has version ${version[1]}${why}; this engine reads version ${VERSION}: start a new export`);
  }
  const [prefix, keyId, payload, signature] = parts as [string, string, string, string];
  const signedWith = keyId === checkpointKeyId(keys.current) ? 'current' : keys.previous && keyId === checkpointKeyId(keys.previous) ? 'previous' : null;
  if (signedWith === null) {
    return fail('CHECKPOINT_FOREIGN_KEY', 'was signed by another install (or with a key retired since): this install cannot trust it; start a new export here');
  }
  const key = signedWith === 'current' ? keys.current : (keys.previous as string);
  if (!sameMac(mac(key, `${prefix}.${keyId}.${payload}`), signature)) {
    return fail('CHECKPOINT_TAMPERED', 'failed its integrity check: it was edited or truncated');
  }
  return { ok: true, payload, signedWith };
}

/** What no checkpoint written by this engine holds, or null. Each rule keeps a forged cursor or range from steering a run. */
function implausible(data: CheckpointData): string | null {
  const spec = STREAMS[data.stream];
  return implausibleProgress(data) ?? implausibleRanges(data, spec) ?? implausibleSpans(data) ?? implausibleChain(data.chain, spec) ?? implausibleLearned(data, spec);
}

function implausibleProgress(data: CheckpointData): string | null {
  if (!data.complete && data.ranges.length === 0 && data.rechecks.length === 0) return 'no ranges left without being complete';
  if (data.complete && data.rechecks.length > 0) return 'spans left to read again in a complete export';
  if (data.ranges.length > MAX_RANGES) return `${data.ranges.length} ranges`;
  return null;
}

function implausibleRanges(data: CheckpointData, spec: StreamSpec): string | null {
  const bounds = [...data.ranges.flatMap((r) => [r.from, r.to]), data.high].filter((b): b is Bound => b !== null);
  const valueType = spec.watermarkKind === 'epoch' ? 'number' : 'string';
  if (bounds.some((b) => typeof b.value !== valueType)) return `a ${spec.watermarkField} bound that is not a ${valueType}`;
  for (const [i, range] of data.ranges.entries()) {
    if (range.from && range.to && compareValues(range.from.value, range.to.value) > 0) return `range ${i} that ends before it starts`;
    if (i > 0 && range.from === null) return `range ${i} without a lower bound after another range`;
    if (i < data.ranges.length - 1 && range.to === null) return `range ${i} without an upper bound before another range`;
    const next = data.ranges[i + 1];
    if (next && range.to && next.from && compareValues(range.to.value, next.from.value) > 0) return `ranges ${i} and ${i + 1} out of order`;
  }
  return null;
}

function implausibleSpans(data: CheckpointData): string | null {
  for (const span of [data.chain?.tail, ...data.rechecks]) {
    if (span && compareValues(span.from, span.to) > 0) return 'a vouched span whose start lies after its end';
  }
  if (data.rechecks.reduce((n, span) => n + span.ids.length, 0) > MAX_RECHECK_IDS) return 'more ids to read again than a checkpoint holds';
  return null;
}

function implausibleChain(chain: Chain | null, spec: StreamSpec): string | null {
  if (chain === null) return null;
  if (chain.limit > spec.maxLimit) return `a page limit of ${chain.limit} (the API serves at most ${spec.maxLimit})`;
  return implausibleCursor(chain.cursor, spec);
}

function implausibleCursor(cursor: Cursor | null, spec: StreamSpec): string | null {
  if (cursor !== null && cursor.kind !== CURSOR_OF_STYLE[spec.style]) return `a ${cursor.kind} cursor on a ${spec.style} stream`;
  if (cursor?.kind === 'offset' && spec.depthCap !== null && cursor.offset > spec.depthCap) return `offset ${cursor.offset} past the depth cap`;
  if ((cursor?.kind === 'after' || cursor?.kind === 'scroll') && !/^[\x21-\x7e]{1,4096}$/.test(cursor.token)) return 'a cursor token with characters no API token has';
  if (cursor?.kind === 'next-page' && !nextPagePathPlausible(spec, cursor.path)) return `a Next-Page path that is not ${spec.path} on the API origin`;
  return null;
}

function implausibleLearned(data: CheckpointData, spec: StreamSpec): string | null {
  if (data.learnedPageLimit !== null && (data.learnedPageLimit < 1 || data.learnedPageLimit > spec.maxLimit)) return `a learned page limit of ${data.learnedPageLimit}`;
  if (data.learnedDepthCap !== null && (data.learnedDepthCap < 1 || (spec.depthCap !== null && data.learnedDepthCap > spec.depthCap))) return `a learned depth cap of ${data.learnedDepthCap}`;
  return null;
}

const MAX_RANGES = 10_000;
const CURSOR_OF_STYLE: Readonly<Record<StreamSpec['style'], NonNullable<Cursor>['kind']>> = {
  offset: 'offset',
  scroll: 'scroll',
  'after-query': 'after',
  'after-body': 'after',
  marker: 'next-page',
};

/** The rule a `Next-Page` header passes, for a path kept in a checkpoint: one slash, the stream's own path. */
export function nextPagePathPlausible(spec: StreamSpec, path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || /[\\\s@]/.test(path)) return false;
  const end = path.search(/[?#]/);
  return (end === -1 ? path : path.slice(0, end)) === spec.path;
}

/** The hash that binds a checkpoint to its stream and filter (the filter as the engine runs it, trimmed). */
export function filterHashOf(stream: StreamName, filter: string): string {
  return sha256Hex(`${stream}\n${filter.trim()}`).slice(0, 32);
}

/** Whether a verified checkpoint belongs to this export: its stream, its filter, and a chain filter built from that filter. */
export function checkpointBelongsTo(data: CheckpointData, stream: StreamName, filter: string): EngineError | null {
  if (data.stream !== stream) {
    return engineError('CHECKPOINT_FOREIGN_STREAM', `The checkpoint belongs to stream "${data.stream}", not "${stream}".`, { field: 'checkpoint' });
  }
  if (data.filterHash !== filterHashOf(stream, filter)) {
    return engineError('CHECKPOINT_FOREIGN_FILTER', 'The checkpoint was made with another filter; pass the same filter or start a new export.', { field: 'checkpoint' });
  }
  if (data.chain !== null && !chainFilterMatches(STREAMS[stream], filter.trim(), data.chain.filter)) {
    return engineError('CHECKPOINT_MALFORMED', 'The checkpoint holds a query filter this export never builds; start a new export.', { field: 'checkpoint' });
  }
  return null;
}

/**
 * Whether a chain's filter is one the engine builds for this export: the export filter alone, the filter
 * ANDed with a watermark range, or (no filter) a watermark range alone. Anything else would send another
 * query under this export's name.
 */
export function chainFilterMatches(spec: StreamSpec, exportFilter: string, chainFilter: string): boolean {
  const literal = spec.watermarkKind === 'epoch' ? '-?\\d+(?:\\.\\d+)?' : "'(?:[^'\\\\]|\\\\.)*'";
  const bound = `${escapeRegExp(spec.watermarkField)}:(?:>=|<=)${literal}`;
  const clause = `${bound}(?:\\+${bound})?`;
  const range = new RegExp(`^(?:${clause}|\\(${clause}\\)(?:,\\(${clause}\\))*)$`);
  if (chainFilter === exportFilter) return true;
  if (exportFilter === '') return range.test(chainFilter);
  const prefix = `(${exportFilter})+(`;
  return chainFilter.startsWith(prefix) && chainFilter.endsWith(')') && range.test(chainFilter.slice(prefix.length, -1));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fail(code: 'CHECKPOINT_MALFORMED' | 'CHECKPOINT_VERSION' | 'CHECKPOINT_TAMPERED' | 'CHECKPOINT_FOREIGN_KEY', what: string): { ok: false; error: EngineError } {
  return { ok: false, error: engineError(code, `The checkpoint ${what}.`, { field: 'checkpoint' }) };
}
