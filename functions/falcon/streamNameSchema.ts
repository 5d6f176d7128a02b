import { z } from 'zod';
import { retiredStreamMessage, STREAM_NAMES } from './streams.ts';

/** A stream name at a boundary: a retired one is refused with what replaced it, any other unknown one with the list. */
export const streamNameSchema = z.enum(STREAM_NAMES, {
  errorMap: (_issue, ctx) => ({ message: (typeof ctx.data === 'string' ? retiredStreamMessage(ctx.data) : null) ?? ctx.defaultError }),
});
