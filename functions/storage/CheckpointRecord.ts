import { sha256Hex } from '../engine/sha256.ts';

export const CHECKPOINTS_COLLECTION = 'pagination_checkpoints';

/** One object of `pagination_checkpoints`: the latest checkpoint a consumer has finished with, per stream and filter. */
export interface CheckpointRecord {
  stream: string;
  filter: string;
  /** Empty after a reset. */
  checkpoint: string;
  has_more: 'true' | 'false';
  session_id: string;
  updated_at_ms: number;
  last_run_id: string;
  last_verdict: string;
}

/** One object per stream and filter; the hash is the engine's own filter hash, so keys stay short and URL-safe. */
export function checkpointRecordKey(stream: string, filter: string): string {
  return `${stream}.${sha256Hex(`${stream}\n${filter}`).slice(0, 32)}`;
}
