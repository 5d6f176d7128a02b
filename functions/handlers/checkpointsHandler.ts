import { z } from 'zod';
import { checkpointBelongsTo, decodeCheckpoint } from '../engine/Checkpoint.ts';
import { MAX_USER_FILTER_CHARS } from '../engine/fql.ts';
import type { Io } from '../engine/Io.ts';
import { streamNameSchema } from '../falcon/streamNameSchema.ts';
import { CHECKPOINTS_COLLECTION, checkpointRecordKey, type CheckpointRecord } from '../storage/CheckpointRecord.ts';
import { checkpointKeysOf } from '../storage/SigningKeys.ts';
import { CollectionClient } from './CollectionClient.ts';
import { flagSchema, presentCheckpoint } from './flags.ts';
import type { FunctionContext } from './FunctionContext.ts';
import { badRequest, type FunctionResponse } from './FunctionResponse.ts';
import { parseRequest } from './parseRequest.ts';
import { loadSigningKeys, rotateSigningKey } from './signingKeyStore.ts';
import { assertNever } from '../engine/assertNever.ts';

export const checkpointsRequestSchema = z
  .object({
    action: z.enum(['get', 'save', 'reset', 'rotate_key']),
    stream: streamNameSchema,
    filter: z.string().max(MAX_USER_FILTER_CHARS).default(''),
    /** Required for save: the checkpoint whose items the caller has stored. */
    checkpoint: z.string().max(100_000).optional(),
    has_more: flagSchema.optional(),
    run_id: z.string().max(128).optional(),
    verdict: z.string().max(200).optional(),
    /** reset and rotate_key destroy something: they run only when this repeats the action's name. */
    confirm: z.string().max(32).optional(),
  })
  .strict();

export type CheckpointsRequest = z.input<typeof checkpointsRequestSchema>;

/**
 * `POST /checkpoints`: read, save or reset the stored checkpoint of a stream and filter, or rotate the
 * install's signing key. Saving is the consumer's acknowledgement: it happens after the items of the run
 * are stored downstream, so a crash in between repeats a page instead of losing one. A save must continue
 * the stored checkpoint's session with a higher sequence number: nobody rolls an export back or swaps it.
 */
export function* checkpoints(rawBody: unknown, context: FunctionContext): Io<FunctionResponse> {
  const parsed = parseRequest(checkpointsRequestSchema, rawBody, 'checkpoints');
  if (!parsed.ok) return parsed.response;
  const request = parsed.data;
  const storage = new CollectionClient(context);
  const key = checkpointRecordKey(request.stream, request.filter);
  const answer = (record: Partial<CheckpointRecord> | null) => ok(request.stream, request.filter, record);
  switch (request.action) {
    case 'get': {
      const stored = yield* storage.get(CHECKPOINTS_COLLECTION, key);
      if (!stored.ok) return storageFailure(stored.status, stored.message);
      return answer(stored.value as Partial<CheckpointRecord> | null);
    }
    case 'save': {
      const checkpoint = presentCheckpoint(request.checkpoint);
      if (checkpoint === undefined) return badRequest('INPUT_INVALID', 'checkpoint', 'save needs the checkpoint to store; pass the page-run output checkpoint');
      const keys = yield* loadSigningKeys(storage, context);
      if (!keys.ok) return keys.response;
      const decoded = decodeCheckpoint(checkpoint, checkpointKeysOf(keys.keys));
      if (!decoded.ok) return badRequest(decoded.error.code, 'checkpoint', decoded.error.message);
      const foreign = checkpointBelongsTo(decoded.data, request.stream, request.filter);
      if (foreign !== null) return badRequest(foreign.code, 'checkpoint', foreign.message);
      const stored = yield* storage.get(CHECKPOINTS_COLLECTION, key);
      if (!stored.ok) return storageFailure(stored.status, stored.message);
      const current = stored.value as Partial<CheckpointRecord> | null;
      if (current !== null && typeof current.checkpoint === 'string' && current.checkpoint !== '') {
        if (current.session_id !== decoded.data.sessionId) {
          return badRequest('CHECKPOINT_FOREIGN_SESSION', 'checkpoint', `The stored export is session "${String(current.session_id)}", this checkpoint is "${decoded.data.sessionId}"; reset the stored checkpoint (confirm: "reset") to start another export`, 409);
        }
        // Saving the stored checkpoint again changes nothing: a run that stored no page (its sink failed at
        // once) answers the checkpoint it started from, and the workflow saves what it is given.
        const same = current.checkpoint === checkpoint;
        if (!same && (typeof current.seq !== 'number' || decoded.data.seq <= current.seq)) {
          return badRequest('CHECKPOINT_ROLLBACK', 'checkpoint', `The checkpoint is number ${decoded.data.seq} of its session, the stored one ${String(current.seq)}: saving it would roll the export back; save the newest checkpoint instead`, 409);
        }
      }
      const record: CheckpointRecord = {
        stream: request.stream,
        filter: request.filter,
        checkpoint,
        has_more: request.has_more ?? (decoded.data.complete ? 'false' : 'true'),
        session_id: decoded.data.sessionId,
        seq: decoded.data.seq,
        key_id: keys.keys.current.id,
        updated_at_ms: context.nowMs(),
        last_run_id: request.run_id ?? '',
        last_verdict: request.verdict ?? '',
      };
      const written = yield* storage.put(CHECKPOINTS_COLLECTION, key, record);
      if (!written.ok) return storageFailure(written.status, written.message);
      return answer(record);
    }
    case 'reset': {
      if (request.confirm !== 'reset') return badRequest('CONFIRMATION_REQUIRED', 'confirm', 'reset deletes the stored checkpoint, so the next run starts the export over; pass confirm: "reset" to do it');
      const deleted = yield* storage.delete(CHECKPOINTS_COLLECTION, key);
      if (!deleted.ok) return storageFailure(deleted.status, deleted.message);
      return ok(request.stream, request.filter, null, deleted.value);
    }
    case 'rotate_key': {
      if (request.confirm !== 'rotate_key') {
        return badRequest('CONFIRMATION_REQUIRED', 'confirm', 'rotate_key makes a new signing key; checkpoints signed two rotations ago are refused from then on. Pass confirm: "rotate_key" to do it');
      }
      const rotated = yield* rotateSigningKey(storage, context);
      if (!rotated.ok) return rotated.response;
      const stored = yield* storage.get(CHECKPOINTS_COLLECTION, key);
      return answer(stored.ok ? (stored.value as Partial<CheckpointRecord> | null) : null);
    }
    default:
      return assertNever(request.action, 'checkpoints action');
  }
}

/** The stored record as the response schema has it; `found` says whether there is a checkpoint (or, after a reset, whether one was deleted). */
function ok(stream: string, filter: string, record: Partial<CheckpointRecord> | null, deleted?: boolean): FunctionResponse {
  const found = record !== null && typeof record.checkpoint === 'string' && record.checkpoint !== '';
  return {
    code: 200,
    body: {
      stream,
      filter,
      found: (deleted ?? found) ? 'true' : 'false',
      checkpoint: found ? record.checkpoint : '',
      has_more: found && record.has_more === 'true' ? 'true' : 'false',
      session_id: found && typeof record.session_id === 'string' ? record.session_id : '',
      updated_at_ms: found && typeof record.updated_at_ms === 'number' ? record.updated_at_ms : 0,
    },
    errors: [],
  };
}

function storageFailure(status: number, message: string): FunctionResponse {
  const code = status >= 500 || status === 429 ? 503 : 502;
  return { code, body: { error_code: 'STORAGE_FAILED', field: 'stream' }, errors: [{ code, message: `Custom storage failed; nothing was changed: ${message}` }] };
}
