import { STREAMS } from '../../functions/falcon/streams.ts';
import { Random } from '../random.ts';
import { compareRecords, Dataset, storedRecord, type StoredRecord } from './Dataset.ts';
import { KEY_STREAM_OF_DATASET, type DatasetName } from './DatasetName.ts';
import { recordFactory, type RecordFactory } from './recordFactory.ts';
import type { Tenant } from './Tenant.ts';

const SPAN_MS = 30 * 24 * 60 * 60 * 1000;
/** Share of records whose watermark equals the previous one's, so ties on the sort key always exist. */
const TIE_RATE = 0.05;

export interface GeneratedDataset {
  dataset: Dataset;
  /** Makes more records of the same kind (live inserts), continuing the id and marker sequences. */
  factory: RecordFactory;
}

/** Builds a dataset with watermarks spread over the 30 days before `epochMs`, sorted by (watermark, id). */
export function generateDataset(name: DatasetName, size: number, epochMs: number, seed: number, tenant: Tenant): GeneratedDataset {
  const random = Random.derive(seed, `dataset:${name}`);
  const factory = recordFactory(name, random, tenant);
  const spec = STREAMS[KEY_STREAM_OF_DATASET[name]];

  const times = new Float64Array(size);
  for (let i = 0; i < size; i++) times[i] = epochMs - SPAN_MS + Math.floor(random.next() * SPAN_MS);
  times.sort();
  for (let i = 1; i < size; i++) if (random.chance(TIE_RATE)) times[i] = times[i - 1] as number;

  const records: StoredRecord[] = [];
  for (let i = 0; i < size; i++) records.push(storedRecord(factory(times[i] as number), spec.idField, spec.watermarkField));
  sortTieGroups(records);
  return { dataset: new Dataset(spec.idField, spec.watermarkField, records), factory };
}

/** Records arrive in watermark order already; only runs of equal watermarks need their ids ordered (in place). */
function sortTieGroups(records: StoredRecord[]): void {
  for (let i = 1; i < records.length; i++) {
    const current = records[i] as StoredRecord;
    let j = i - 1;
    for (; j >= 0; j--) {
      const previous = records[j] as StoredRecord;
      if (compareRecords(previous.key, previous.id, current.key, current.id) <= 0) break;
      records[j + 1] = previous;
    }
    records[j + 1] = current;
  }
}
