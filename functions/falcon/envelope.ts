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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Ids (query endpoints) or records (entities, combined). Checked element by element by hand: a zod
 * union of two arrays builds an issue per record for the branch that fails, which dominated the CPU
 * profile of a 100 000-record export.
 */
const resourcesSchema = z.custom<string[] | Array<Record<string, unknown>>>(
  (value) => Array.isArray(value) && (value.every((v) => typeof v === 'string') || value.every(isRecord)),
  { message: 'resources must be a list of ids or a list of records' },
);

/** A list or entities answer: `resources` are ids, objects, null or absent (error bodies). */
export const envelopeSchema = z
  .object({
    meta: metaSchema,
    resources: resourcesSchema.nullable().optional(),
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

/** The first `errors[].message` of a Falcon error body, or null when the body is not such JSON. */
export function firstErrorMessage(body: string): string | null {
  try {
    const json = JSON.parse(body) as { errors?: Array<{ message?: unknown }> };
    const message = json.errors?.[0]?.message;
    return typeof message === 'string' ? message : null;
  } catch {
    return null;
  }
}
