import { z } from 'zod';
import { STREAM_NAMES, type StreamName } from '../falcon/streams.ts';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from './encoding.ts';
import { engineError, type EngineError } from './EngineError.ts';
import type { Bound, KeyRange } from './KeyRange.ts';
import { hmacSha256 } from './sha256.ts';

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
  /** Page size fixed when a scroll is created. */
  limit: number;
  /** Offset windows: the last id of the previous page, asked for again to prove the next page adjacent. */
  lastId: string | null;
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
  counters: ExportCounters;
}

const VERSION = 1;
const PREFIX = `pg${VERSION}`;

const boundSchema = z.object({ value: z.union([z.string(), z.number()]), ids: z.array(z.string()) });
const cursorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offset'), offset: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('scroll'), token: z.string(), expiresAtServerMs: z.number().nullable() }),
  z.object({ kind: z.literal('after'), token: z.string(), obtainedAtServerMs: z.number() }),
  z.object({ kind: z.literal('next-page'), path: z.string() }),
]);
const chainSchema = z.object({
  cursor: cursorSchema.nullable(),
  filter: z.string(),
  pages: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  firstTotal: z.number().nullable(),
  lastTotal: z.number().nullable(),
  totalMoved: z.boolean(),
  limit: z.number().int().positive(),
  lastId: z.string().nullable(),
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
  counters: countersSchema,
});

export const DEFAULT_CHECKPOINT_KEY = 'pagination-guard/checkpoint/v1';

function mac(key: string, payload: string): string {
  return base64UrlEncode(hmacSha256(utf8Encode(key), utf8Encode(payload)));
}

/** `pg1.<payload>.<mac>`: opaque to callers, versioned, and integrity-checked with HMAC-SHA256. */
export function encodeCheckpoint(data: CheckpointData, key: string): string {
  const payload = base64UrlEncode(utf8Encode(JSON.stringify(data)));
  return `${PREFIX}.${payload}.${mac(key, `${PREFIX}.${payload}`)}`;
}

export type DecodedCheckpoint = { ok: true; data: CheckpointData } | { ok: false; error: EngineError };

export function decodeCheckpoint(text: string, key: string): DecodedCheckpoint {
  const parts = text.trim().split('.');
  const version = /^pg(\d+)$/.exec(parts[0] ?? '');
  if (parts.length !== 3 || !version) {
    return fail('CHECKPOINT_MALFORMED', 'is not a Pagination Guard checkpoint (expected pg1.<payload>.<mac>)');
  }
  if (version[1] !== String(VERSION)) {
    return fail('CHECKPOINT_VERSION', `has version ${version[1]}, this engine reads version ${VERSION}; start a new export`);
  }
  const [prefix, payload, signature] = parts as [string, string, string];
  if (mac(key, `${prefix}.${payload}`) !== signature) {
    return fail('CHECKPOINT_TAMPERED', 'failed its integrity check: it was edited, truncated or signed with another key');
  }
  const bytes = base64UrlDecode(payload);
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
  return { ok: true, data: parsed.data };
}

function fail(code: 'CHECKPOINT_MALFORMED' | 'CHECKPOINT_VERSION' | 'CHECKPOINT_TAMPERED', what: string): DecodedCheckpoint {
  return { ok: false, error: engineError(code, `The checkpoint ${what}.`, { field: 'checkpoint' }) };
}
