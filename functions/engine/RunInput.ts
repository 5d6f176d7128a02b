import { z } from 'zod';
import { MIN_CHECKPOINT_KEY_CHARS } from './Checkpoint.ts';

/** Path parts that would reach an object's prototype instead of a record's own field. */
export const FORBIDDEN_FIELD_PARTS = ['__proto__', 'constructor', 'prototype'] as const;

/** A projection path such as `device.hostname`: dot-separated parts, none empty, none reaching a prototype. */
export const fieldPathSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((path) => path.split('.').every((part) => part !== ''), 'has an empty part (two dots in a row, or a dot at an end)')
  .refine((path) => path.split('.').every((part) => !(FORBIDDEN_FIELD_PARTS as readonly string[]).includes(part)), `must not name ${FORBIDDEN_FIELD_PARTS.join(', ')}`);

/** `http(s)://host[:port]` with an optional trailing slash: an origin, nothing after it. */
export const API_BASE_URL_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/?$/;

/** The run contract's input, validated at the engine boundary (hosts pass the caller's JSON through). */
export const runInputSchema = z
  .object({
    stream: z.string().min(1),
    filter: z.string().default(''),
    checkpoint: z.string().min(1).optional(),
    runId: z.string().min(1).max(128),
    sessionId: z.string().min(1).max(128).optional(),
    /**
     * Origin the host sends requests to; a `Next-Page` URL is followed only on it. Checked by pattern, not
     * with zod's `.url()`: that calls `new URL`, which embedded engines do not have.
     */
    apiBaseUrl: z.string().max(2048).regex(API_BASE_URL_PATTERN, 'must be an http(s) origin such as https://api.crowdstrike.com').optional(),
    /** The install's signing keys: the host keeps them secret, the engine has no default. */
    checkpointKeys: z
      .object({
        current: z.string().min(MIN_CHECKPOINT_KEY_CHARS).max(512),
        previous: z.string().min(MIN_CHECKPOINT_KEY_CHARS).max(512).nullable().optional(),
      })
      .strict(),
    fields: z.array(fieldPathSchema).max(200).optional(),
    budget: z
      .object({
        deadlineMs: z.number().int().positive().optional(),
        maxPages: z.number().int().positive().optional(),
        maxResponseBytes: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
    options: z
      .object({
        pageLimit: z.number().int().positive().optional(),
        maxRetries: z.number().int().nonnegative().max(20).optional(),
        maxRateLimitWaits: z.number().int().nonnegative().max(100).optional(),
        assumedCursorTtlMs: z.number().int().positive().optional(),
        seed: z.number().int().optional(),
        requestTimeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type RunInput = z.input<typeof runInputSchema>;

/** Every engine default, in one place. */
export const ENGINE_DEFAULTS = {
  maxRetries: 5,
  maxRateLimitWaits: 20,
  /**
   * After-token lifetimes are undocumented outside Spotlight (120 s); the field report saw 30 s.
   * The engine assumes the shorter one, because abandoning a live cursor costs nothing (the restart
   * request replaces the continuation request) while using a dead one costs a failed call.
   */
  assumedCursorTtlMs: 30_000,
  /** Margin kept before a cursor's expiry and for the server Date header's one-second resolution. */
  cursorExpiryMarginMs: 3_000,
  requestTimeoutMs: 30_000,
  /** Time kept free before the deadline for returning the result. */
  deadlineMarginMs: 100,
  initialLatencyEstimateMs: 1_500,
  backoffBaseMs: 500,
  backoffCapMs: 20_000,
  minRetryAfterMs: 1_000,
  /**
   * Longest wait a Retryafter that is no plausible epoch may ask for: the rate limit is a sliding 60 s
   * window, so no honest relative wait is longer (a plausible epoch further out is honoured, across runs).
   */
  maxRetryAfterMs: 60_000,
  /** X-Ratelimit-Remaining at or below these slows the run down (gofalcon uses the same steps). */
  slowDownRemaining: 10,
  slowDownMs: 200,
  verySlowDownRemaining: 5,
  verySlowDownMs: 500,
  /**
   * Longest range clause a chain may leave for its restart. Every page of a chain leaves one small gap
   * range behind until the chain ends; past this size the engine re-anchors the chain, so a restart's
   * GET stays far below the 8 KB URLs that gateways refuse with an HTML 414 (falcon-api.md §10.8).
   */
  maxRangeFilterChars: 3000,
  /** Restarts in a row that export nothing new before the run gives up. */
  maxBarrenRestarts: 6,
  /** Pages in a row of one chain that bring nothing new before the chain is restarted from the watermark. */
  maxBarrenChainPages: 2,
} as const;
