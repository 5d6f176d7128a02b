import type { Io } from '../engine/Io.ts';
import { KEYS_COLLECTION, newSigningKeys, SIGNING_KEYS_OBJECT, signingKeysSchema, type SigningKeys } from '../storage/SigningKeys.ts';
import type { CollectionClient, StorageResult } from './CollectionClient.ts';
import type { FunctionContext } from './FunctionContext.ts';
import { badRequest, type FunctionResponse } from './FunctionResponse.ts';

export type KeysLoaded = { ok: true; keys: SigningKeys } | { ok: false; response: FunctionResponse };

/**
 * The install's checkpoint signing keys, made on first use from the host's 256 random bits. After writing a
 * new key the store is read again, so two first invocations that race sign with whichever key was stored
 * last (custom storage has no conditional write; the loser's checkpoints of that instant become foreign).
 */
export function* loadSigningKeys(storage: CollectionClient, context: FunctionContext): Io<KeysLoaded> {
  const found = yield* storage.get(KEYS_COLLECTION, SIGNING_KEYS_OBJECT);
  if (!found.ok) return unavailable(found);
  if (found.value !== null) return parsed(found.value);
  const written = yield* storage.put(KEYS_COLLECTION, SIGNING_KEYS_OBJECT, newSigningKeys(context.entropy, context.nowMs(), null));
  if (!written.ok) return unavailable(written);
  const stored = yield* storage.get(KEYS_COLLECTION, SIGNING_KEYS_OBJECT);
  if (!stored.ok) return unavailable(stored);
  return stored.value === null ? unavailable({ ok: false, status: 502, message: 'the key just written was not found' }) : parsed(stored.value);
}

/** A new current key; the old one becomes `previous`, so checkpoints it signed are still read until the next rotation. */
export function* rotateSigningKey(storage: CollectionClient, context: FunctionContext): Io<KeysLoaded> {
  const loaded = yield* loadSigningKeys(storage, context);
  if (!loaded.ok) return loaded;
  const rotated = newSigningKeys(context.entropy, context.nowMs(), loaded.keys);
  const written = yield* storage.put(KEYS_COLLECTION, SIGNING_KEYS_OBJECT, rotated);
  return written.ok ? { ok: true, keys: rotated } : unavailable(written);
}

function parsed(value: unknown): KeysLoaded {
  const keys = signingKeysSchema.safeParse(value);
  if (keys.success) return { ok: true, keys: keys.data };
  // Never overwritten silently: a new key would turn every stored checkpoint foreign.
  return {
    ok: false,
    response: badRequest(
      'KEY_STORE_CORRUPT',
      'pagination_keys',
      `The signing keys in ${KEYS_COLLECTION}/${SIGNING_KEYS_OBJECT} are not in the expected form; delete that object to make a new key (checkpoints signed with the old one will then be refused)`,
      500,
    ),
  };
}

function unavailable(failed: Extract<StorageResult<unknown>, { ok: false }>): KeysLoaded {
  const forbidden = failed.status === 403;
  return {
    ok: false,
    response: badRequest(
      forbidden ? 'KEY_STORE_FORBIDDEN' : 'KEY_STORE_UNAVAILABLE',
      'pagination_keys',
      forbidden
        ? `The function may not use the ${KEYS_COLLECTION} collection (${failed.message}); the app needs the custom-storage scopes. Nothing was run`
        : `The checkpoint signing keys could not be read, so nothing was run: ${failed.message}`,
      forbidden ? 403 : 503,
    ),
  };
}
