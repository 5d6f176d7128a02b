import { z } from 'zod';
import { decodeCheckpoint, DEFAULT_CHECKPOINT_KEY } from '../engine/Checkpoint.ts';
import { MAX_USER_FILTER_CHARS } from '../engine/fql.ts';
import { STREAM_NAMES } from '../falcon/streams.ts';
import { CHECKPOINTS_COLLECTION, checkpointRecordKey, type CheckpointRecord } from '../storage/CheckpointRecord.ts';
import type { Io } from '../engine/Io.ts';
import { CollectionClient } from './CollectionClient.ts';
import { flagSchema, presentCheckpoint } from './flags.ts';
import type { FunctionContext } from './FunctionContext.ts';
import { badRequest, type FunctionResponse } from './FunctionResponse.ts';
import { parseRequest } from './parseRequest.ts';

export const checkpointsRequestSchema = z
  .object({
    action: z.enum(['get', 'save', 'reset']),
    stream: z.enum(STREAM_NAMES),
    filter: z.string().max(MAX_USER_FILTER_CHARS).default(''),
    /** Required for save: the checkpoint whose items the caller has stored. */
    checkpoint: z.string().max(100_000).optional(),
    has_more: flagSchema.optional(),
    run_id: z.string().max(128).optional(),
    verdict: z.string().max(200).optional(),
  })
  .strict();

export type CheckpointsRequest = z.input<typeof checkpointsRequestSchema>;

/**
 * `POST /checkpoints`: read, save or reset the stored checkpoint of a stream and filter. Saving is the
 * consumer's acknowledgement: it happens after the items of the run are stored downstream, so a crash
 * in between repeats a page instead of losing one.
 */
export function* checkpoints(rawBody: unknown, context: FunctionContext): Io<FunctionResponse> {
  const parsed = parseRequest(checkpointsRequestSchema, rawBody, 'checkpoints');
  if (!parsed.ok) return parsed.response;
  const request = parsed.data;
  const storage = new CollectionClient(context);
  const key = checkpointRecordKey(request.stream, request.filter);
  switch (request.action) {
    case 'get': {
      const stored = yield* storage.get(CHECKPOINTS_COLLECTION, key);
      if (!stored.ok) return storageFailure(stored.status, stored.message);
      const record = stored.value as Partial<CheckpointRecord> | null;
      const found = record !== null && typeof record.checkpoint === 'string' && record.checkpoint !== '';
      return ok({
        stream: request.stream,
        filter: request.filter,
        found: found ? 'true' : 'false',
        checkpoint: found ? record.checkpoint : '',
        has_more: found && record.has_more === 'true' ? 'true' : 'false',
        session_id: found && typeof record.session_id === 'string' ? record.session_id : '',
        updated_at_ms: found && typeof record.updated_at_ms === 'number' ? record.updated_at_ms : 0,
      });
    }
    case 'save': {
      const checkpoint = presentCheckpoint(request.checkpoint);
      if (checkpoint === undefined) return badRequest('INPUT_INVALID', 'checkpoint', 'save needs the checkpoint to store; pass the page-run output checkpoint');
      const decoded = decodeCheckpoint(checkpoint, DEFAULT_CHECKPOINT_KEY);
      if (!decoded.ok) return badRequest(decoded.error.code, 'checkpoint', decoded.error.message);
      if (decoded.data.stream !== request.stream) {
        return badRequest('CHECKPOINT_FOREIGN_STREAM', 'checkpoint', `The checkpoint belongs to stream "${decoded.data.stream}", not "${request.stream}".`);
      }
      if (checkpointRecordKey(request.stream, request.filter) !== `${request.stream}.${decoded.data.filterHash}`) {
        return badRequest('CHECKPOINT_FOREIGN_FILTER', 'checkpoint', 'The checkpoint was made with another filter; pass the filter of the export it came from.');
      }
      const record: CheckpointRecord = {
        stream: request.stream,
        filter: request.filter,
        checkpoint,
        has_more: request.has_more ?? (decoded.data.complete ? 'false' : 'true'),
        session_id: decoded.data.sessionId,
        updated_at_ms: context.nowMs(),
        last_run_id: request.run_id ?? '',
        last_verdict: request.verdict ?? '',
      };
      const written = yield* storage.put(CHECKPOINTS_COLLECTION, key, record);
      if (!written.ok) return storageFailure(written.status, written.message);
      return ok({ stream: request.stream, filter: request.filter, found: 'true', checkpoint, has_more: record.has_more, session_id: record.session_id, updated_at_ms: record.updated_at_ms });
    }
    case 'reset': {
      const deleted = yield* storage.delete(CHECKPOINTS_COLLECTION, key);
      if (!deleted.ok) return storageFailure(deleted.status, deleted.message);
      return ok({ stream: request.stream, filter: request.filter, found: deleted.value ? 'true' : 'false', checkpoint: '', has_more: 'false', session_id: '', updated_at_ms: 0 });
    }
  }
}

function ok(body: Record<string, unknown>): FunctionResponse {
  return { code: 200, body, errors: [] };
}

function storageFailure(status: number, message: string): FunctionResponse {
  const code = status >= 500 || status === 429 ? 503 : 502;
  return { code, body: { error_code: 'STORAGE_FAILED', field: 'stream' }, errors: [{ code, message: `Custom storage failed; nothing was changed: ${message}` }] };
}
