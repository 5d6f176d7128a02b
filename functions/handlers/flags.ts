import { z } from 'zod';

/**
 * Booleans cross Fusion as the strings "true"/"false": an absent field arrives as "0", so a real boolean
 * could not be told apart from a missing one.
 */
export const flagSchema = z.enum(['true', 'false']);
export type Flag = z.infer<typeof flagSchema>;

/** Fusion hands an absent string output to the next step as "0"; a checkpoint is never "0", so both mean none. */
export function presentCheckpoint(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '0' ? undefined : value;
}
