import { z } from 'zod';
import { IOC_TYPES, IOC_DEVICES_MAX_LIMIT } from '../../falcon/iocEndpoints.ts';

/** Input of one bounded device lookup: which indicators, and what the run may spend on them. */
export const enrichInputSchema = z
  .object({
    runId: z.string().min(1).max(128),
    indicators: z
      .array(z.object({ type: z.enum(IOC_TYPES), value: z.string().min(1).max(1000) }).strict())
      .min(1)
      .max(500),
    budget: z
      .object({
        deadlineMs: z.number().int().positive().optional(),
        maxCalls: z.number().int().positive().optional(),
        /** Device ids kept per indicator; 0 asks for counts only. */
        maxDeviceIdsPerIndicator: z.number().int().nonnegative().optional(),
        /** Bytes all returned device ids may take as JSON (`"id",` each): the host's response budget. */
        maxDeviceIdBytes: z.number().int().nonnegative().optional(),
      })
      .strict()
      .default({}),
    options: z
      .object({
        pageLimit: z.number().int().positive().max(IOC_DEVICES_MAX_LIMIT).optional(),
        maxRetries: z.number().int().nonnegative().max(20).optional(),
        maxRateLimitWaits: z.number().int().nonnegative().max(100).optional(),
        /** Restarts of one indicator's devices query from its first page, after a token went missing. */
        maxRestarts: z.number().int().nonnegative().max(10).optional(),
        seed: z.number().int().optional(),
        requestTimeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type EnrichInput = z.input<typeof enrichInputSchema>;

/** Defaults of the lookup that the page-run engine has no equivalent of (the rest come from ENGINE_DEFAULTS). */
export const ENRICH_DEFAULTS = {
  pageLimit: IOC_DEVICES_MAX_LIMIT,
  maxDeviceIdsPerIndicator: 1000,
  /**
   * One restart recovers a token that vanished once; a second covers a refused token on the way. More
   * only re-reads the same unordered list, so the answer is reported incomplete instead.
   */
  maxRestarts: 2,
  /** What one 32-hex device id costs when the host's response budget is checked ahead of a chain. */
  estimatedIdBytes: 35,
  timelineLimit: 100,
} as const;
