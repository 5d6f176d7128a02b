import { z } from 'zod';

/** `msa.APIError`: code and message required, `id` ties an error to one requested id. */
export const apiErrorSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  id: z.string().optional(),
});

export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * Every pagination block Falcon is known to send, in one permissive shape: offsets are numbers (style A)
 * or scroll tokens (style B), `after` is style C, `expires_at` is epoch nanoseconds (style B).
 */
export const paginationSchema = z
  .object({
    offset: z.union([z.number(), z.string()]).optional(),
    limit: z.number().optional(),
    total: z.number().optional(),
    after: z.string().nullable().optional(),
    expires_at: z.number().optional(),
    next: z.string().nullable().optional(),
  })
  .passthrough();

export type Pagination = z.infer<typeof paginationSchema>;

export const metaSchema = z
  .object({
    query_time: z.number().optional(),
    powered_by: z.string().optional(),
    trace_id: z.string().optional(),
    pagination: paginationSchema.optional(),
  })
  .passthrough();

/** A list or entities answer: `resources` are ids, objects, null or absent (error bodies). */
export const envelopeSchema = z
  .object({
    meta: metaSchema,
    resources: z.union([z.array(z.string()), z.array(z.record(z.unknown())), z.null()]).optional(),
    errors: z.array(apiErrorSchema).nullable().optional(),
  })
  .passthrough();

export type Envelope = z.infer<typeof envelopeSchema>;

/** The 201 answer of `POST /oauth2/token`. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
});

export type TokenResponse = z.infer<typeof tokenResponseSchema>;
