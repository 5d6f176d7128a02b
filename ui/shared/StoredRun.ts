import type { RunRecord } from '../../functions/storage/RunRecord.ts';

/** A validated run record with the collection key it was read from. */
export interface StoredRun {
  key: string;
  record: RunRecord;
}
