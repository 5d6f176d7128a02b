import { z } from 'zod';
import { checkpointKeyId, MIN_CHECKPOINT_KEY_CHARS, type CheckpointKeys } from '../engine/Checkpoint.ts';

/**
 * The collection that holds the install's checkpoint signing keys. Only the page-run function reads it:
 * its manifest entry requires a permission that no role grants, so no console user (and no UI extension
 * acting for one) can read the keys, and neither workflows nor the UI are given an action on it.
 */
export const KEYS_COLLECTION = 'pagination_keys';
export const SIGNING_KEYS_OBJECT = 'checkpoint-signing';

const keySchema = z
  .object({
    id: z.string().min(1).max(64),
    key: z.string().min(MIN_CHECKPOINT_KEY_CHARS).max(512),
    created_at_ms: z.number().finite(),
  })
  .strict();

export const signingKeysSchema = z
  .object({
    version: z.literal(1),
    current: keySchema,
    /** The key before the last rotation: its checkpoints are still read until they are saved again. */
    previous: keySchema.nullable(),
  })
  .strict();

export type SigningKeys = z.infer<typeof signingKeysSchema>;

/** A fresh key set from 256 bits the host drew (os.urandom, crypto.randomBytes); the previous current key, if any, is kept. */
export function newSigningKeys(entropyHex: string, nowMs: number, rotatedFrom: SigningKeys | null): SigningKeys {
  return {
    version: 1,
    current: { id: checkpointKeyId(entropyHex), key: entropyHex, created_at_ms: nowMs },
    previous: rotatedFrom?.current ?? null,
  };
}

export function checkpointKeysOf(stored: SigningKeys): CheckpointKeys {
  return { current: stored.current.key, previous: stored.previous?.key ?? null };
}
