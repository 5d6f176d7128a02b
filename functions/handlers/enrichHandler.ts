import { z } from 'zod';
import { utf8Length } from '../engine/encoding.ts';
import type { EngineError } from '../engine/EngineError.ts';
import type { EnrichReason, EnrichResult, IndicatorResult } from '../engine/enrich/EnrichCommand.ts';
import type { EnrichInput } from '../engine/enrich/EnrichInput.ts';
import { enrichSteps } from '../engine/enrich/enrichSteps.ts';
import type { IocType } from '../falcon/iocEndpoints.ts';
import type { Io } from '../engine/Io.ts';
import { intelContextOf, lookupIntel, type IntelContext } from './enrichIntel.ts';
import { ENRICH_INDICATOR_TYPES, iocTypeOf, type EnrichIndicatorType, type IocTypeMapping } from '../falcon/enrichTypes.ts';
import type { FunctionContext } from './FunctionContext.ts';
import type { FunctionResponse } from './FunctionResponse.ts';
import { parseRequest } from './parseRequest.ts';

export const ENRICH_LIMITS = {
  /** Foundry drops a response over 120 KB. */
  responseBytes: 120 * 1024,
  /** Kept free for the FDK envelope around the body. */
  marginBytes: 4096,
  maxIndicators: 100,
  maxValueChars: 1000,
  /** Page-run items carry the record id; it may come along and is ignored. */
  maxIdChars: 2000,
  defaultMaxDevicesPerIndicator: 500,
  maxDevicesPerIndicator: 10_000,
  minDeadlineMs: 1000,
  /** Foundry's longest function execution (900 s). */
  maxDeadlineMs: 900_000,
  /** Longest `device_ids_detail`; the response budget reserves this much per indicator. */
  maxDetailChars: 160,
} as const;

/**
 * No control characters (the FQL filter refuses them) and no `*` (an FQL wildcard: the intel lookup would
 * match other indicators). The JSON Schema carries the same pattern.
 */
export const INDICATOR_VALUE_PATTERN = '^[^*\\u0000-\\u001f\\u007f]+$';
const VALUE_REGEX = new RegExp(INDICATOR_VALUE_PATTERN);

/** JSON Schema counts string length in code points, zod in UTF-16 units: count like the schema. */
const atMostChars = (max: number) => (value: string) => Array.from(value).length <= max;

export const enrichRequestSchema = z
  .object({
    indicators: z
      .array(
        z
          .object({
            type: z.enum(ENRICH_INDICATOR_TYPES),
            value: z
              .string()
              .min(1)
              .regex(VALUE_REGEX, 'must not contain control characters or *')
              .refine(atMostChars(ENRICH_LIMITS.maxValueChars), `must be at most ${ENRICH_LIMITS.maxValueChars} characters`),
            id: z.string().refine(atMostChars(ENRICH_LIMITS.maxIdChars), `must be at most ${ENRICH_LIMITS.maxIdChars} characters`).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(ENRICH_LIMITS.maxIndicators),
    max_devices_per_indicator: z.number().int().min(0).max(ENRICH_LIMITS.maxDevicesPerIndicator).optional(),
    budget: z
      .object({ deadline_ms: z.number().int().min(ENRICH_LIMITS.minDeadlineMs).max(ENRICH_LIMITS.maxDeadlineMs).optional() })
      .strict()
      .optional(),
  })
  .strict();

export type EnrichRequest = z.input<typeof enrichRequestSchema>;

/** Why `device_ids` is not every device that saw the indicator: the engine's final reasons, or no IOC type at all. */
export type DeviceIdsReason = Exclude<EnrichReason, `stopped_${string}` | 'run_failed'> | 'no_ioc_type';

export interface EnrichedIndicator {
  type: EnrichIndicatorType;
  value: string;
  ioc_type: IocType | null;
  intel: IntelContext;
  device_count: number | null;
  device_ids: string[];
  device_ids_complete: 'true' | 'false';
  device_ids_reason: DeviceIdsReason;
  device_ids_detail: string;
}

export interface EnrichResponseBody {
  /** Final answers, in request order. */
  enriched: EnrichedIndicator[];
  /** Indicators this call did not finish (a budget ran out): send them again. */
  pending: Array<{ type: EnrichIndicatorType; value: string }>;
  has_more: 'true' | 'false';
  api_calls: number;
}

interface Planned {
  type: EnrichIndicatorType;
  value: string;
  mapping: IocTypeMapping;
}

/**
 * `POST /enrich`: intel context and the devices that saw each indicator of a batch. The intel lookup is a
 * page run of the intel-indicators stream; the device lookup is the engine's enrich machine. Both are
 * bounded by one deadline, and the answer by Foundry's 120 KB: what does not fit comes back in `pending`
 * with `has_more: "true"`, and capped id lists say so. The handler decides nothing about paging or waiting.
 */
export function* enrichIndicators(rawBody: unknown, context: FunctionContext): Io<FunctionResponse> {
  const parsed = parseRequest(enrichRequestSchema, rawBody, 'enrich');
  if (!parsed.ok) return parsed.response;
  const request = parsed.data;
  const startedAtMs = context.nowMs();
  const deadlineAtMs = startedAtMs + Math.min(request.budget?.deadline_ms ?? context.deadlineMs, context.deadlineMs);
  const runId = `enrich-${context.executionId === '' ? 'local' : context.executionId}-${startedAtMs}`.slice(0, 128);
  const seed = seedOf(runId);
  const planned: Planned[] = request.indicators.map(({ type, value }) => ({ type, value, mapping: iocTypeOf(type, value) }));

  const intel = yield* lookupIntel(planned, context, { deadlineAtMs, runId, seed });
  if (intel.kind === 'failed') return apiFailure(intel.error, intel.apiCalls);
  if (intel.kind === 'stopped') {
    // Without intel nothing is final: every indicator is asked for again.
    return respond({ enriched: [], pending: planned.map(({ type, value }) => ({ type, value })), has_more: 'true', api_calls: intel.apiCalls });
  }
  const contexts = planned.map((p) => intelContextOf(intel.records, p.type, p.value));
  const looked = planned.flatMap((p, index) => (p.mapping.iocType === null ? [] : [{ index, iocType: p.mapping.iocType, value: p.value }]));

  let lookup: EnrichResult | null = null;
  if (looked.length > 0) {
    const input: EnrichInput = {
      runId,
      indicators: looked.map(({ iocType, value }) => ({ type: iocType, value })),
      budget: {
        deadlineMs: Math.max(1, deadlineAtMs - context.nowMs()),
        maxDeviceIdsPerIndicator: request.max_devices_per_indicator ?? ENRICH_LIMITS.defaultMaxDevicesPerIndicator,
        maxDeviceIdBytes: deviceIdBudget(planned, contexts),
      },
      options: { seed },
    };
    lookup = yield* enrichSteps(input, context.nowMs());
    if (lookup.error !== null) return apiFailure(lookup.error, intel.apiCalls + lookup.apiCalls);
  }

  const results = new Map<number, IndicatorResult>();
  looked.forEach(({ index }, k) => {
    const result = lookup?.indicators[k];
    if (result) results.set(index, result);
  });
  const body: EnrichResponseBody = { enriched: [], pending: [], has_more: 'false', api_calls: intel.apiCalls + (lookup?.apiCalls ?? 0) };
  planned.forEach((p, index) => {
    const context = contexts[index] as IntelContext;
    if (p.mapping.iocType === null) {
      body.enriched.push(entry(p, context, { deviceCount: null, deviceIds: [], complete: false, reason: 'no_ioc_type', detail: p.mapping.detail }));
      return;
    }
    const result = results.get(index);
    if (result === undefined || result.status === 'pending') {
      body.pending.push({ type: p.type, value: p.value });
      return;
    }
    body.enriched.push(
      entry(p, context, {
        deviceCount: result.deviceCount,
        deviceIds: result.deviceIds,
        complete: result.status === 'complete',
        reason: result.reason as DeviceIdsReason,
        detail: result.detail,
      }),
    );
  });
  body.has_more = body.pending.length > 0 ? 'true' : 'false';
  return respond(body);
}

function entry(
  p: Planned,
  intel: IntelContext,
  devices: { deviceCount: number | null; deviceIds: string[]; complete: boolean; reason: DeviceIdsReason; detail: string },
): EnrichedIndicator {
  return {
    type: p.type,
    value: p.value,
    ioc_type: p.mapping.iocType,
    intel,
    device_count: devices.deviceCount,
    device_ids: devices.deviceIds,
    device_ids_complete: devices.complete ? 'true' : 'false',
    device_ids_reason: devices.reason,
    device_ids_detail: devices.detail.slice(0, ENRICH_LIMITS.maxDetailChars),
  };
}

/**
 * Bytes the device ids may take: 120 KB less the margin and everything else the answer can hold, with
 * every indicator final and its detail at full length. The engine counts each id as it keeps it.
 */
function deviceIdBudget(planned: readonly Planned[], contexts: readonly IntelContext[]): number {
  const filler = 'x'.repeat(ENRICH_LIMITS.maxDetailChars);
  const skeleton: EnrichResponseBody = {
    enriched: planned.map((p, i) =>
      entry(p, contexts[i] as IntelContext, { deviceCount: ENRICH_LIMITS.maxDevicesPerIndicator * 1000, deviceIds: [], complete: false, reason: 'token_missing_before_count', detail: filler }),
    ),
    pending: [],
    has_more: 'false',
    api_calls: 1_000_000,
  };
  return Math.max(0, ENRICH_LIMITS.responseBytes - ENRICH_LIMITS.marginBytes - byteLength(skeleton));
}

function respond(body: EnrichResponseBody): FunctionResponse {
  const bytes = byteLength(body);
  if (bytes > ENRICH_LIMITS.responseBytes) {
    // The id budget makes this unreachable; should it ever happen, fail loudly rather than lose the answer.
    return {
      code: 500,
      body: { error_code: 'RESPONSE_TOO_LARGE', field: 'max_devices_per_indicator' },
      errors: [{ code: 500, message: `The enrich response is ${bytes} bytes, over Foundry's 120 KB; lower max_devices_per_indicator or send fewer indicators (field: max_devices_per_indicator)` }],
    };
  }
  return { code: 200, body: body as unknown as Record<string, unknown>, errors: [] };
}

/** A Falcon failure the engine gave up on: 401/403 as such (the fix is the API client's), anything else 502. */
function apiFailure(error: EngineError, apiCalls: number): FunctionResponse {
  const code = error.code === 'SCOPE_MISSING' ? 403 : error.code === 'AUTH_FAILED' ? 401 : error.category === 'internal' ? 500 : 502;
  return { code, body: { error_code: error.code, api_calls: apiCalls }, errors: [{ code, message: error.message }] };
}

function byteLength(value: unknown): number {
  return utf8Length(JSON.stringify(value));
}

/** A jitter seed per call, so that parallel executions do not back off in step. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
