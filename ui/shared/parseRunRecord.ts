import { z } from 'zod';
import type { HealthEventKind, HealthRecord, Verdict } from '../../functions/engine/HealthRecord.ts';
import { STREAM_NAMES } from '../../functions/falcon/streams.ts';
import type { RunRecord } from '../../functions/storage/RunRecord.ts';
import { isHealthEventKind } from './eventStyles.ts';
import { issuePath } from './issuePath.ts';

const count = z.number().int().nonnegative();
const epochMs = z.number().int();

const verdict = z.custom<Verdict>(
  (v) => typeof v === 'string' && (v === 'complete' || v === 'has_more' || /^failed:.+/.test(v)),
  { message: 'expected "complete", "has_more" or "failed:<code>"' },
);

const eventKind = z.custom<HealthEventKind>((v) => typeof v === 'string' && isHealthEventKind(v), {
  message: 'unknown health event kind',
});

const healthSchema: z.ZodType<HealthRecord, z.ZodTypeDef, unknown> = z.object({
  stream: z.enum(STREAM_NAMES).nullable(),
  runId: z.string(),
  sessionId: z.string(),
  startedAtMs: epochMs,
  endedAtMs: epochMs.nullable(),
  verdict: verdict.nullable(),
  pages: count,
  items: count,
  totalAtStart: count.nullable(),
  duplicatesDropped: count,
  apiCalls: count,
  retries: count,
  rateLimitWaitMs: count,
  tokenMissingMidRun: count,
  tokenExpiries: count,
  watermarkRestarts: count,
  depthCapRewindows: count,
  authRefreshes: count,
  errorsIn200: count,
  // Records written before the LogScale sink existed have no ingest counters: they ingested nothing.
  ingestCalls: count.default(0),
  ingestRetries: count.default(0),
  ingestedEvents: count.default(0),
  ingestBytes: count.default(0),
  exportItems: count,
  exportApiCalls: count,
  optimalCalls: count.nullable(),
  timeline: z.array(z.object({ atMs: epochMs, kind: eventKind, detail: z.string() })).max(200),
  timelineDropped: count,
});

/** `collections/pagination_runs.json` as zod, typed against the RunRecord the function writes. */
export const runRecordSchema: z.ZodType<RunRecord, z.ZodTypeDef, unknown> = z.object({
  run_id: z.string().min(1).max(128),
  session_id: z.string().min(1).max(128),
  stream: z.string(),
  verdict: z.string(),
  verdict_kind: z.enum(['complete', 'has_more', 'failed']),
  error_code: z.string(),
  error_message: z.string(),
  has_more: z.enum(['true', 'false']),
  started_at_ms: epochMs,
  ended_at_ms: epochMs,
  execution_id: z.string(),
  health: healthSchema,
});

export type ParsedRunRecord = { kind: 'valid'; record: RunRecord } | { kind: 'invalid'; issues: string[] };

/** Validates one object read from the collection; issues name the field path so the message says what is wrong. */
export function parseRunRecord(value: unknown): ParsedRunRecord {
  const parsed = runRecordSchema.safeParse(value);
  if (parsed.success) return { kind: 'valid', record: parsed.data };
  return { kind: 'invalid', issues: parsed.error.issues.map((issue) => `${issuePath(issue.path, '(the object)')}: ${issue.message}`) };
}
