import { filterHashOf } from '../engine/Checkpoint.ts';
import type { StreamName } from '../falcon/streams.ts';

export const CHECKPOINTS_COLLECTION = 'pagination_checkpoints';

/** One object of `pagination_checkpoints`: the latest checkpoint a consumer has finished with, per stream and filter. */
export interface CheckpointRecord {
  stream: string;
  filter: string;
  /** Empty after a reset. */
  checkpoint: string;
  has_more: 'true' | 'false';
  session_id: string;
  /** The stored checkpoint's sequence number in its session: a save must bring a higher one (no rollback). */
  seq: number;
  /** The public id of the key that signed it. */
  key_id: string;
  updated_at_ms: number;
  last_run_id: string;
  last_verdict: string;
}

/** One object per stream and filter; the hash is the engine's own filter hash, so keys stay short and URL-safe. */
export function checkpointRecordKey(stream: StreamName, filter: string): string {
  return `${stream}.${filterHashOf(stream, filter)}`;
}
